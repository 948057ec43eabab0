package dev.quell.core.finding.internal;

import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an ASFF finding's severity into Quell's 0–10 score and label.
 *
 * <ol>
 *   <li>The label is the first valid one of {@code Severity.Label}, {@code FindingProviderFields.Severity.Label},
 *       {@code ProductFields["aws/securityhub/SeverityLabel"]}, the label that Security Hub derives from
 *       {@code Normalized} (0 informational, 1–39 low, 40–69 medium, 70–89 high, 90–100 critical), and
 *       {@code Original} when it is a label word such as {@code "HIGH"}.</li>
 *   <li>The score is the first candidate that lies in the label's band (see {@link Severity}):
 *       {@code Original}, {@code FindingProviderFields.Severity.Original}, {@code Product}, then
 *       {@code Normalized / 10}. Only {@code Normalized} is divided, because it is the only field known to be
 *       on a 0–100 scale. A candidate outside the band uses another scale or disagrees with the label (Security
 *       Hub controls write {@code Product: 40} for MEDIUM), so it is skipped. This keeps Inspector's
 *       {@code Original: "6.0"} as 6.0 and turns {@code Normalized: 40} into 4.0.</li>
 *   <li>When no candidate lies in the band, the score is the band's base: informational 0, low 1, medium 4,
 *       high 7, critical 9.</li>
 *   <li>Without any label, a GuardDuty finding takes its first candidate, because GuardDuty's {@code Original}
 *       and {@code Product} are its own 0–10 severity. Other findings are rejected, because each product
 *       defines the scale of its own {@code Original} and {@code Product}.</li>
 * </ol>
 */
public final class AsffSeverity {

    private static final Map<String, Double> BASE_SCORES = Map.of(
            "INFORMATIONAL", 0.0, "LOW", 1.0, "MEDIUM", 4.0, "HIGH", 7.0, "CRITICAL", 9.0);
    private static final double MAX_NORMALIZED = 100;
    private static final double MAX_SCORE = 10;

    private AsffSeverity() {
    }

    /**
     * Returns the finding's severity.
     *
     * @throws FindingRejectedException with {@link Reason#MISSING_FIELD} when there is no severity at all, or
     *     {@link Reason#INVALID_FIELD} for an unknown label or when no severity can be derived
     */
    public static Severity read(Node finding, ProductFields productFields, boolean guardDuty) {
        Node severity = finding.field("Severity");
        Node provided = finding.field("FindingProviderFields").field("Severity");
        String label = label(severity, provided, productFields);
        List<Double> candidates = candidates(severity, provided);
        if (label != null) {
            return new Severity(scoreInBand(label, candidates), label);
        }
        if (guardDuty && !candidates.isEmpty()) {
            return Severity.of(candidates.get(0));
        }
        throw noSeverity(severity, provided);
    }

    /** Returns the first candidate whose band is {@code label}, or the label's base score. */
    public static double scoreInBand(String label, List<Double> candidates) {
        for (double candidate : candidates) {
            if (Severity.labelFor(candidate).equals(label)) {
                return candidate;
            }
        }
        return BASE_SCORES.get(label);
    }

    /** Returns the upper-cased label if the text is one of the five ASFF labels, else null. */
    public static String labelWord(String text) {
        if (text == null) {
            return null;
        }
        String upper = text.trim().toUpperCase(Locale.ROOT);
        return BASE_SCORES.containsKey(upper) ? upper : null;
    }

    /** Returns the label Security Hub derives from a {@code Normalized} score, or null if it is not 0–100. */
    public static String labelForNormalized(Double normalized) {
        if (normalized == null || normalized < 0 || normalized > MAX_NORMALIZED) {
            return null;
        }
        if (normalized == 0) {
            return "INFORMATIONAL";
        }
        if (normalized < 40) {
            return "LOW";
        }
        if (normalized < 70) {
            return "MEDIUM";
        }
        return normalized < 90 ? "HIGH" : "CRITICAL";
    }

    /** Returns {@code Normalized / 10}, or null when it is not a score from 0 to 100. */
    public static Double normalizedToScore(Double normalized) {
        return labelForNormalized(normalized) == null ? null : normalized / 10;
    }

    /** Adds the value if it is a score from 0 to 10. */
    public static void addCandidate(List<Double> candidates, Double value) {
        if (value != null && value >= 0 && value <= MAX_SCORE) {
            candidates.add(value);
        }
    }

    private static String label(Node severity, Node provided, ProductFields productFields) {
        return FindingValues.firstNonBlank(
                requireValidLabel(severity.field("Label")),
                requireValidLabel(provided.field("Label")),
                labelWord(productFields.get("aws/securityhub/SeverityLabel")),
                labelForNormalized(severity.field("Normalized").number()),
                labelForNormalized(provided.field("Normalized").number()),
                labelWord(severity.field("Original").text()),
                labelWord(provided.field("Original").text()));
    }

    private static String requireValidLabel(Node label) {
        if (!label.present()) {
            return null;
        }
        String word = labelWord(label.text());
        if (word == null) {
            throw label.invalid("one of INFORMATIONAL, LOW, MEDIUM, HIGH and CRITICAL");
        }
        return word;
    }

    private static List<Double> candidates(Node severity, Node provided) {
        List<Double> candidates = new ArrayList<>();
        addCandidate(candidates, severity.field("Original").number());
        addCandidate(candidates, provided.field("Original").number());
        addCandidate(candidates, severity.field("Product").number());
        addCandidate(candidates, normalizedToScore(severity.field("Normalized").number()));
        addCandidate(candidates, normalizedToScore(provided.field("Normalized").number()));
        return candidates;
    }

    private static FindingRejectedException noSeverity(Node severity, Node provided) {
        if (!severity.present() && !provided.present()) {
            return severity.missing();
        }
        Node described = severity.present() ? severity : provided;
        return new FindingRejectedException(Reason.INVALID_FIELD, described.path()
                + " has neither a valid Label nor a Normalized score from 0 to 100");
    }
}
