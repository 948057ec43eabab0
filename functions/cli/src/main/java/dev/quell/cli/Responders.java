package dev.quell.cli;

import dev.quell.core.decision.CredentialRoute;
import dev.quell.core.decision.CredentialRouter;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.response.Releaser;
import dev.quell.core.response.Responder;
import dev.quell.core.runtime.FunctionContext;
import dev.quell.isolate.InstanceResponder;
import dev.quell.isolate.IsolationFunction;
import dev.quell.quarantine.KeyQuarantineHandler;
import dev.quell.quarantine.KeyQuarantineResponder;
import dev.quell.revoke.InstanceCredentialResponder;
import dev.quell.revoke.RoleSessionHandler;
import dev.quell.revoke.RoleSessionResponder;
import java.util.ArrayList;
import java.util.List;

/**
 * The responders the command line runs, and which of them a finding goes to. In a deployment, EventBridge rules
 * route findings to functions, and this class does the same for a file of findings. An instance finding goes to
 * isolation and a credential finding to the responder the credential router picks. An instance credential
 * exfiltration also goes to isolation when a playbook isolates that type.
 */
final class Responders {

    private final FunctionContext context;
    private final InstanceResponder isolation;
    private final KeyQuarantineResponder keys;
    private final RoleSessionResponder sessions;
    private final InstanceCredentialResponder instanceCredentials;

    Responders(FunctionContext context) {
        this.context = context;
        this.isolation = IsolationFunction.responder(context);
        this.keys = KeyQuarantineHandler.responder(context);
        this.sessions = RoleSessionHandler.sessions(context);
        this.instanceCredentials = RoleSessionHandler.instanceCredentials(context);
    }

    /** One responder and the finding it gets. */
    record Dispatch(Responder responder, Finding finding) {
    }

    /** Returns where a finding goes: at least one responder, so every finding gets a decision and a reason. */
    List<Dispatch> forFinding(Finding finding) {
        if (!namesPrincipal(finding)) {
            return List.of(new Dispatch(isolation, finding));
        }
        CredentialRoute route = CredentialRouter.route(finding, context.settings().policy());
        List<Dispatch> dispatches = new ArrayList<>();
        dispatches.add(new Dispatch(credentialResponder(route.action()), finding));
        CredentialRouter.instanceIsolation(finding, context.settings().policy())
                .ifPresent(instanceFinding -> dispatches.add(new Dispatch(isolation, instanceFinding)));
        return dispatches;
    }

    /** Returns every responder that can undo what it did. */
    List<Releaser> releasers() {
        return List.of(isolation, keys, sessions, instanceCredentials);
    }

    private Responder credentialResponder(String action) {
        return switch (action) {
            case CredentialRouter.REVOKE_ROLE_SESSIONS -> sessions;
            case CredentialRouter.REVOKE_INSTANCE_CREDENTIALS -> instanceCredentials;
            default -> keys;
        };
    }

    private static boolean namesPrincipal(Finding finding) {
        return finding.resource(AffectedResource.AccessKey.class).isPresent()
                || finding.resource(AffectedResource.Role.class).isPresent()
                || finding.resource(AffectedResource.User.class).isPresent();
    }
}
