package dev.quell.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.constructs.IConstruct;

/** Records cdk-nag suppressions, each with the reason the finding is accepted. */
final class Nag {

    private Nag() {
    }

    /**
     * Suppresses one cdk-nag rule on a construct and its children.
     *
     * @param appliesTo the exact findings suppressed, such as {@code Resource::*}; empty for the whole rule
     * @throws IllegalArgumentException when the reason is blank, because an unexplained suppression cannot be
     *     reviewed
     */
    static void suppress(IConstruct construct, String ruleId, String reason, List<String> appliesTo) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("the suppression of " + ruleId + " on " + construct.getNode().getPath()
                    + " has no reason");
        }
        NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(ruleId).reason(reason);
        if (!appliesTo.isEmpty()) {
            suppression.appliesTo(appliesTo);
        }
        NagSuppressions.addResourceSuppressions(construct, List.of(suppression.build()), true);
    }

    static void suppress(IConstruct construct, String ruleId, String reason) {
        suppress(construct, ruleId, reason, List.of());
    }
}
