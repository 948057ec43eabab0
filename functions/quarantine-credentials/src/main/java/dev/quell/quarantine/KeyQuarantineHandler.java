package dev.quell.quarantine;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.quell.core.runtime.FindingEventHandler;
import dev.quell.core.runtime.FunctionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The access key quarantine Lambda function. Every finding goes to the quarantine responder, which ignores,
 * without publishing, the findings the credential router gives to the role responders.
 */
public final class KeyQuarantineHandler implements RequestStreamHandler {

    private final FindingEventHandler events;

    /** The constructor Lambda calls: settings and clients from the environment. */
    public KeyQuarantineHandler() {
        this(responder(FunctionContext.fromEnvironment(System.getenv())));
    }

    KeyQuarantineHandler(KeyQuarantineResponder responder) {
        this.events = new FindingEventHandler(finding -> List.of(responder), List.of(responder));
    }

    /** Builds the responder from a function context, for this handler and the command line alike. */
    public static KeyQuarantineResponder responder(FunctionContext context) {
        return new KeyQuarantineResponder(context.clients(), context.ledger(), context.publisher(),
                context.settings().policy(), context.executor(), context.settings().lease(), context.clock());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        events.handle(input, output, context == null ? "local" : context.getAwsRequestId());
    }
}
