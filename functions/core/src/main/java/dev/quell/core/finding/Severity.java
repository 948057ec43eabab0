package dev.quell.core.finding;

/**
 * A finding's severity as a number from 0 to 10 and the label GuardDuty and Security Hub give that number.
 *
 * <p>The bands are GuardDuty's: 1.0–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10.0 critical. Security Hub
 * labels 0 as informational.
 */
public record Severity(double score, String label) {

    public Severity {
        if (Double.isNaN(score) || score < 0 || score > 10) {
            throw new IllegalArgumentException("severity score must be between 0 and 10, was " + score);
        }
        label = label == null || label.isBlank() ? labelFor(score) : label;
    }

    /** Returns the severity for a score, labelled by GuardDuty's bands. */
    public static Severity of(double score) {
        return new Severity(score, labelFor(score));
    }

    /** Returns the label of GuardDuty's severity band that contains the score. */
    public static String labelFor(double score) {
        if (score >= 9.0) {
            return "CRITICAL";
        }
        if (score >= 7.0) {
            return "HIGH";
        }
        if (score >= 4.0) {
            return "MEDIUM";
        }
        if (score > 0.0) {
            return "LOW";
        }
        return "INFORMATIONAL";
    }
}
