package dev.quell.revoke;

import dev.quell.core.response.StepContract;
import dev.quell.iam.StepPhase;
import java.util.Arrays;
import java.util.List;

/**
 * The steps of denying a role's sessions, role-wide or for one instance, and of releasing the deny, each with the
 * IAM actions its calls need. The CDK app grants the function the union of these actions and nothing else. No step
 * calls {@code iam:UpdateAccessKey}: role sessions use temporary {@code ASIA} keys, which IAM cannot deactivate.
 *
 * <p>{@code iam:AttachRolePolicy} and {@code iam:CreatePolicy} let a holder escalate privileges, so the grant should
 * limit both to policies under {@code /quell/}, with the {@code iam:PolicyARN} condition key for the attach.
 */
public enum RoleSessionStep {

    READ_ROLE(StepPhase.RESPONSE, new StepContract("read-role", List.of(
            "iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"), false,
            "Re-read the role, its inline and attached policies, and record them")),
    COUNT_BLAST_RADIUS(StepPhase.RESPONSE, new StepContract("count-blast-radius", List.of(
            "iam:ListInstanceProfilesForRole", "ec2:DescribeRegions", "ec2:DescribeIamInstanceProfileAssociations",
            "ec2:DescribeInstances", "lambda:ListFunctions"), false,
            "Count the running instances and Lambda functions that use the role, in every enabled region")),
    DENY_OLDER_SESSIONS(StepPhase.RESPONSE, new StepContract("deny-older-sessions", List.of(
            "iam:PutRolePolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:ListPolicyVersions",
            "iam:DeletePolicyVersion", "iam:AttachRolePolicy"), true,
            "Deny every session of the role issued before the response time, in one policy a repeat replaces")),
    DENY_INSTANCE_CREDENTIALS(StepPhase.RESPONSE, new StepContract("deny-instance-credentials", List.of(
            "iam:PutRolePolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:ListPolicyVersions",
            "iam:DeletePolicyVersion", "iam:AttachRolePolicy"), true,
            "Deny the role's credentials issued to one instance, leaving the role's other users working")),
    VERIFY(StepPhase.RESPONSE, new StepContract("verify-deny", List.of(
            "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion"), false,
            "Re-read the role's policies and check that the deny is in force")),
    REMOVE_DENY(StepPhase.RELEASE, new StepContract("remove-deny", List.of(
            "iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:DeleteRolePolicy",
            "iam:PutRolePolicy", "iam:DetachRolePolicy", "iam:ListPolicyVersions", "iam:DeletePolicyVersion",
            "iam:DeletePolicy"), true,
            "Remove the deny, restoring the inline policy of that name the role had before, if any"));

    private final StepPhase phase;
    private final StepContract contract;

    RoleSessionStep(StepPhase phase, StepContract contract) {
        this.phase = phase;
        this.contract = contract;
    }

    public StepPhase phase() {
        return phase;
    }

    public StepContract contract() {
        return contract;
    }

    public String stepName() {
        return contract.name();
    }

    /** Returns every step's contract, response steps first, in order. */
    public static List<StepContract> contracts() {
        return Arrays.stream(values()).map(RoleSessionStep::contract).toList();
    }

    /** Returns the contracts of one phase's steps, in order. */
    public static List<StepContract> contracts(StepPhase phase) {
        return Arrays.stream(values()).filter(step -> step.phase == phase).map(RoleSessionStep::contract).toList();
    }

    /** Returns the sorted union of the IAM actions of every step. */
    public static List<String> iamActions() {
        return StepContract.actionsOf(contracts());
    }

    /** Returns the sorted union of the IAM actions of one phase's steps. */
    public static List<String> iamActions(StepPhase phase) {
        return StepContract.actionsOf(contracts(phase));
    }
}
