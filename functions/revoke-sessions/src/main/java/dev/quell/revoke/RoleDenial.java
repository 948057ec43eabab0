package dev.quell.revoke;

import dev.quell.core.decision.BlastRadius;
import dev.quell.core.decision.CredentialDecider;
import dev.quell.core.decision.CredentialRoute;
import dev.quell.core.decision.CredentialRouter;
import dev.quell.core.decision.Decision;
import dev.quell.core.decision.PrincipalState;
import dev.quell.core.decision.Reasons;
import dev.quell.core.decision.ResourceState;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.finding.Finding;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.Claim;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.LedgerRecord;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import dev.quell.iam.ClientFactory;
import dev.quell.iam.DenyPolicyWriter;
import dev.quell.iam.IamClients;
import dev.quell.iam.IamTarget;
import dev.quell.iam.ReleaseBook;
import dev.quell.iam.ResponseBook;
import dev.quell.iam.Steps;
import dev.quell.iam.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Writes one kind of deny on the role a finding names, and releases it: decides, claims, records the pre-state,
 * denies, verifies and reports. {@link RoleSessionResponder} and {@link InstanceCredentialResponder} each delegate to
 * one of these, configured with their {@link DenyKind}.
 */
final class RoleDenial {

    private final DenyKind kind;
    private final ClientFactory clients;
    private final Ledger ledger;
    private final Policy policy;
    private final ExecutorService executor;
    private final Duration lease;
    private final Clock clock;
    private final ResponseBook book;
    private final ReleaseBook releases;

    RoleDenial(DenyKind kind, ClientFactory clients, Ledger ledger, ResultPublisher publisher, Policy policy,
            ExecutorService executor, Duration lease, Clock clock) {
        this.kind = kind;
        this.clients = clients;
        this.ledger = ledger;
        this.policy = policy;
        this.executor = executor;
        this.lease = lease;
        this.clock = clock;
        this.book = new ResponseBook(kind.action(), ledger, publisher, clock);
        this.releases = new ReleaseBook(kind.action(), ledger, clock);
    }

    ResponseResult respond(Finding finding, String owner) {
        Instant started = clock.instant();
        CredentialRoute route = CredentialRouter.route(finding, policy);
        if (!route.action().equals(kind.action())) {
            String principal = route.principal() == null ? "missing from the finding" : route.principal().describe();
            Decision elsewhere = Decision.ignore(Reasons.handledByOtherAction(principal, route.action(),
                    kind.action()));
            return book.logged(RolePlans.of(finding, kind, elsewhere, null, started, clock.instant()));
        }
        Optional<Decision> screened = CredentialDecider.screen(finding, policy, kind.action());
        if (screened.isPresent()) {
            return book.finish(RolePlans.of(finding, kind, screened.get(), null, started, clock.instant()));
        }

        String roleName = route.principal().name();
        IamClient iam = IamClients.forAccount(clients, finding.accountId(), finding.region());
        CompletableFuture<Claim> claim = mayAct(finding)
                ? CompletableFuture.supplyAsync(() -> ledger.claim(finding.dedupKey(), kind.action(), owner, lease,
                        finding.updatedAt()), executor)
                : CompletableFuture.completedFuture(null);
        Optional<RolePreState> live;
        try {
            live = read(finding, iam, roleName, route.instanceId());
        } catch (RuntimeException e) {
            book.abandonAfterError(claim, finding, owner, e);
            throw e;
        }

        BlastRadius radius = live.map(RolePreState::blastRadius).orElse(null);
        PrincipalState state = live
                .map(pre -> new PrincipalState(new ResourceState(true, pre.roleArn(), "exists", pre.tags()), null,
                        kind.gatedByBlastRadius() ? radius : null))
                .orElseGet(() -> new PrincipalState(new ResourceState(false, null, "NoSuchEntity", Map.of()), null,
                        null));
        Decision decision = CredentialDecider.decide(finding, policy, kind.action(), state);

        if (!decision.acts()) {
            book.abandonIfOwned(claim.join(), finding, owner);
            return book.finish(RolePlans.of(finding, kind, decision, live.orElse(null), started, clock.instant()));
        }
        return act(finding, decision, live.orElseThrow(), claim.join(), iam, started);
    }

