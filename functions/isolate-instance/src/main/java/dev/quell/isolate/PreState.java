package dev.quell.isolate;

import java.util.List;
import java.util.Map;

/**
 * The instance as it was before isolation: everything release needs to restore it.
 *
 * @param interfaceGroups each network interface's security group ids, by interface id
 * @param autoScaling the Auto Scaling group and its capacity, or {@code null} when the instance is in none
 * @param targetGroups each target group the instance was registered in, with the port
 * @param profile the instance profile association, or {@code null} when the instance has no profile
 * @param terminationProtection whether termination protection was already on
 * @param shutdownBehavior the instance-initiated shutdown behaviour ({@code stop} or {@code terminate})
 * @param volumeIds the attached EBS volumes
 */
public record PreState(
        String instanceId,
        String instanceArn,
        String state,
        String vpcId,
        Map<String, String> tags,
        Map<String, List<String>> interfaceGroups,
        AutoScalingMembership autoScaling,
        List<TargetRegistration> targetGroups,
        ProfileAssociation profile,
        boolean terminationProtection,
        String shutdownBehavior,
        List<String> volumeIds) {

    public PreState {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        interfaceGroups = interfaceGroups == null ? Map.of() : Map.copyOf(interfaceGroups);
        targetGroups = targetGroups == null ? List.of() : List.copyOf(targetGroups);
        volumeIds = volumeIds == null ? List.of() : List.copyOf(volumeIds);
    }

    /** The instance's Auto Scaling group and the group's capacity before isolation. */
    public record AutoScalingMembership(String groupName, int minSize, int maxSize, int desiredCapacity,
            String lifecycleState) {
    }

    /** One target group registration. */
    public record TargetRegistration(String targetGroupArn, Integer port) {
    }

    /** The instance profile association. */
    public record ProfileAssociation(String associationId, String profileArn, List<String> roleNames) {

        public ProfileAssociation {
            roleNames = roleNames == null ? List.of() : List.copyOf(roleNames);
        }
    }
}
