package dev.quell.isolate;

import dev.quell.core.policy.IsolationOptions;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import dev.quell.isolate.StepRunner.SkipStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * Runs the isolation steps on one instance, in the order that protects evidence: protect the instance and take it
 * out of Auto Scaling and its target groups, then cut the network, then revoke its credentials, then take
 * snapshots and tag it. Steps in one phase run in parallel; a step that fails does not stop the others.
 */
final class InstanceIsolator {

    static final String POLICY_PREFIX = "quell-deny-instance-";
    static final String STATUS_TAG = "quell:status";
    static final String FINDING_TAG = "quell:finding-id";

    /** Attempts at creating one snapshot, as many as the SDK's standard retry mode makes. */
    private static final int SNAPSHOT_ATTEMPTS = 3;
    private static final Duration SNAPSHOT_BACKOFF = Duration.ofMillis(200);

    /** Turns off the SDK's retries for one request, for calls that must not be repeated blindly. */
    private static final Consumer<AwsRequestOverrideConfiguration.Builder> SINGLE_ATTEMPT = override -> override
            .addPlugin(config -> config.overrideConfiguration(client -> client
                    .retryStrategy(AwsRetryStrategy.doNotRetry())));

    private final Ec2Clients clients;
    private final IsolationGroups groups;
    private final Executor executor;
    private final IsolationOptions options;

    InstanceIsolator(Ec2Clients clients, IsolationGroups groups, Executor executor, IsolationOptions options) {
        this.clients = clients;
        this.groups = groups;
        this.executor = executor;
        this.options = options;
    }

    /** The steps' results and the moment the last interface reached the isolation group. */
    record Run(List<StepResult> steps, Instant networkIsolatedAt, IsolationGroups.Pair groupPair) {
    }

    /**
     * Starts finding or creating the VPC's isolation groups. The responder starts it before it records the
     * pre-state, so that the groups are ready when the swap needs them; it changes no instance.
     */
    CompletableFuture<IsolationGroups.Pair> prepareGroups(Target target) {
        return groups.prepare(clients.ec2(), target.cacheKey(), target.pre().vpcId());
    }

    /**
     * Runs every step not already done, with the groups that {@link #prepareGroups} started to prepare.
     *
     * @param done the results of steps an earlier run finished, by step name; they are not run again
     * @param onStep called with each new result as soon as it is known, to record it in the ledger
     */
    Run isolate(Target target, Map<String, StepResult> done, Consumer<StepResult> onStep,
            CompletableFuture<IsolationGroups.Pair> groupPair) {
        Phase phase = new Phase(done, onStep);
        phase.start(IsolationStep.PREPARE_GROUPS, () -> describeGroups(groupPair.join()));
        phase.start(IsolationStep.PROTECT_INSTANCE, () -> protect(target.pre()));
        phase.start(IsolationStep.DETACH_AUTO_SCALING, () -> detachAutoScaling(target.pre()));
        phase.start(IsolationStep.DEREGISTER_TARGETS, () -> deregister(target.pre()));
        phase.awaitAll();

        phase.start(IsolationStep.SWAP_SECURITY_GROUPS, () -> swapWithFreshGroups(target, groupPair.join()));
        phase.awaitAll();
        Instant networkIsolatedAt = Instant.now();

        phase.start(IsolationStep.REVOKE_INSTANCE_CREDENTIALS, () -> revokeCredentials(target.pre()));
        phase.awaitAll();

        phase.start(IsolationStep.SNAPSHOT_VOLUMES, () -> snapshot(target.pre(), target.findingId()));
        boolean swapped = phase.results().stream().anyMatch(step -> !step.failed()
                && step.name().equals(IsolationStep.SWAP_SECURITY_GROUPS.stepName()));
        phase.start(IsolationStep.TAG_INSTANCE, () -> tag(target.pre(), target.findingId(), swapped));
        phase.awaitAll();
        IsolationGroups.Pair pair = groupPair.isCompletedExceptionally() ? null : groupPair.join();
        return new Run(phase.results(), networkIsolatedAt, pair);
    }

    /** The instance to isolate and where its groups are cached. */
    record Target(PreState pre, String findingId, String cacheKey) {
    }

    private static String describeGroups(IsolationGroups.Pair pair) {
        return "all-allow group " + pair.allAllowId() + ", isolation group " + pair.isolationId();
    }

    private String protect(PreState pre) {
        var protection = CompletableFuture.runAsync(() -> clients.ec2().modifyInstanceAttribute(request -> request
                .instanceId(pre.instanceId()).disableApiTermination(value -> value.value(true))), executor);
        var shutdown = CompletableFuture.runAsync(() -> clients.ec2().modifyInstanceAttribute(request -> request
                .instanceId(pre.instanceId()).instanceInitiatedShutdownBehavior(value -> value.value("stop"))),
                executor);
        joinAll(protection, shutdown);
        return "termination protection on (was " + (pre.terminationProtection() ? "on" : "off")
                + "), shutdown behaviour stop (was " + pre.shutdownBehavior() + ")";
    }

