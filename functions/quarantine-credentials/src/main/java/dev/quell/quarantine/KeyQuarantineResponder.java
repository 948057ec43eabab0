package dev.quell.quarantine;

import dev.quell.core.aws.AwsClients;
import dev.quell.core.decision.CredentialDecider;
import dev.quell.core.decision.CredentialRoute;
import dev.quell.core.decision.CredentialRouter;
import dev.quell.core.decision.Decision;
import dev.quell.core.decision.IamPrincipal;
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
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.Releaser;
import dev.quell.core.response.Responder;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import dev.quell.iam.ClientFactory;
import dev.quell.iam.DenyPolicyWriter;
import dev.quell.iam.IamClients;
import dev.quell.iam.ReleaseBook;
import dev.quell.iam.ResponseBook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Quarantines the IAM user's long-term access key a finding names: deactivates exactly that key (never deleting it,
 * never touching the user's other keys), attaches the AWS quarantine policy, denies the user's temporary credentials
 * issued before now, and removes the console password when the policy sets {@code credentials.removeConsoleLogin}.
 *
 * <p>The responder acts only on findings that {@link CredentialRouter} routes to {@value #ACTION}. It publishes
 * escalations of user-like principals (the root user, federated users, users' temporary keys), and for a finding
 * another credential action owns it returns an ignore without publishing, because that action reports it.
 */
public final class KeyQuarantineResponder implements Responder, Releaser {

    public static final String ACTION = CredentialRouter.QUARANTINE_KEY;

    private final ClientFactory clients;
    private final Ledger ledger;
    private final Policy policy;
    private final ExecutorService executor;
    private final Duration lease;
    private final Clock clock;
    private final ResponseBook book;
    private final ReleaseBook releases;

    public KeyQuarantineResponder(AwsClients clients, Ledger ledger, ResultPublisher publisher, Policy policy,
            ExecutorService executor, Duration lease, Clock clock) {
        this(ClientFactory.of(clients), ledger, publisher, policy, executor, lease, clock);
    }

    /** Creates a responder that takes its AWS clients from the factory, which tests use to record calls. */
    public KeyQuarantineResponder(ClientFactory clients, Ledger ledger, ResultPublisher publisher, Policy policy,
            ExecutorService executor, Duration lease, Clock clock) {
        this.clients = clients;
        this.ledger = ledger;
        this.policy = policy;
        this.executor = executor;
        this.lease = lease;
        this.clock = clock;
        this.book = new ResponseBook(ACTION, ledger, publisher, clock);
        this.releases = new ReleaseBook(ACTION, ledger, clock);
    }

    @Override
    public String action() {
        return ACTION;
    }

    @Override
    public ResponseResult respond(Finding finding, String owner) {
        Instant started = clock.instant();
        CredentialRoute route = CredentialRouter.route(finding, policy);
        if (!route.action().equals(ACTION)) {
            Decision elsewhere = Decision.ignore(Reasons.handledByOtherAction(route.principal().describe(),
                    route.action(), ACTION));
            return book.logged(KeyPlans.of(finding, elsewhere, null, policy.credentials(), started, clock.instant()));
        }
        Optional<Decision> screened = CredentialDecider.screen(finding, policy, ACTION);
        if (screened.isPresent()) {
            return book.finish(KeyPlans.of(finding, screened.get(), null, policy.credentials(), started,
                    clock.instant()));
        }
        IamPrincipal principal = route.principal();
        IamClient iam = IamClients.forAccount(clients, finding.accountId(), finding.region());
        CompletableFuture<Claim> claim = mayAct(finding)
                ? CompletableFuture.supplyAsync(() -> ledger.claim(finding.dedupKey(), ACTION, owner, lease,
                        finding.updatedAt()), executor)
                : CompletableFuture.completedFuture(null);
        UserReader.Scope scope = new UserReader.Scope(finding.accountId(), finding.region(),
                IamClients.partition(finding.partition(), finding.region()));
        Optional<KeyPreState> live;
        try {
            live = new UserReader(iam, executor).read(scope, principal.name(), principal.accessKeyId());
        } catch (RuntimeException e) {
            book.abandonAfterError(claim, finding, owner, e);
            throw e;
        }

        Decision decision = CredentialDecider.decide(finding, policy, ACTION, stateOf(live, principal));
        if (!decision.acts()) {
            book.abandonIfOwned(claim.join(), finding, owner);
            return book.finish(KeyPlans.of(finding, decision, live.orElse(null), policy.credentials(), started,
                    clock.instant()));
        }
        return act(finding, decision, live.orElseThrow(), claim.join(), iam, started);
    }

    /**
     * Releases the quarantine recorded for a finding: reactivates the key only when it was active before, detaches
     * the quarantine policy only when the quarantine attached it, and removes the session deny. A console password
     * the quarantine deleted cannot be restored, and the result's message states this. Running it again after it
     * finished changes nothing.
     *
     * @param findingKey the finding's deduplication key (its id), as the ledger keys the quarantine
     * @param actor who releases, kept in the ledger
     * @param reason why, kept in the ledger
     * @throws ReleaseRejectedException when the ledger holds no finished quarantine for the finding, or the user is
     *     gone
     */
    @Override
    public ReleaseResult release(String findingKey, String actor, String reason) {
        LedgerRecord record = releases.containment(findingKey);
        if (ReleaseBook.released(record)) {
            return releases.alreadyReleased(record, actor, reason);
        }
        KeyPreState pre = ResponseBook.read(record.preStateJson(), KeyPreState.class);
        ledger.heldByAnother(holdKey(pre.account(), pre.accessKeyId()), findingKey).ifPresent(other -> {
            throw new ReleaseRejectedException("access key " + pre.accessKeyId() + " is now quarantined for finding "
                    + other + "; release that finding first, then this one");
        });
        IamClient iam = IamClients.forAccount(clients, pre.account(), pre.region());
        if (new UserReader(iam, executor).getUser(pre.userName()).isEmpty()) {
            throw new ReleaseRejectedException("IAM user " + pre.userName() + " no longer exists, so there is"
                    + " nothing to release for finding " + findingKey + ", and the ledger record stays "
                    + record.status());
        }
        DenyPolicyWriter writer = new DenyPolicyWriter(iam, pre.partition(), pre.account());
        List<StepResult> steps = new KeyRelease(iam, writer).release(pre);
        ReleaseResult released = releases.finish(record, steps, releaseMessage(pre, record), actor, reason);
        if (released.status() == ReleaseResult.Status.RELEASED) {
            ledger.releaseHold(holdKey(pre.account(), pre.accessKeyId()), findingKey);
        }
        return released;
    }

    private ResponseResult act(Finding finding, Decision decision, KeyPreState live, Claim claim, IamClient iam,
            Instant started) {
        switch (claim.kind()) {
            case COMPLETED:
                return book.alreadyHandled(finding, decision, claim, started);
            case HELD_ELSEWHERE:
                return book.heldElsewhere(finding, decision, claim, started);
            default:
                break;
        }
        String holdKey = holdKey(live.account(), live.accessKeyId());
        Optional<String> holder = ledger.hold(holdKey, finding.dedupKey(), finding.id());
        if (holder.isPresent()) {
            // Quarantining the key again would record the first quarantine as this finding's pre-state, and
            // releasing either finding would reactivate the key the other still holds.
            book.abandonIfOwned(claim, finding, claim.record().owner());
            Decision keyTaken = Decision.ignore("access key " + live.accessKeyId() + " is already quarantined, or being"
                    + " quarantined, by Quell for finding " + holder.get() + "; release that finding to undo it");
            return book.finish(KeyPlans.of(finding, keyTaken, live, policy.credentials(), started, clock.instant()));
        }
        KeyPreState pre = claim.kind() == Claim.Kind.RESUME && claim.record().preStateJson() != null
                ? ResponseBook.read(claim.record().preStateJson(), KeyPreState.class)
                : recorded(finding, live.withCutoff(clock.instant()));
        DenyPolicyWriter writer = new DenyPolicyWriter(iam, pre.partition(), pre.account());
        KeyQuarantiner quarantiner = new KeyQuarantiner(iam, writer, policy.credentials());
        List<StepResult> steps = quarantiner.quarantine(pre, ResponseBook.doneSteps(claim),
                step -> book.recordStep(finding, step));
        String verification = verify(quarantiner, pre, steps);
        ResponseResult result = new ResponseResult(finding, ACTION, pre.accessKeyId(), decision,
                ResponseBook.outcomeOf(steps, KeyQuarantineStep.DEACTIVATE_KEY.stepName(), verification), steps,
                Json.mapper().valueToTree(pre), verification, started, clock.instant());
        ResponseResult completed = book.complete(result);
        if (completed.outcome() == Outcome.FAILED) {
            // The key is still active: another finding on it may try.
            ledger.releaseHold(holdKey, finding.dedupKey());
        }
        return completed;
    }

    /** Returns the ledger key of the hold a finding takes on the access key it quarantines. */
    static String holdKey(String account, String accessKeyId) {
        return "access-key#" + account + "#" + accessKeyId;
    }

    private KeyPreState recorded(Finding finding, KeyPreState pre) {
        book.recordPreState(finding, pre, pre.accessKeyId());
        return pre;
    }

    private static String verify(KeyQuarantiner quarantiner, KeyPreState pre, List<StepResult> steps) {
        try {
            return quarantiner.verify(pre, steps);
        } catch (RuntimeException e) {
            return "not verified: " + e.getMessage();
        }
    }

    private boolean mayAct(Finding finding) {
        return policy.playbookFor(ACTION, finding.type(), CredentialRouter.RESOURCE_TYPE)
                .map(playbook -> policy.modeOf(playbook) == Mode.ENFORCE)
                .orElse(false);
    }

    private static PrincipalState stateOf(Optional<KeyPreState> live, IamPrincipal principal) {
        return live.map(pre -> new PrincipalState(new ResourceState(true, pre.userArn(), "exists", pre.tags()),
                UserReader.keyIds(pre), null))
                .orElseGet(() -> new PrincipalState(new ResourceState(false, null, "NoSuchEntity", Map.of()), null,
                        null));
    }

    private static String releaseMessage(KeyPreState pre, LedgerRecord record) {
        String message = "released access key " + pre.accessKeyId() + " of IAM user " + pre.userName()
                + " from the quarantine of finding " + record.findingKey();
        String consoleStep = record.stepsJson().get(KeyQuarantineStep.REMOVE_CONSOLE_LOGIN.stepName());
        boolean consoleRemoved = consoleStep != null
                && ResponseBook.read(consoleStep, StepResult.class).status() == StepStatus.DONE;
        return consoleRemoved ? message + ". The console password the quarantine deleted cannot be restored, so set"
                + " a new one with CreateLoginProfile if the user needs console access" : message;
    }
}
