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
 * Revokes the sessions of the IAM role a finding names: writes an inline deny-all on the role, conditioned on
 * {@code aws:TokenIssueTime} earlier than the response time, under the fixed name {@code quell-revoke-older-sessions}
 * so a repeat replaces it. Sessions started afterwards work, so the role's users recover by fetching new credentials.
 * When IAM's inline policy size quota is full, the deny goes in as an attached customer managed policy instead.
 *
 * <p>Before acting, it counts what else uses the role (running instances through its instance profiles, and Lambda
 * functions it is the execution role of) and puts that blast radius in the result. A role used by more than
 * {@code credentials.maxRoleBlastRadius} resources is only planned unless the playbook itself sets mode enforce.
 * It never calls {@code UpdateAccessKey}, because role sessions use temporary {@code ASIA} keys.
 *
 * <p>It acts only on findings that {@link CredentialRouter} routes to {@value #ACTION}. It publishes escalations of
 * roles (service-linked, IAM Identity Center, protected), and for a finding another credential action owns it
 * returns an ignore without publishing, because that action reports it.
 */
public final class RoleSessionResponder implements Responder, Releaser {

    public static final String ACTION = CredentialRouter.REVOKE_ROLE_SESSIONS;

    private final RoleDenial denial;

    public RoleSessionResponder(AwsClients clients, Ledger ledger, ResultPublisher publisher, Policy policy,
            ExecutorService executor, Duration lease, Clock clock) {
        this(ClientFactory.of(clients), ledger, publisher, policy, executor, lease, clock);
    }

    /** Creates a responder that takes its AWS clients from the factory, which tests use to record calls. */
    public RoleSessionResponder(ClientFactory clients, Ledger ledger, ResultPublisher publisher, Policy policy,
            ExecutorService executor, Duration lease, Clock clock) {
        this.denial = new RoleDenial(DenyKind.ROLE_SESSIONS, clients, ledger, publisher, policy, executor, lease,
                clock);
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
     * Releases the deny recorded for a finding: removes it, inline or managed, and restores the inline policy of the
     * same name the role had before, if any. Running it again after it finished changes nothing.
     *
     * @param findingKey the finding's deduplication key (its id), as the ledger keys the deny
     * @param actor who releases, kept in the ledger
     * @param reason why, kept in the ledger
     * @throws ReleaseRejectedException when the ledger holds no finished deny for the finding, or the role is gone
     */
    @Override
    public ReleaseResult release(String findingKey, String actor, String reason) {
        return denial.release(findingKey, actor, reason);
    }
}