    private String detachAutoScaling(PreState pre) {
        if (pre.autoScaling() == null) {
            throw new SkipStep("the instance is in no Auto Scaling group");
        }
        String group = pre.autoScaling().groupName();
        try {
            if ("standby".equals(options.autoScaling())) {
                clients.autoScaling().enterStandby(request -> request.autoScalingGroupName(group)
                        .instanceIds(pre.instanceId()).shouldDecrementDesiredCapacity(true));
                return "moved to standby in " + group + "; the group launches no replacement";
            }
            clients.autoScaling().detachInstances(request -> request.autoScalingGroupName(group)
                    .instanceIds(pre.instanceId()).shouldDecrementDesiredCapacity(false));
        } catch (AutoScalingException e) {
            String message = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage();
            if (message != null && message.contains("not part of")) {
                return "already detached from " + group;
            }
            throw e;
        }
        return "detached from " + group + " (desired capacity " + pre.autoScaling().desiredCapacity()
                + " kept, so the group launches a replacement)";
    }

    private String deregister(PreState pre) {
        if (pre.targetGroups().isEmpty()) {
            throw new SkipStep("the instance is registered in no target group");
        }
        var calls = pre.targetGroups().stream()
                .map(registration -> CompletableFuture.runAsync(() -> clients.loadBalancing().deregisterTargets(
                        request -> request.targetGroupArn(registration.targetGroupArn()).targets(
                                TargetDescription.builder().id(pre.instanceId()).port(registration.port()).build())),
                        executor))
                .toArray(CompletableFuture[]::new);
        joinAll(calls);
        return "deregistered from " + pre.targetGroups().size() + " target group(s)";
    }

    /**
     * Swaps the interfaces; when a cached group was deleted since it was looked up, finds or creates the VPC's
     * groups again and swaps once more.
     */
    private String swapWithFreshGroups(Target target, IsolationGroups.Pair pair) {
        try {
            return swap(target.pre(), pair);
        } catch (Ec2Exception e) {
            if (!"InvalidGroup.NotFound".equals(InstanceReader.errorCode(e))) {
                throw e;
            }
            groups.forget(target.cacheKey(), target.pre().vpcId());
            return swap(target.pre(), groups.forVpc(clients.ec2(), target.cacheKey(), target.pre().vpcId()));
        }
    }

    private String swap(PreState pre, IsolationGroups.Pair pair) {
        var calls = pre.interfaceGroups().keySet().stream()
                .map(eni -> CompletableFuture.runAsync(() -> swapInterface(eni, pair), executor))
                .toArray(CompletableFuture[]::new);
        joinAll(calls);
        List<String> lines = new ArrayList<>();
        pre.interfaceGroups().forEach((eni, before) -> lines.add(eni + ": " + String.join(",", before) + " -> "
                + (options.twoStepSwap() ? pair.allAllowId() + " -> " : "") + pair.isolationId()));
        return String.join("; ", lines);
    }

    private void swapInterface(String eni, IsolationGroups.Pair pair) {
        if (options.twoStepSwap()) {
            clients.ec2().modifyNetworkInterfaceAttribute(request -> request.networkInterfaceId(eni)
                    .groups(pair.allAllowId()));
        }
        clients.ec2().modifyNetworkInterfaceAttribute(request -> request.networkInterfaceId(eni)
                .groups(pair.isolationId()));
    }

    private String revokeCredentials(PreState pre) {
        if (!options.revokeInstanceCredentials()) {
            throw new SkipStep("turned off by policy (isolation.revokeInstanceCredentials)");
        }
        if (pre.profile() == null) {
            throw new SkipStep("the instance has no instance profile");
        }
        var denies = pre.profile().roleNames().stream()
                .map(role -> CompletableFuture.runAsync(() -> clients.iam().putRolePolicy(request -> request
                        .roleName(role)
                        .policyName(POLICY_PREFIX + pre.instanceId())
                        .policyDocument(InstanceDenyPolicy.document(pre.instanceArn()))), executor))
                .toArray(CompletableFuture[]::new);
        joinAll(denies);
        disassociate(pre.profile().associationId());
        return "denied credentials issued to " + pre.instanceId() + " on role(s) " + pre.profile().roleNames()
                + " (policy " + POLICY_PREFIX + pre.instanceId() + "), disassociated " + pre.profile().profileArn();
    }

    private void disassociate(String associationId) {
        try {
            clients.ec2().disassociateIamInstanceProfile(request -> request.associationId(associationId));
        } catch (Ec2Exception e) {
            if (!"InvalidAssociationID.NotFound".equals(InstanceReader.errorCode(e))) {
                throw e;
            }
        }
    }

