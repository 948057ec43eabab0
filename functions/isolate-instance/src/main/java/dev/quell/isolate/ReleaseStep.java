package dev.quell.isolate;

import dev.quell.core.response.StepContract;
import java.util.Arrays;
import java.util.List;

/**
 * The steps of releasing an isolation, in the order {@link InstanceRelease} runs them, each with the IAM actions
 * its calls need. The Release custom action runs them in the isolation function, so the CDK app grants these
 * actions alongside those of {@link IsolationStep}.
 */
public enum ReleaseStep {

    CHECK_INSTANCE(new StepContract("check-instance", List.of("ec2:DescribeInstances"), false,
            "Re-read the instance, and reject the release when it is gone or its network interfaces changed")),
    RESTORE_PROTECTION(new StepContract("restore-protection", List.of("ec2:ModifyInstanceAttribute"), true,
            "Set termination protection and shutdown behaviour back to their recorded values")),
    // AssociateIamInstanceProfile passes the profile's role to EC2, so IAM also checks iam:PassRole on that role.
    RESTORE_CREDENTIALS(new StepContract("restore-credentials", List.of(
            "iam:DeleteRolePolicy", "ec2:DescribeIamInstanceProfileAssociations", "ec2:AssociateIamInstanceProfile",
            "iam:PassRole"), true,
            "Remove the role deny for this instance and associate the recorded instance profile again")),
    RESTORE_SECURITY_GROUPS(new StepContract("restore-security-groups", List.of(
            "ec2:ModifyNetworkInterfaceAttribute"), true,
            "Set every interface's recorded security groups again")),
    RESTORE_AUTO_SCALING(new StepContract("restore-auto-scaling", List.of(
            "autoscaling:DescribeAutoScalingInstances", "autoscaling:ExitStandby", "autoscaling:AttachInstances"),
            true, "Return the instance from standby, or attach it to its recorded Auto Scaling group")),
    RESTORE_TARGET_GROUPS(new StepContract("restore-target-groups", List.of(
            "elasticloadbalancing:RegisterTargets"), true,
            "Register the instance again in every recorded target group, on its recorded port")),
    TAG_RELEASED(new StepContract("tag-released", List.of("ec2:CreateTags"), true,
            "Tag the instance quell:status=released with the release time"));

    private final StepContract contract;

    ReleaseStep(StepContract contract) {
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
        return Arrays.stream(values()).map(ReleaseStep::contract).toList();
    }

    /** Returns the sorted union of the IAM actions of every step. */
    public static List<String> iamActions() {
        return StepContract.actionsOf(contracts());
    }
}
