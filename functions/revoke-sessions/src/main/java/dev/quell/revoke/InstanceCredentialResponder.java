package dev.quell.revoke;

import dev.quell.core.aws.AwsClients;
import dev.quell.core.decision.CredentialRouter;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.finding.Finding;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.Releaser;
import dev.quell.core.response.Responder;
import dev.quell.core.response.ResponseResult;
import dev.quell.iam.ClientFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * Contains instance credentials used outside their instance ({@code InstanceCredentialExfiltration.OutsideAWS} and
 * {@code .InsideAWS}): writes an inline deny-all on the instance's role, conditioned on {@code ec2:SourceInstanceARN}
 * naming that one instance, under the name {@code quell-revoke-instance-<instance id>}. The role's other instances
 * and services keep working, so the role's blast radius is reported but does not make the response a plan.
 *
 * <p>The instance itself is left running. {@link CredentialRouter#instanceIsolation} returns the finding to hand
 * to the {@code isolate-instance} action as well, when a playbook of the policy isolates instances for this type.
 */
public final class InstanceCredentialResponder implements Responder, Releaser {

    public static final String ACTION = CredentialRouter.REVOKE_INSTANCE_CREDENTIALS;

    private final RoleDenial denial;

    public InstanceCredentialResponder(AwsClients clients, Ledger ledger, ResultPublisher publisher, Policy policy,
            ExecutorService executor, Duration lease, Clock clock) {
        this(ClientFactory.of(clients), ledger, publisher, policy, executor, lease, clock);
    }

    /** Creates a responder that takes its AWS clients from the factory, which tests use to record calls. */
    public InstanceCredentialResponder(ClientFactory clients, Ledger ledger, ResultPublisher publisher, Policy policy,
            ExecutorService executor, Duration lease, Clock clock) {
        this.denial = new RoleDenial(DenyKind.INSTANCE_CREDENTIALS, clients, ledger, publisher, policy, executor,
                lease, clock);
    }

    @Override
    public String action() {
        return ACTION;
    }

    @Override
    public ResponseResult respond(Finding finding, String owner) {
        return denial.respond(finding, owner);
    }

    /**
     * Releases the instance deny recorded for a finding: removes it and restores the inline policy of the same name
     * the role had before, if any. Running it again after it finished changes nothing.
     *
     * @throws ReleaseRejectedException when the ledger holds no finished deny for the finding, or the role is gone
     */
    @Override
    public ReleaseResult release(String findingKey, String actor, String reason) {
        return denial.release(findingKey, actor, reason);
    }
}
