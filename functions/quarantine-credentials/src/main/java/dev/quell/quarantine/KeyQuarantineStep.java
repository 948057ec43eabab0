package dev.quell.quarantine;

import dev.quell.core.response.StepContract;
import dev.quell.iam.StepPhase;
import java.util.Arrays;
import java.util.List;

/**
 * The steps of quarantining an IAM user's access key and of releasing it, in the order they run, each with the IAM
 * actions its calls need. The CDK app grants the function the union of these actions and nothing else.
 *
 * <p>{@code iam:AttachUserPolicy} and {@code iam:CreatePolicy} let a holder escalate privileges, so the grant should
 * limit {@code AttachUserPolicy} to {@link #QUARANTINE_POLICY} and the {@code /quell/} path with the
 * {@code iam:PolicyARN} condition key, and {@code CreatePolicy} to policies under {@code /quell/}.
 */
public enum KeyQuarantineStep {

    READ_USER(StepPhase.RESPONSE, new StepContract("read-user", List.of(
            "iam:GetUser", "iam:ListAccessKeys", "iam:ListAttachedUserPolicies", "iam:ListUserPolicies",
            "iam:GetUserPolicy", "iam:GetLoginProfile"), false,
            "Re-read the user, its access keys, policies and console password, and record them")),
    DEACTIVATE_KEY(StepPhase.RESPONSE, new StepContract("deactivate-access-key", List.of("iam:UpdateAccessKey"), true,
            "Set the finding's access key to Inactive, without deleting it or touching the user's other keys")),
    ATTACH_QUARANTINE_POLICY(StepPhase.RESPONSE, new StepContract("attach-quarantine-policy", List.of(
            "iam:AttachUserPolicy"), true,
            "Attach the AWS managed policy AWSCompromisedKeyQuarantineV3 to the user")),
    DENY_OLDER_SESSIONS(StepPhase.RESPONSE, new StepContract("deny-older-sessions", List.of(
            "iam:PutUserPolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:ListPolicyVersions",
            "iam:DeletePolicyVersion", "iam:AttachUserPolicy"), true,
            "Deny the user's temporary credentials issued before the response time")),
    REMOVE_CONSOLE_LOGIN(StepPhase.RESPONSE, new StepContract("remove-console-login", List.of(
            "iam:DeleteLoginProfile"), true,
            "Delete the user's console password, when the policy sets credentials.removeConsoleLogin")),
    VERIFY(StepPhase.RESPONSE, new StepContract("verify-quarantine", List.of(
            "iam:ListAccessKeys", "iam:ListAttachedUserPolicies", "iam:GetUserPolicy", "iam:GetPolicy",
            "iam:GetPolicyVersion", "iam:GetLoginProfile"), false,
            "Re-read the key status and the user's policies, and check that the quarantine is in force")),
    REACTIVATE_KEY(StepPhase.RELEASE, new StepContract("reactivate-access-key", List.of(
            "iam:GetUser", "iam:ListAccessKeys", "iam:UpdateAccessKey"), true,
            "Set the access key back to Active, only when it was Active before the quarantine")),
    DETACH_QUARANTINE_POLICY(StepPhase.RELEASE, new StepContract("detach-quarantine-policy", List.of(
            "iam:DetachUserPolicy"), true,
            "Detach AWSCompromisedKeyQuarantineV3, only when the quarantine attached it")),
    REMOVE_SESSION_DENY(StepPhase.RELEASE, new StepContract("remove-session-deny", List.of(
            "iam:GetUserPolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:DeleteUserPolicy", "iam:PutUserPolicy",
            "iam:DetachUserPolicy", "iam:ListPolicyVersions", "iam:DeletePolicyVersion", "iam:DeletePolicy"), true,
            "Remove the session deny, restoring the inline policy of that name the user had before, if any"));

    /**
     * The AWS managed policy the quarantine attaches, by name; its ARN is {@code arn:<partition>:iam::aws:policy/}
     * and the name.
     */
    public static final String QUARANTINE_POLICY = "AWSCompromisedKeyQuarantineV3";

    private final StepPhase phase;
    private final StepContract contract;

    KeyQuarantineStep(StepPhase phase, StepContract contract) {
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
        return Arrays.stream(values()).map(KeyQuarantineStep::contract).toList();
    }

    /** Returns the contracts of one phase's steps, in order. */
    public static List<StepContract> contracts(StepPhase phase) {
        return Arrays.stream(values()).filter(step -> step.phase == phase).map(KeyQuarantineStep::contract).toList();
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