    ReleaseResult release(String findingKey, String actor, String reason) {
        LedgerRecord record = releases.containment(findingKey);
        if (ReleaseBook.released(record)) {
            return releases.alreadyReleased(record, actor, reason);
        }
        RolePreState pre = ResponseBook.read(record.preStateJson(), RolePreState.class);
        IamClient iam = IamClients.forAccount(clients, pre.account(), pre.region());
        if (new RoleReader(iam, executor).getRole(pre.roleName()).isEmpty()) {
            throw new ReleaseRejectedException("role " + pre.roleName() + " no longer exists, so there is nothing"
                    + " to release for finding " + findingKey + ", and the ledger record stays " + record.status());
        }
        DenyPolicyWriter writer = new DenyPolicyWriter(iam, pre.partition(), pre.account());
        StepResult removed = Steps.run(RoleSessionStep.REMOVE_DENY.contract(), () -> writer.remove(
                IamTarget.role(pre.roleName()), pre.denyPolicyName(), kind.document(pre), pre.earlierDenyDocument()));
        String message = "released " + kind.describe(pre) + " from the deny of finding " + findingKey;
        return releases.finish(record, List.of(removed), message, actor, reason);
    }

    /** Reads the role and counts its blast radius, or returns empty when the role is gone. */
    private Optional<RolePreState> read(Finding finding, IamClient iam, String roleName, String instanceId) {
        String partition = IamClients.partition(finding.partition(), finding.region());
        RoleReader.Scope scope = new RoleReader.Scope(finding.accountId(), finding.region(), partition);
        Optional<RolePreState> live = new RoleReader(iam, executor).read(scope, roleName,
                kind.policyName(instanceId), instanceId);
        if (live.isEmpty()) {
            return live;
        }
        BlastRadiusCounter counter = new BlastRadiusCounter(clients, finding.accountId(), Region.of(finding.region()),
                executor);
        return Optional.of(live.get().withBlastRadius(counter.count(iam, roleName, live.get().roleArn(),
                partition)));
    }

    private ResponseResult act(Finding finding, Decision decision, RolePreState live, Claim claim, IamClient iam,
            Instant started) {
        switch (claim.kind()) {
            case COMPLETED:
                return book.alreadyHandled(finding, decision, claim, started);
            case HELD_ELSEWHERE:
                return book.heldElsewhere(finding, decision, claim, started);
            default:
                break;
        }
        RolePreState pre = claim.kind() == Claim.Kind.RESUME && claim.record().preStateJson() != null
                ? ResponseBook.read(claim.record().preStateJson(), RolePreState.class)
                : recorded(finding, live.withCutoff(clock.instant()));
        DenyPolicyWriter writer = new DenyPolicyWriter(iam, pre.partition(), pre.account());
        List<StepResult> steps = new ArrayList<>();
        StepResult earlier = ResponseBook.doneSteps(claim).get(kind.step().stepName());
        if (earlier != null && earlier.status() == StepStatus.DONE) {
            steps.add(earlier);
        } else {
            StepResult denied = Steps.run(kind.step().contract(), () -> deny(writer, pre));
            book.recordStep(finding, denied);
            steps.add(denied);
        }
        String verification = verify(writer, pre);
        ResponseResult result = new ResponseResult(finding, kind.action(), pre.roleName(), decision,
                ResponseBook.outcomeOf(steps, kind.step().stepName(), verification), steps,
                Json.mapper().valueToTree(pre), verification, started, clock.instant());
        return book.complete(result);
    }

    private String deny(DenyPolicyWriter writer, RolePreState pre) {
        DenyPolicyWriter.Applied applied = writer.put(IamTarget.role(pre.roleName()), pre.denyPolicyName(),
                kind.document(pre));
        String radius = pre.blastRadius() == null ? "" : ". The role is used by " + pre.blastRadius().describe();
        return "denied " + kind.describe(pre) + " in " + applied.describe() + radius;
    }

    private String verify(DenyPolicyWriter writer, RolePreState pre) {
        try {
            return Verification.of(writer.mismatch(IamTarget.role(pre.roleName()), pre.denyPolicyName(),
                    kind.document(pre)).stream().toList());
        } catch (RuntimeException e) {
            return "not verified: " + e.getMessage();
        }
    }

    private RolePreState recorded(Finding finding, RolePreState pre) {
        book.recordPreState(finding, pre, pre.roleName());
        return pre;
    }

    private boolean mayAct(Finding finding) {
        return policy.playbookFor(kind.action(), finding.type(), CredentialRouter.RESOURCE_TYPE)
                .map(playbook -> policy.modeOf(playbook) == Mode.ENFORCE)
                .orElse(false);
    }
}
