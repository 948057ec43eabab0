package dev.quell.isolate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Re-reads an isolated instance and checks the post-state: only the isolation group on every interface, the
 * isolation group without rules, out of its Auto Scaling group and with no instance profile. The four reads do
 * not depend on each other, so they run in parallel.
 */
final class Verifier {

    static final String VERIFIED = "verified";

    private final Ec2Clients clients;
    private final Executor executor;

    Verifier(Ec2Clients clients, Executor executor) {
        this.clients = clients;
        this.executor = executor;
    }

    /** Returns {@code verified}, or each mismatch found, separated by semicolons. */
    String verify(PreState pre, IsolationGroups.Pair pair, boolean expectNoProfile, boolean standby) {
        var instanceRead = async(() -> clients.ec2().describeInstances(request -> request
                .instanceIds(pre.instanceId())).reservations().stream().map(Reservation::instances)
                .flatMap(List::stream).findFirst().orElse(null));
        var isolationRead = async(() -> clients.ec2().describeSecurityGroups(request -> request
                .groupIds(pair.isolationId())).securityGroups().get(0));
        var membershipsRead = pre.autoScaling() == null
                ? CompletableFuture.completedFuture(List.<AutoScalingInstanceDetails>of())
                : async(() -> clients.autoScaling().describeAutoScalingInstances(request -> request
                        .instanceIds(pre.instanceId())).autoScalingInstances());
        var profileRead = expectNoProfile ? async(() -> hasProfile(pre.instanceId()))
                : CompletableFuture.completedFuture(false);
        List<String> mismatches = new ArrayList<>();
        Instance instance = join(instanceRead);
        if (instance == null) {
            return "instance " + pre.instanceId() + " is gone";
        }
        instance.networkInterfaces().forEach(eni -> {
            List<String> ids = eni.groups().stream().map(GroupIdentifier::groupId).toList();
            if (!ids.equals(List.of(pair.isolationId()))) {
                mismatches.add(eni.networkInterfaceId() + " has groups " + ids);
            }
        });
        SecurityGroup isolation = join(isolationRead);
        if (!isolation.ipPermissions().isEmpty() || !isolation.ipPermissionsEgress().isEmpty()) {
            mismatches.add("isolation group " + pair.isolationId() + " has rules");
        }
        checkAutoScaling(pre, standby, join(membershipsRead), mismatches);
        if (join(profileRead)) {
            mismatches.add("an instance profile is still associated");
        }
        return mismatches.isEmpty() ? VERIFIED : String.join("; ", mismatches);
    }

    private static void checkAutoScaling(PreState pre, boolean standby, List<AutoScalingInstanceDetails> memberships,
            List<String> mismatches) {
        if (pre.autoScaling() == null) {
            return;
        }
        boolean acceptable = memberships.isEmpty()
                || standby && Set.of("Standby", "EnteringStandby").contains(memberships.get(0).lifecycleState());
        if (!acceptable) {
            mismatches.add("still in Auto Scaling group " + memberships.get(0).autoScalingGroupName());
        }
    }

    private <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }

    /** Waits for a read and rethrows its own exception, so the verification message names the AWS error. */
    private static <T> T join(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private boolean hasProfile(String instanceId) {
        return clients.ec2().describeIamInstanceProfileAssociations(request -> request.filters(
                        Filter.builder().name("instance-id").values(instanceId).build()))
                .iamInstanceProfileAssociations().stream()
                .anyMatch(association -> Set.of("associated", "associating").contains(association.stateAsString()));
    }
}