    private String snapshot(PreState pre, String findingId) {
        if (!options.snapshots()) {
            throw new SkipStep("turned off by policy (isolation.snapshots)");
        }
        if (pre.volumeIds().isEmpty()) {
            throw new SkipStep("the instance has no EBS volume");
        }
        List<String> existing = snapshotsOf(pre.volumeIds(), findingId).stream().map(Snapshot::volumeId).toList();
        List<CompletableFuture<String>> created = pre.volumeIds().stream()
                .filter(volume -> !existing.contains(volume))
                .map(volume -> CompletableFuture.supplyAsync(() -> createSnapshot(volume, pre, findingId), executor))
                .toList();
        joinAll(created.toArray(CompletableFuture[]::new));
        return "snapshots of " + pre.volumeIds().size() + " volume(s): " + created.stream()
                .map(CompletableFuture::join).toList() + (existing.isEmpty() ? "" : ", already taken for " + existing);
    }

    /**
     * Creates one snapshot, or finds the one an earlier attempt created. {@code CreateSnapshot} takes no
     * idempotency token, so an attempt whose response was lost (a timeout, a dropped connection, a 5xx) may have
     * created a snapshot, and the SDK's own retry would create a second. Each call here therefore makes a single
     * attempt, and before trying again this looks for a snapshot of the volume tagged with the finding id.
     */
    private String createSnapshot(String volumeId, PreState pre, String findingId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return clients.ec2().createSnapshot(request -> request.volumeId(volumeId)
                        .description("Quell evidence for finding " + findingId + " on " + pre.instanceId())
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(
                                tag(FINDING_TAG, findingId),
                                tag("quell:instance-id", pre.instanceId()),
                                tag("Name", "quell-" + pre.instanceId() + "-" + volumeId)).build())
                        .overrideConfiguration(SINGLE_ATTEMPT))
                        .snapshotId();
            } catch (SdkException e) {
                if (attempt >= SNAPSHOT_ATTEMPTS || !isRetryable(e)) {
                    throw e;
                }
                pause(SNAPSHOT_BACKOFF.multipliedBy(attempt));
                // NOTE: DescribeSnapshots is eventually consistent, so a snapshot created moments ago may not be
                // listed yet. A duplicate is then still possible, though far less likely than with blind retries.
                List<Snapshot> earlier = snapshotsOf(List.of(volumeId), findingId);
                if (!earlier.isEmpty()) {
                    return earlier.get(0).snapshotId();
                }
            }
        }
    }

    private List<Snapshot> snapshotsOf(List<String> volumeIds, String findingId) {
        return clients.ec2().describeSnapshots(request -> request.ownerIds("self").filters(
                        Filter.builder().name("tag:quell:finding-id").values(findingId).build(),
                        Filter.builder().name("volume-id").values(volumeIds).build()))
                .snapshots();
    }

    private static boolean isRetryable(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry CreateSnapshot", e);
        }
    }

    /**
     * Tags the instance with its status and the finding. An instance whose swap failed is still on its network,
     * so it is tagged {@code isolation-failed}, never {@code isolated}: a later finding on it must not take it for
     * isolated.
     */
    private String tag(PreState pre, String findingId, boolean swapped) {
        String status = swapped ? "isolated" : "isolation-failed";
        clients.ec2().createTags(request -> request.resources(pre.instanceId()).tags(
                tag(STATUS_TAG, status),
                tag(FINDING_TAG, findingId),
                tag("quell:isolated-at", Instant.now().toString())));
        return "tagged " + STATUS_TAG + "=" + status + ", " + FINDING_TAG + "=" + findingId;
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static void joinAll(CompletableFuture<?>... futures) {
        try {
            CompletableFuture.allOf(futures).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** One phase of parallel steps, skipping those an earlier run finished. */
    private final class Phase {

        private final Map<String, StepResult> done;
        private final Consumer<StepResult> onStep;
        private final List<CompletableFuture<StepResult>> running = new ArrayList<>();
        private final List<StepResult> results = new ArrayList<>();

        Phase(Map<String, StepResult> done, Consumer<StepResult> onStep) {
            this.done = done;
            this.onStep = onStep;
        }

        void start(IsolationStep step, Callable<String> body) {
            StepResult earlier = done.get(step.stepName());
            if (earlier != null && earlier.status() == StepStatus.DONE) {
                running.add(CompletableFuture.completedFuture(earlier));
                return;
            }
            running.add(CompletableFuture.supplyAsync(() -> {
                StepResult result = StepRunner.run(step, body);
                onStep.accept(result);
                return result;
            }, executor));
        }

        void awaitAll() {
            running.forEach(future -> results.add(future.join()));
            running.clear();
        }

        List<StepResult> results() {
            return List.copyOf(results);
        }
    }
}
