package dev.quell.isolate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.aws.AwsClients;
import dev.quell.core.decision.Decision;
import dev.quell.core.decision.InstanceDecider;
import dev.quell.core.decision.Reasons;
import dev.quell.core.decision.ResourceState;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.Claim;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.RateBudgetGate;
import dev.quell.core.log.Log;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Playbook;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.Releaser;
import dev.quell.core.response.Responder;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.TransientFailureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

/**
 * Isolates the EC2 instance a finding names: parse is done, so this decides, claims, records, acts and reports.
 *
 * <p>The ledger claim and the re-read of the instance run in parallel, because neither needs the other; the
 * decision needs both. Evidence and bookkeeping (snapshots, tags, step records, the result event) come after the
 * network is cut.
 */
public final class InstanceResponder implements Responder, Releaser {

    private static final Log LOG = Log.of(InstanceResponder.class);
    /** Threads for work that waits on calls in the bounded pool, so that such work never occupies a pool thread. */
    private static final ExecutorService COORDINATING = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "quell-read");
        thread.setDaemon(true);
        return thread;
    });

    private final AwsClients clients;
    private final Ledger ledger;
    private final RateBudgetGate budget;
    private final ResultPublisher publisher;
    private final Policy policy;
    private final ExecutorService executor;
    private final IsolationGroups groups = new IsolationGroups();
    private final Duration lease;
    private final Clock clock;

    public InstanceResponder(AwsClients clients, Ledger ledger, RateBudgetGate budget, ResultPublisher publisher,
            Policy policy, ExecutorService executor, Duration lease, Clock clock) {
        this.clients = clients;
        this.ledger = ledger;
        this.budget = budget;
        this.publisher = publisher;
        this.policy = policy;
        this.executor = executor;
        this.lease = lease;
        this.clock = clock;
    }

    @Override
    public String action() {
        return InstanceDecider.ACTION;
    }

    /** Restores the instance an isolation changed, from the pre-state the ledger recorded. */
    @Override
    public ReleaseResult release(String findingKey, String actor, String reason) {
        ReleaseResult result = new InstanceRelease(ledger, this::clientsFor, executor, clock)
                .release(findingKey, action(), actor, reason);
        LOG.info("release finished", findingKey, Map.of("status", result.status(), "actor", actor,
                "reason", reason == null ? "" : reason));
        return result;
    }

    /** Returns the clients for the account and region in the recorded instance ARN. */
    private Ec2Clients clientsFor(PreState pre) {
        String[] arn = pre.instanceArn().split(":", 6);
        return Ec2Clients.of(clients, arn[4], Region.of(arn[3]));
    }

    @Override
    public ResponseResult respond(Finding finding, String owner) {
        Instant started = clock.instant();
        Optional<Decision> screened = InstanceDecider.screen(finding, policy);
        if (screened.isPresent()) {
            return finish(Plans.withoutState(finding, screened.get(), started, clock.instant()));
        }
        AffectedResource.Instance named = finding.resource(AffectedResource.Instance.class).orElseThrow();
        Ec2Clients ec2 = Ec2Clients.of(clients, finding.accountId(), Region.of(finding.region()));
        Playbook playbook = policy.playbookFor(action(), finding.type(), "Instance").orElseThrow();
        boolean mayAct = policy.modeOf(playbook) == Mode.ENFORCE;
        CompletableFuture<Claim> claim = mayAct
                ? CompletableFuture.supplyAsync(() -> ledger.claim(finding.dedupKey(), action(), owner, lease,
                        finding.updatedAt()), executor)
                : CompletableFuture.completedFuture(null);
        CompletableFuture<RateBudgetGate.Result> spent = mayAct
                ? CompletableFuture.supplyAsync(() -> budget.take(finding.accountId(), policy.rateBudget()), executor)
                : CompletableFuture.completedFuture(null);
        // The read waits for its own calls on the bounded pool, so it runs on a thread of its own.
        CompletableFuture<Optional<PreState>> reading = CompletableFuture.supplyAsync(() -> new InstanceReader(ec2,
                executor).read(named.instanceId(), finding.region(), finding.accountId(), finding.partition()),
                COORDINATING);
        String holdKey = holdKey(InstanceReader.arn(finding.partition(), finding.region(), finding.accountId(),
                named.instanceId()));
        CompletableFuture<Optional<String>> holding = CompletableFuture.completedFuture(Optional.empty());
        Optional<PreState> live;
        Optional<String> holder;
        try {
            // A delivery whose response another run finished or is running needs nothing the reads return.
            Claim early = claim.join();
            if (early != null && (early.kind() == Claim.Kind.COMPLETED || early.kind() == Claim.Kind.HELD_ELSEWHERE)) {
                spent.thenAccept(this::giveBack).exceptionally(ignored -> null).join();
                Decision matched = Decision.act("playbook matched", playbook.name());
                return early.kind() == Claim.Kind.COMPLETED ? alreadyHandled(finding, matched, early, started)
                        : heldElsewhere(finding, matched, early, started);
            }
            if (early != null) {
                // Taken while the reads run, so that of two findings on one instance only one changes it.
                holding = CompletableFuture.supplyAsync(() -> ledger.hold(holdKey, finding.dedupKey(), finding.id()),
                        executor);
            }
            live = reading.join();
            spent.join();
            holder = holding.join();
        } catch (RuntimeException e) {
            spent.thenAccept(this::giveBack);
            letGo(holding, holdKey, finding);
            return failClosed(finding, named.instanceId(), claim, owner, e, started);
        }
        Decision decision = holder.map(other -> Decision.ignore("instance " + named.instanceId() + " is already"
                        + " isolated, or being isolated, by Quell for finding " + other + "; release that finding to"
                        + " undo it"))
                .or(() -> isolatedForAnother(finding, live))
                .orElseGet(() -> InstanceDecider.decide(finding, policy, stateOf(live, named.instanceId())));
        if (decision.acts() && claim.join().kind() == Claim.Kind.NEW && !spent.join().granted()) {
            decision = overBudget(finding, decision, spent.join());
        }
        if (!decision.acts() || claim.join().kind() != Claim.Kind.NEW) {
            spent.thenAccept(this::giveBack);
        }
        if (!decision.acts()) {
            claim.thenAccept(owned -> abandonIfOwned(owned, finding, owner));
            letGo(holding, holdKey, finding);
            return finish(Plans.withState(finding, decision, live.orElse(null), started, clock.instant()));
        }
        Claim owned = claim.join();
        try {
            ResponseResult result = act(finding, decision, live.orElseThrow(), owned, ec2, started);
            if (result.outcome() == Outcome.FAILED) {
                // The swap failed, so the instance is not isolated: another finding may try.
                letGo(holding, holdKey, finding);
            }
            return result;
        } catch (TransientFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            // A ledger write or another call failed outside the steps. Lambda retries the event, and the retry
            // must find the claim free, not held by this finished run until the lease runs out.
            if (owned.owned()) {
                releaseLeaseAfter(e, finding);
            }
            throw e;
        }
    }

    /** Returns the ledger key of the hold a finding takes on the instance it isolates. */
    static String holdKey(String instanceArn) {
        return "instance#" + instanceArn;
    }

    /**
     * Lets go of the instance when this run took the hold and changes nothing (or failed to isolate). A failure
     * to let go is logged: the hold then names this finding, whose release or next delivery clears it.
     */
    private void letGo(CompletableFuture<Optional<String>> holding, String holdKey, Finding finding) {
        Optional<String> holder = holding.exceptionally(ignored -> Optional.of("unknown")).join();
        if (holder.isPresent()) {
            return;
        }
        try {
            ledger.releaseHold(holdKey, finding.dedupKey());
        } catch (RuntimeException e) {
            LOG.error("could not let go of the instance's hold; other findings on it are ignored until this"
                    + " finding is released", finding.id(), Map.of("hold", holdKey), e);
        }
    }

    private void releaseLeaseAfter(RuntimeException failure, Finding finding) {
        try {
            ledger.releaseLease(finding.dedupKey(), action());
        } catch (RuntimeException releaseFailure) {
            failure.addSuppressed(releaseFailure);
            LOG.error("could not release the claim after a failure; a retry waits for the lease to run out",
                    finding.id(), Map.of("action", action()), releaseFailure);
        }
    }

    /**
     * Returns an ignore decision when Quell already isolated the instance for another finding. Isolating it again
     * would move it through the all-allow group and record the isolated state as its pre-state, so a release of
     * either finding could no longer restore the original.
     */
    private static Optional<Decision> isolatedForAnother(Finding finding, Optional<PreState> live) {
        if (live.isEmpty() || !"isolated".equals(live.get().tags().get(InstanceIsolator.STATUS_TAG))) {
            return Optional.empty();
        }
        String owner = live.get().tags().get(InstanceIsolator.FINDING_TAG);
        if (owner == null || owner.equals(finding.id())) {
            return Optional.empty();
        }
        return Optional.of(Decision.ignore("instance " + live.get().instanceId() + " is already isolated by Quell"
                + " for finding " + owner + "; release that finding to undo it"));
    }

    /** Turns an act decision into a plan because the rate budget is spent, and raises an alert. */
    private Decision overBudget(Finding finding, Decision decision, RateBudgetGate.Result refused) {
        String reason = Reasons.rateBudgetExceeded(refused.exceededScope(), refused.limit());
        LOG.warn("rate budget exceeded", finding.id(), Map.of("scope", refused.exceededScope(),
                "limit", refused.limit()));
        publisher.alert(finding.id(), Map.of("findingId", finding.id(), "action", action(), "reason", reason,
                "accountId", finding.accountId()));
        return Decision.plan(reason, decision.playbook());
    }

    private void giveBack(RateBudgetGate.Result result) {
        if (result != null && result.granted()) {
            budget.giveBack(result.ticket().orElseThrow());
        }
    }

    private ResponseResult act(Finding finding, Decision decision, PreState live, Claim claim, Ec2Clients ec2,
            Instant started) {
        switch (claim.kind()) {
            case COMPLETED:
                return alreadyHandled(finding, decision, claim, started);
            case HELD_ELSEWHERE:
                return heldElsewhere(finding, decision, claim, started);
            default:
                break;
        }
        InstanceIsolator isolator = new InstanceIsolator(ec2, groups, executor, policy.isolation());
        String cacheKey = finding.accountId() + "|" + finding.region();
        // The groups depend only on the VPC, which a resumed run's recorded pre-state shares with the live read.
        var groupPair = isolator.prepareGroups(new InstanceIsolator.Target(live, finding.id(), cacheKey));
        PreState pre = claim.kind() == Claim.Kind.RESUME && claim.record().preStateJson() != null
                ? read(claim.record().preStateJson(), PreState.class) : record(finding, live);
        Map<String, StepResult> done = doneSteps(claim);
        var recordings = new java.util.concurrent.ConcurrentLinkedQueue<CompletableFuture<Void>>();
        InstanceIsolator.Run run = isolator.isolate(new InstanceIsolator.Target(pre, finding.id(), cacheKey), done,
                step -> recordings.add(CompletableFuture.runAsync(() -> ledger.recordStep(finding.dedupKey(),
                        action(), step.name(), write(step)), executor)), groupPair);
        LOG.info("network isolated", finding.id(), Map.of("instanceId", pre.instanceId(),
                "networkIsolatedAtEpochMillis", run.networkIsolatedAt().toEpochMilli()));
        CompletableFuture.allOf(recordings.toArray(CompletableFuture[]::new)).join();
        String verification = verify(ec2, pre, run);
        ResponseResult result = new ResponseResult(finding, action(), pre.instanceId(), decision,
                outcomeOf(run.steps(), verification), run.steps(), Json.mapper().valueToTree(pre), verification,
                started, clock.instant());
        if (run.steps().stream().anyMatch(StepRunner::isTransient)) {
            ledger.releaseLease(finding.dedupKey(), action());
            throw new TransientFailureException("isolation of " + pre.instanceId() + " for finding " + finding.id()
                    + " stopped on a transient AWS error; a retry resumes from the ledger", result);
        }
        // Publish before completing, because a run that completed and then failed to publish would leave its
        // retry nothing to do but report ALREADY_HANDLED, and the result would be lost.
        try {
            publisher.publish(result);
        } catch (RuntimeException e) {
            ledger.releaseLease(finding.dedupKey(), action());
            throw new TransientFailureException("isolation of " + pre.instanceId() + " for finding " + finding.id()
                    + " ended " + result.outcome() + ", but publishing the result failed (" + e.getMessage()
                    + "); a retry resumes from the ledger and publishes it", result);
        }
        ledger.complete(finding.dedupKey(), action(), write(result));
        return logged(result);
    }

    /**
     * Ends a response whose decision lacked data (the instance, the ledger): nothing changes, the reason names
     * what could not be read, and an alert goes out. A transient error is thrown instead, for Lambda to retry.
     */
    private ResponseResult failClosed(Finding finding, String instanceId, CompletableFuture<Claim> claim,
            String owner, RuntimeException error, Instant started) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String code = cause instanceof software.amazon.awssdk.core.exception.SdkException sdk
                ? StepRunner.errorCode(sdk) : cause.getClass().getSimpleName();
        // Wait for the claim to be given up, because Lambda freezes the process once the handler returns or
        // throws, and a release still running then might never reach the ledger.
        claim.thenAccept(owned -> abandonIfOwned(owned, finding, owner)).exceptionally(ignored -> null).join();
        Decision decision = Decision.ignore("fail closed: could not read what the decision needs (" + code + ": "
                + cause.getMessage() + "), so Quell changed nothing");
        ResponseResult result = new ResponseResult(finding, action(), instanceId, decision, Outcome.FAILED,
                List.of(StepResult.failed(IsolationStep.READ_INSTANCE.stepName(), cause.getMessage(), code, 0)),
                null, null, started, clock.instant());
        if (StepRunner.isTransient(result.steps().get(0))) {
            throw new TransientFailureException("could not read instance " + instanceId + " for finding "
                    + finding.id() + ": " + code, result);
        }
        LOG.error("response failed closed", finding.id(), Map.of("instanceId", instanceId, "errorCode", code), cause);
        publisher.alert(finding.id(), Map.of("findingId", finding.id(), "action", action(), "reason",
                decision.reason()));
        publisher.publish(result);
        return result;
    }

    private PreState record(Finding finding, PreState live) {
        ledger.recordPreState(finding.dedupKey(), action(), write(live), live.instanceId());
        return live;
    }

    private String verify(Ec2Clients ec2, PreState pre, InstanceIsolator.Run run) {
        if (run.groupPair() == null) {
            return "not verified: the isolation group could not be prepared";
        }
        try {
            boolean expectNoProfile = pre.profile() != null && policy.isolation().revokeInstanceCredentials();
            return new Verifier(ec2, executor).verify(pre, run.groupPair(), expectNoProfile,
                    "standby".equals(policy.isolation().autoScaling()));
        } catch (SdkException e) {
            if (StepRunner.isTransient(e)) {
                // Every step may be done, so nothing is reported yet. Lambda's retry skips them and verifies again.
                throw e;
            }
            return "not verified: " + e.getMessage();
        } catch (RuntimeException e) {
            return "not verified: " + e.getMessage();
        }
    }

    private static Outcome outcomeOf(List<StepResult> steps, String verification) {
        boolean swapFailed = steps.stream().anyMatch(step -> step.failed()
                && step.name().equals(IsolationStep.SWAP_SECURITY_GROUPS.stepName()));
        if (swapFailed) {
            return Outcome.FAILED;
        }
        boolean anyFailed = steps.stream().anyMatch(StepResult::failed);
        return anyFailed || !Verifier.VERIFIED.equals(verification) ? Outcome.PARTIAL : Outcome.CONTAINED;
    }

    private ResponseResult alreadyHandled(Finding finding, Decision decision, Claim claim, Instant started) {
        var earlier = claim.record();
        Decision handled = new Decision(decision.outcome(), "already handled: an earlier delivery of this finding"
                + " ran " + action() + " (ledger status " + earlier.status() + ")", decision.playbook());
        ResponseResult result = new ResponseResult(finding, action(), earlier.resourceId(),
                handled, Outcome.ALREADY_HANDLED, List.of(), preStateOf(earlier.preStateJson()), null, started,
                clock.instant());
        boolean newer = finding.updatedAt() != null && (earlier.findingUpdatedAt() == null
                || finding.updatedAt().isAfter(earlier.findingUpdatedAt()));
        // Recording the newer updatedAt is a conditional write, so of several deliveries of one update only one
        // publishes it. If publishing fails, the old value goes back so that Lambda's retry publishes it.
        if (newer && ledger.compareAndSetFindingUpdatedAt(finding.dedupKey(), action(), earlier.findingUpdatedAt(),
                finding.updatedAt())) {
            try {
                publisher.publish(result);
            } catch (RuntimeException e) {
                ledger.compareAndSetFindingUpdatedAt(finding.dedupKey(), action(), finding.updatedAt(),
                        earlier.findingUpdatedAt());
                throw e;
            }
        }
        return logged(result);
    }

    private ResponseResult heldElsewhere(Finding finding, Decision decision, Claim claim, Instant started) {
        Decision held = new Decision(decision.outcome(), "another run holds the claim on this finding until "
                + claim.record().leaseUntil() + "; it finishes the work", decision.playbook());
        return logged(new ResponseResult(finding, action(), null, held, Outcome.ALREADY_HANDLED, List.of(),
                null, null, started, clock.instant()));
    }

    private ResponseResult finish(ResponseResult result) {
        if (result.outcome() == Outcome.PLANNED || result.outcome() == Outcome.IGNORED) {
            publisher.publish(result);
        }
        return logged(result);
    }

    private static ResponseResult logged(ResponseResult result) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("action", result.action());
        fields.put("outcome", result.outcome());
        fields.put("reason", result.decision().reason());
        fields.put("findingType", result.finding().type());
        if (result.resourceId() != null) {
            fields.put("resourceId", result.resourceId());
        }
        LOG.info("response finished", result.finding().id(), fields);
        return result;
    }

    /**
     * Gives up a claim this run owns without acting: a new claim is deleted, and a resumed one keeps its record
     * but releases its lease, so the next delivery or Lambda retry resumes at once instead of finding it held.
     */
    private void abandonIfOwned(Claim claim, Finding finding, String owner) {
        if (claim != null && claim.kind() == Claim.Kind.NEW) {
            ledger.abandon(finding.dedupKey(), action(), owner);
        } else if (claim != null && claim.kind() == Claim.Kind.RESUME) {
            ledger.releaseLease(finding.dedupKey(), action());
        }
    }

    private static ResourceState stateOf(Optional<PreState> live, String instanceId) {
        return live.map(pre -> new ResourceState(!"terminated".equals(pre.state()), pre.instanceArn(), pre.state(),
                pre.tags())).orElseGet(() -> ResourceState.missing(instanceId));
    }

    private static Map<String, StepResult> doneSteps(Claim claim) {
        Map<String, StepResult> done = new HashMap<>();
        claim.record().stepsJson().forEach((name, json) -> done.put(name, read(json, StepResult.class)));
        return done;
    }

    private static JsonNode preStateOf(String json) {
        return json == null ? null : read(json, JsonNode.class);
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the ledger holds a " + type.getSimpleName() + " that is not valid JSON",
                    e);
        }
    }

    static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
