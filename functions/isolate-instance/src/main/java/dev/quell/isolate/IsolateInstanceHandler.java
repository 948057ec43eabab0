package dev.quell.isolate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.quell.core.response.Releaser;
import dev.quell.core.response.Responder;
import dev.quell.core.runtime.FindingEventHandler;
import dev.quell.core.runtime.FunctionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The isolation Lambda function. It reads the event with Quell's own mapper (the runtime's serializer ignores
 * Jackson annotations, so {@code detail-type} would be lost), and builds its clients once, at init.
 *
 * <p>Bad input is logged and rejected without throwing, so Lambda does not retry it. A transient AWS failure that
 * survived the SDK's retries is thrown so Lambda retries the event, and the ledger makes the retry resume.
 */
public final class IsolateInstanceHandler implements RequestStreamHandler, org.crac.Resource {

    private final FindingEventHandler events;
    private final Runnable priming;

    /**
     * The constructor Lambda calls: settings and clients from the environment, then priming, so the first
     * finding does not pay for class loading. With SnapStart, priming runs again before the checkpoint.
     */
    public IsolateInstanceHandler() {
        FunctionContext context = FunctionContext.fromEnvironment(System.getenv());
        InstanceResponder responder = IsolationFunction.responder(context);
        this.events = new FindingEventHandler(finding -> List.of(responder), List.of(responder));
        this.priming = () -> Priming.prime(context);
        if (!"false".equals(System.getenv("QUELL_PRIME"))) {
            priming.run();
        }
        org.crac.Core.getGlobalContext().register(this);
    }

    /** Builds a handler around a responder, for tests; releases go to it when it is also a {@link Releaser}. */
    public IsolateInstanceHandler(Responder responder) {
        this.events = new FindingEventHandler(finding -> List.of(responder),
                responder instanceof Releaser releaser ? List.of(releaser) : List.of());
        this.priming = () -> { };
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        priming.run();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
        // Clients keep no connection across a snapshot worth reusing; the HTTP client opens new ones.
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        events.handle(input, output, requestId);
    }
}
