package dev.quell.isolate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Re-reads an isolated instance and checks the post-state: only the isolation group on every interface, the
 * isolation group without rules, out of its Auto Scaling group and with no instance profile.
 */
final class Verifier {

    static final String VERIFIED = "verified";

    private final Ec2Clients clients;

    Verifier(Ec2Clients clients) {
        this.clients = clients;
    }

    /** Returns {@code verified}, or each mismatch found, separated by semicolons. */
    String verify(PreState pre, IsolationGroups.Pair pair, boolean expectNoProfile, boolean standby) {
        List<String> mismatches = new ArrayList<>();
        Instance instance = clients.ec2().describeInstances(request -> request.instanceIds(pre.instanceId()))
                .reservations().stream().map(Reservation::instances).flatMap(List::stream).findFirst().orElse(null);
        if (instance == null) {
            return "instance " + pre.instanceId() + " is gone";
        }
        instance.networkInterfaces().forEach(eni -> {
            List<String> ids = eni.groups().stream().map(GroupIdentifier::groupId).toList();
            if (!ids.equals(List.of(pair.isolationId()))) {
                mismatches.add(eni.networkInterfaceId() + " has groups " + ids);
            }
        });
        SecurityGroup isolation = clients.ec2().describeSecurityGroups(request -> request
                .groupIds(pair.isolationId())).securityGroups().get(0);
        if (!isolation.ipPermissions().isEmpty() || !isolation.ipPermissionsEgress().isEmpty()) {
            mismatches.add("isolation group " + pair.isolationId() + " has rules");
        }
        checkAutoScaling(pre, standby, mismatches);
        if (expectNoProfile && hasProfile(pre.instanceId())) {
            mismatches.add("an instance profile is still associated");
        }
        return mismatches.isEmpty() ? VERIFIED : String.join("; ", mismatches);
    }

    private void checkAutoScaling(PreState pre, boolean standby, List<String> mismatches) {
        if (pre.autoScaling() == null) {
            return;
        }
        var memberships = clients.autoScaling().describeAutoScalingInstances(request -> request
                .instanceIds(pre.instanceId())).autoScalingInstances();
        boolean acceptable = memberships.isEmpty()
                || standby && Set.of("Standby", "EnteringStandby").contains(memberships.get(0).lifecycleState());
        if (!acceptable) {
            mismatches.add("still in Auto Scaling group " + memberships.get(0).autoScalingGroupName());
        }
    }

    private boolean hasProfile(String instanceId) {
        return clients.ec2().describeIamInstanceProfileAssociations(request -> request.filters(
                        Filter.builder().name("instance-id").values(instanceId).build()))
                .iamInstanceProfileAssociations().stream()
                .anyMatch(association -> Set.of("associated", "associating").contains(association.stateAsString()));
    }
}
