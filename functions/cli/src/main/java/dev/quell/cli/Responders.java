package dev.quell.cli;

import dev.quell.core.aws.AwsClients;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.response.Responder;
import dev.quell.core.runtime.Settings;
import dev.quell.isolate.IsolationFunction;
import java.util.List;

/**
 * The responders the command line runs, and which of them a finding goes to. EventBridge rules route findings
 * to functions in a deployment; this is the same routing for a file of findings.
 */
final class Responders {

    private final Responder isolation;

    Responders(Settings settings, AwsClients clients, String homeAccount) {
        this.isolation = IsolationFunction.responder(settings, clients, homeAccount);
    }

    /** Returns the responders a finding goes to, at least one, so every finding gets a decision and a reason. */
    List<Responder> forFinding(Finding finding) {
        if (finding.resource(AffectedResource.Instance.class).isPresent()) {
            return List.of(isolation);
        }
        return List.of(isolation);
    }
}
