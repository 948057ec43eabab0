package dev.quell.core.decision;

/**
 * What a responder does with a finding, and why. Every decision carries a reason, including the decision to act.
 *
 * @param outcome act, plan only, or ignore
 * @param reason a sentence for logs, Slack and the Security Hub note
 * @param playbook the playbook that matched, or {@code null} when none did
 */
public record Decision(Outcome outcome, String reason, String playbook) {

    public static Decision act(String reason, String playbook) {
        return new Decision(Outcome.ACT, reason, playbook);
    }

    public static Decision plan(String reason, String playbook) {
        return new Decision(Outcome.PLAN, reason, playbook);
    }

    public static Decision ignore(String reason) {
        return new Decision(Outcome.IGNORE, reason, null);
    }

    public static Decision ignore(String reason, String playbook) {
        return new Decision(Outcome.IGNORE, reason, playbook);
    }

    public boolean acts() {
        return outcome == Outcome.ACT;
    }

    /** The three things a responder can do with a finding. */
    public enum Outcome {
        /** Change resources to contain the threat. */
        ACT,
        /** Change nothing, and say which steps acting would run. */
        PLAN,
        /** Change nothing, and plan nothing. */
        IGNORE
    }
}
