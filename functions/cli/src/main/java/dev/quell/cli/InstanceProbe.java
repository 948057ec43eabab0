package dev.quell.cli;

import dev.quell.testkit.SeededAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/** Describes an instance's containment-relevant state in a few lines, for the demo's before and after. */
final class InstanceProbe {

    private final Ec2Client ec2;
    private final AutoScalingClient autoScaling;
    private final ElasticLoadBalancingV2Client loadBalancing;
    private final IamClient iam;
    private final SeededAccount account;

    InstanceProbe(Ec2Client ec2, AutoScalingClient autoScaling, ElasticLoadBalancingV2Client loadBalancing,
            IamClient iam, SeededAccount account) {
        this.ec2 = ec2;
        this.autoScaling = autoScaling;
        this.loadBalancing = loadBalancing;
        this.iam = iam;
        this.account = account;
    }

    List<String> describe(String instanceId) {
        Instance instance = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances()
                .get(0);
        List<String> lines = new ArrayList<>();
        Map<String, String> names = ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("vpc-id")
                        .values(account.vpcId()).build())).securityGroups().stream()
                .collect(Collectors.toMap(SecurityGroup::groupId, SecurityGroup::groupName));
        instance.networkInterfaces().forEach(eni -> lines.add(eni.networkInterfaceId() + " groups: " + eni.groups()
                .stream().map(g -> names.getOrDefault(g.groupId(), g.groupId())).toList()));
        var memberships = autoScaling.describeAutoScalingInstances(r -> r.instanceIds(instanceId))
                .autoScalingInstances();
        lines.add("Auto Scaling: " + (memberships.isEmpty() ? "none"
                : memberships.get(0).autoScalingGroupName() + " (" + memberships.get(0).lifecycleState() + ")"));
        boolean registered = loadBalancing.describeTargetHealth(r -> r.targetGroupArn(account.targetGroupArn()))
                .targetHealthDescriptions().stream().anyMatch(t -> instanceId.equals(t.target().id()));
        lines.add("target group: " + (registered ? "registered" : "not registered"));
        Boolean protection = ec2.describeInstanceAttribute(r -> r.instanceId(instanceId)
                .attribute(InstanceAttributeName.DISABLE_API_TERMINATION)).disableApiTermination().value();
        lines.add("termination protection: " + (Boolean.TRUE.equals(protection) ? "on" : "off"));
        boolean profile = ec2.describeIamInstanceProfileAssociations(r -> r.filters(Filter.builder()
                        .name("instance-id").values(instanceId).build())).iamInstanceProfileAssociations().stream()
                .anyMatch(a -> "associated".equals(a.stateAsString()));
        lines.add("instance profile: " + (profile ? "associated" : "none"));
        List<String> volumes = instance.blockDeviceMappings().stream().map(m -> m.ebs().volumeId()).toList();
        long snapshots = ec2.describeSnapshots(r -> r.ownerIds("self").filters(Filter.builder().name("volume-id")
                .values(volumes).build())).snapshots().stream()
                .filter(s -> s.tags().stream().anyMatch(t -> t.key().equals("quell:finding-id"))).count();
        lines.add("volumes: " + volumes.size() + ", Quell snapshots: " + snapshots);
        lines.add("role " + account.roleName() + " inline policies: " + iam.listRolePolicies(r -> r
                .roleName(account.roleName())).policyNames());
        return lines;
    }
}
