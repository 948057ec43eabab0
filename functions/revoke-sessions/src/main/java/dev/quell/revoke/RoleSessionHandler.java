package dev.quell.revoke;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.quell.core.decision.CredentialRouter;
import dev.quell.core.finding.Finding;
import dev.quell.core.response.Responder;
import dev.quell.core.runtime.FindingEventHandler;
import dev.quell.core.runtime.FunctionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The role session Lambda function: revokes a role's sessions, or the credentials a role issued to one instance,
 * as the credential router decides from the principal the finding names.
 */
public final class RoleSessionHandler implements RequestStreamHandler {

    private final FindingEventHandler events;

    /** The constructor Lambda calls: settings and clients from the environment. */
    public RoleSessionHandler() {
        this(FunctionContext.fromEnvironment(System.getenv()));
    }

    RoleSessionHandler(FunctionContext context) {
        RoleSessionResponder sessions = sessions(context);
        InstanceCredentialResponder instances = instanceCredentials(context);
        this.events = new FindingEventHandler(finding -> route(finding, context, sessions, instances),
                List.of(sessions, instances));
    }

    /** Builds the role session responder, for this handler and the command line alike. */
    public static RoleSessionResponder sessions(FunctionContext context) {
        return new RoleSessionResponder(context.clients(), context.ledger(), context.publisher(),
                context.settings().policy(), context.executor(), context.settings().lease(), context.clock());
    }

    /** Builds the instance credential responder, for this handler and the command line alike. */
    public static InstanceCredentialResponder instanceCredentials(FunctionContext context) {
        return new InstanceCredentialResponder(context.clients(), context.ledger(), context.publisher(),
                context.settings().policy(), context.executor(), context.settings().lease(), context.clock());
    }

    private static List<Responder> route(Finding finding, FunctionContext context, RoleSessionResponder sessions,
            InstanceCredentialResponder instances) {
        String action = CredentialRouter.route(finding, context.settings().policy()).action();
        return CredentialRouter.REVOKE_INSTANCE_CREDENTIALS.equals(action) ? List.of(instances) : List.of(sessions);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        events.handle(input, output, context == null ? "local" : context.getAwsRequestId());
    }
}
