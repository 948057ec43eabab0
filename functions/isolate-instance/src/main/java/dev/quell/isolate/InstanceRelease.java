package dev.quell.isolate;

import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.LedgerRecord;
import dev.quell.core.response.ReleaseRejectedException;
import dev.quell.core.response.ReleaseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import dev.quell.isolate.StepRunner.SkipStep;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Undoes an isolation from the pre-state the ledger recorded: termination protection and shutdown behaviour,
 * the instance profile and the role deny, each interface's security groups, Auto Scaling membership and target
 * group registrations with their ports. Only steps the isolation finished are undone. Snapshots stay: they are
 * evidence.
 *
 * <p>It refuses when the instance is gone or terminated, or when its network interfaces are no longer the ones
 * recorded, because restoring recorded groups onto other interfaces would be wrong.
 */
final class InstanceRelease {

    private final Ledger ledger;
    private final Function<PreState, Ec2Clients> clientsFor;
    private final Executor executor;
    private final Clock clock;

    InstanceRelease(Ledger ledger, Function<PreState, Ec2Clients> clientsFor, Executor executor, Clock clock) {
        this.ledger = ledger;
        this.clientsFor = clientsFor;
        this.executor = executor;
        this.clock = clock;
    }

    ReleaseResult release(String findingKey, String action, String actor, String reason) {
        LedgerRecord record = ledger.find(findingKey, action).orElseThrow(() -> new ReleaseRejectedException(
                "no isolation is recorded for finding " + findingKey + "; nothing to release"));
        if (LedgerRecord.RELEASED.equals(record.status())) {
            return new ReleaseResult(findingKey, action, record.resourceId(), ReleaseResult.Status.ALREADY_RELEASED,
                    List.of(), "already released", actor, reason, clock.instant());
        }
        if (record.preStateJson() == null) {
            throw new ReleaseRejectedException("finding " + findingKey + " has no recorded pre-state: isolation"
                    + " changed nothing, so there is nothing to release");
        }
        if (LedgerRecord.IN_PROGRESS.equals(record.status()) && record.leaseUntil() != null
                && record.leaseUntil().isAfter(clock.instant())) {
            throw new ReleaseRejectedException("isolation of " + record.resourceId() + " for finding " + findingKey
                    + " is still in progress until " + record.leaseUntil() + "; release it after it finishes");
        }
        PreState pre = InstanceResponder.read(record.preStateJson(), PreState.class);
        // A finding whose isolation failed let the instance go, and another may have isolated it since: restoring
        // this finding's pre-state would put the instance back on its network under the other's containment.
        ledger.heldByAnother(InstanceResponder.holdKey(pre.instanceArn()), findingKey).ifPresent(other -> {
            throw new ReleaseRejectedException("instance " + pre.instanceId() + " is now isolated for finding "
                    + other + "; release that finding first, then this one");
        });
        Ec2Clients clients = clientsFor.apply(pre);
        requireUnchanged(clients, pre);
        List<StepResult> steps = restore(clients, pre, doneSteps(record));
        boolean failed = steps.stream().anyMatch(StepResult::failed);
        ReleaseResult result = new ReleaseResult(findingKey, action, pre.instanceId(),
                failed ? ReleaseResult.Status.FAILED : ReleaseResult.Status.RELEASED, steps,
                failed ? "release of " + pre.instanceId() + " failed in part; run it again to retry"
                        : "restored " + pre.instanceId() + " to its recorded state; snapshots are kept as evidence",
                actor, reason, clock.instant());
        if (!failed) {
            ledger.markStatus(findingKey, action, LedgerRecord.RELEASED, InstanceResponder.write(result));
            ledger.releaseHold(InstanceResponder.holdKey(pre.instanceArn()), findingKey);
        }
        return result;
    }

    /** Returns the names of the isolation steps that finished, the only ones release undoes. */
    private static Set<String> doneSteps(LedgerRecord record) {
        Set<String> done = new java.util.HashSet<>();
        record.stepsJson().forEach((name, json) -> {
            if (InstanceResponder.read(json, StepResult.class).status() == StepStatus.DONE) {
                done.add(name);
            }
        });
        return done;
    }

    private static void requireUnchanged(Ec2Clients clients, PreState pre) {
        Instance instance;
        try {
            instance = clients.ec2().describeInstances(request -> request.instanceIds(pre.instanceId()))
                    .reservations().stream().map(Reservation::instances).flatMap(List::stream).findFirst()
                    .orElse(null);
        } catch (Ec2Exception e) {
            instance = null;
        }
        if (instance == null || "terminated".equals(instance.state().nameAsString())) {
            throw new ReleaseRejectedException("instance " + pre.instanceId() + " no longer exists (terminated or"
                    + " not found), so it cannot be restored");
        }
        Set<String> now = Set.copyOf(instance.networkInterfaces().stream()
                .map(InstanceNetworkInterface::networkInterfaceId).toList());
        if (!now.equals(pre.interfaceGroups().keySet())) {
            throw new ReleaseRejectedException("instance " + pre.instanceId() + " has network interfaces " + now
                    + " but isolation recorded " + pre.interfaceGroups().keySet() + "; restore it by hand");
        }
    }

