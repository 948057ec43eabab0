package dev.quell.isolate;

import dev.quell.core.response.StepContract;
import java.util.Arrays;
import java.util.List;

/**
 * The steps of instance isolation, in the order they run, each with the IAM actions its calls need. The CDK app
 * grants the isolation function the union of these actions and nothing else.
 */
public enum IsolationStep {

    READ_INSTANCE(new StepContract("read-instance", List.of(
            "ec2:DescribeInstances", "ec2:DescribeInstanceAttribute", "ec2:DescribeIamInstanceProfileAssociations",
            "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeAutoScalingGroups",
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
            "iam:GetInstanceProfile"), false,
            "Re-read the instance, its Auto Scaling group, target groups and instance profile, and record them")),
    PROTECT_INSTANCE(new StepContract("protect-instance", List.of("ec2:ModifyInstanceAttribute"), true,
            "Turn on termination protection and set shutdown behaviour to stop, so evidence survives")),
    DETACH_AUTO_SCALING(new StepContract("detach-auto-scaling", List.of(
            "autoscaling:DetachInstances", "autoscaling:EnterStandby"), true,
            "Take the instance out of its Auto Scaling group before health checks replace it")),
    DEREGISTER_TARGETS(new StepContract("deregister-target-groups", List.of(
            "elasticloadbalancing:DeregisterTargets"), true,
            "Deregister the instance from every target group, so no load balancer sends it traffic")),
    PREPARE_GROUPS(new StepContract("prepare-isolation-groups", List.of(
            "ec2:DescribeSecurityGroups", "ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress", "ec2:CreateTags"), true,
            "Find or create the VPC's all-allow group and its isolation group, which has no rules")),
    SWAP_SECURITY_GROUPS(new StepContract("swap-security-groups", List.of(
            "ec2:ModifyNetworkInterfaceAttribute"), true,
            "On every interface, set the all-allow group, then the isolation group, which cuts open connections")),
    REVOKE_INSTANCE_CREDENTIALS(new StepContract("revoke-instance-credentials", List.of(
            "iam:PutRolePolicy", "ec2:DisassociateIamInstanceProfile"), true,
            "Deny the role's credentials already issued to this instance, then disassociate its profile")),
    SNAPSHOT_VOLUMES(new StepContract("snapshot-volumes", List.of(
            "ec2:DescribeSnapshots", "ec2:CreateSnapshot", "ec2:CreateTags"), true,
            "Snapshot every attached EBS volume, tagged with the finding id")),
    TAG_INSTANCE(new StepContract("tag-instance", List.of("ec2:CreateTags"), true,
            "Tag the instance with Quell's status and the finding id")),
    VERIFY(new StepContract("verify-isolation", List.of(
            "ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "autoscaling:DescribeAutoScalingInstances",
            "ec2:DescribeIamInstanceProfileAssociations"), false,
            "Re-read the instance and check that only the isolation group is on every interface"));

    private final StepContract contract;

    IsolationStep(StepContract contract) {
        this.contract = contract;
    }

    public StepContract contract() {
        return contract;
    }

    public String stepName() {
        return contract.name();
    }

    /** Returns every step's contract, in order. */
    public static List<StepContract> contracts() {
        return Arrays.stream(values()).map(IsolationStep::contract).toList();
    }

    /** Returns the sorted union of the IAM actions of every step. */
    public static List<String> iamActions() {
        return StepContract.actionsOf(contracts());
    }
}
