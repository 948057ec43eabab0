package dev.quell.infra;

/**
 * The Security Hub custom actions Quell offers in the console. An analyst picks one on a finding, and Security Hub
 * sends a {@code Security Hub Findings - Custom Action} event whose {@code resources} contains the action's ARN.
 *
 * <p>Security Hub limits the id and the name to 20 characters each.
 */
public enum CustomAction {

    ISOLATE_INSTANCE("QuellIsolate", "Isolate instance",
            "Quell: isolate the EC2 instance named in the finding (follows the policy mode)"),
    QUARANTINE_KEY("QuellQuarantineKey", "Quarantine key",
            "Quell: deactivate the IAM access key named in the finding (follows the policy mode)"),
    REVOKE_SESSIONS("QuellRevokeSessions", "Revoke sessions",
            "Quell: revoke the IAM role sessions issued before now (follows the policy mode)"),
    RELEASE("QuellRelease", "Release",
            "Quell: undo the containment recorded for the finding");

    private final String id;
    private final String actionName;
    private final String description;

    CustomAction(String id, String actionName, String description) {
        this.id = id;
        this.actionName = actionName;
        this.description = description;
    }

    /** The action target id, the last part of its ARN. */
    public String id() {
        return id;
    }

    /** The name the console shows in the Actions menu. */
    public String actionName() {
        return actionName;
    }

    public String description() {
        return description;
    }
}