    private List<StepResult> restore(Ec2Clients clients, PreState pre, Set<String> done) {
        List<StepResult> results = new ArrayList<>();
        results.addAll(parallel(
                step(ReleaseStep.RESTORE_PROTECTION.stepName(), () -> restoreProtection(clients, pre)),
                step(ReleaseStep.RESTORE_CREDENTIALS.stepName(), () -> restoreCredentials(clients, pre,
                        done.contains(IsolationStep.REVOKE_INSTANCE_CREDENTIALS.stepName())))));
        results.addAll(parallel(
                step(ReleaseStep.RESTORE_SECURITY_GROUPS.stepName(), () -> restoreGroups(clients, pre))));
        results.addAll(parallel(
                step(ReleaseStep.RESTORE_AUTO_SCALING.stepName(), () -> restoreAutoScaling(clients, pre,
                        done.contains(IsolationStep.DETACH_AUTO_SCALING.stepName()))),
                step(ReleaseStep.RESTORE_TARGET_GROUPS.stepName(), () -> restoreTargets(clients, pre,
                        done.contains(IsolationStep.DEREGISTER_TARGETS.stepName())))));
        results.addAll(parallel(step(ReleaseStep.TAG_RELEASED.stepName(), () -> tagReleased(clients, pre))));
        return results;
    }

    private static String restoreProtection(Ec2Clients clients, PreState pre) {
        clients.ec2().modifyInstanceAttribute(request -> request.instanceId(pre.instanceId())
                .disableApiTermination(value -> value.value(pre.terminationProtection())));
        if (pre.shutdownBehavior() != null) {
            clients.ec2().modifyInstanceAttribute(request -> request.instanceId(pre.instanceId())
                    .instanceInitiatedShutdownBehavior(value -> value.value(pre.shutdownBehavior())));
        }
        return "termination protection " + (pre.terminationProtection() ? "on" : "off") + ", shutdown behaviour "
                + pre.shutdownBehavior();
    }

    private static String restoreCredentials(Ec2Clients clients, PreState pre, boolean revoked) {
        if (pre.profile() == null || !revoked) {
            throw new SkipStep("isolation did not revoke credentials");
        }
        for (String role : pre.profile().roleNames()) {
            try {
                clients.iam().deleteRolePolicy(request -> request.roleName(role)
                        .policyName(InstanceIsolator.POLICY_PREFIX + pre.instanceId()));
            } catch (NoSuchEntityException alreadyGone) {
                // Removed by an earlier release attempt or by hand.
            }
        }
        boolean associated = clients.ec2().describeIamInstanceProfileAssociations(request -> request.filters(
                        Filter.builder().name("instance-id").values(pre.instanceId()).build()))
                .iamInstanceProfileAssociations().stream()
                .anyMatch(association -> Set.of("associated", "associating").contains(association.stateAsString()));
        if (!associated) {
            clients.ec2().associateIamInstanceProfile(request -> request.instanceId(pre.instanceId())
                    .iamInstanceProfile(profile -> profile.arn(pre.profile().profileArn())));
        }
        return "removed the role deny from " + pre.profile().roleNames() + ", associated "
                + pre.profile().profileArn();
    }

    private String restoreGroups(Ec2Clients clients, PreState pre) {
        CompletableFuture.allOf(pre.interfaceGroups().entrySet().stream()
                .map(entry -> CompletableFuture.runAsync(() -> clients.ec2().modifyNetworkInterfaceAttribute(
                        request -> request.networkInterfaceId(entry.getKey()).groups(entry.getValue())), executor))
                .toArray(CompletableFuture[]::new)).join();
        return "restored " + pre.interfaceGroups();
    }

    private static String restoreAutoScaling(Ec2Clients clients, PreState pre, boolean detached) {
        if (pre.autoScaling() == null || !detached) {
            throw new SkipStep("the instance was in no Auto Scaling group, or isolation did not detach it");
        }
        String group = pre.autoScaling().groupName();
        boolean standby = clients.autoScaling().describeAutoScalingInstances(request -> request
                        .instanceIds(pre.instanceId())).autoScalingInstances().stream()
                .anyMatch(member -> member.lifecycleState().startsWith("Standby"));
        if (standby) {
            clients.autoScaling().exitStandby(request -> request.autoScalingGroupName(group)
                    .instanceIds(pre.instanceId()));
            return "returned from standby to " + group + " (capacity as before)";
        }
        clients.autoScaling().attachInstances(request -> request.autoScalingGroupName(group)
                .instanceIds(pre.instanceId()));
        return "attached to " + group + "; the group's desired capacity is now one above the recorded "
                + pre.autoScaling().desiredCapacity() + " because it launched a replacement when the instance was"
                + " detached: lower it when the replacement is no longer needed";
    }

    private static String restoreTargets(Ec2Clients clients, PreState pre, boolean deregistered) {
        if (pre.targetGroups().isEmpty() || !deregistered) {
            throw new SkipStep("the instance was in no target group, or isolation did not deregister it");
        }
        pre.targetGroups().forEach(registration -> clients.loadBalancing().registerTargets(request -> request
                .targetGroupArn(registration.targetGroupArn())
                .targets(TargetDescription.builder().id(pre.instanceId()).port(registration.port()).build())));
        return "registered again in " + pre.targetGroups().size() + " target group(s) with their ports";
    }

    private String tagReleased(Ec2Clients clients, PreState pre) {
        clients.ec2().createTags(request -> request.resources(pre.instanceId()).tags(
                Tag.builder().key(InstanceIsolator.STATUS_TAG).value("released").build(),
                Tag.builder().key("quell:released-at").value(clock.instant().toString()).build()));
        return "tagged quell:status=released";
    }

    private StepSpec step(String name, Callable<String> body) {
        return new StepSpec(name, body);
    }

    private List<StepResult> parallel(StepSpec... steps) {
        List<CompletableFuture<StepResult>> running = new ArrayList<>();
        for (StepSpec spec : steps) {
            running.add(CompletableFuture.supplyAsync(() -> run(spec), executor));
        }
        return running.stream().map(CompletableFuture::join).toList();
    }

    private static StepResult run(StepSpec spec) {
        return StepRunner.run(spec.name(), spec.body());
    }

    /** A named release step. */
    private record StepSpec(String name, Callable<String> body) {
    }
}
