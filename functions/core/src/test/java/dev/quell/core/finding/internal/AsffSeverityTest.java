package dev.quell.core.finding.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingRejectedException.Reason;
import dev.quell.core.finding.Severity;
import dev.quell.core.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AsffSeverityTest {

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"Label\": \"MEDIUM\", \"Original\": \"6.0\", \"Normalized\": 40}                 | 6.0 | MEDIUM",
        "{\"Label\": \"MEDIUM\", \"Product\": 40, \"Normalized\": 40, \"Original\": \"MEDIUM\"} | 4.0 | MEDIUM",
        "{\"Label\": \"LOW\", \"Product\": 10, \"Normalized\": 10}                           | 1.0 | LOW",
        "{\"Label\": \"MEDIUM\", \"Product\": 2, \"Normalized\": 40}                         | 4.0 | MEDIUM",
        "{\"Label\": \"CRITICAL\", \"Original\": 90, \"Normalized\": 90}                     | 9.0 | CRITICAL",
        "{\"Label\": \"HIGH\"}                                                            | 7.0 | HIGH",
        "{\"Label\": \"informational\", \"Normalized\": 0}                                 | 0.0 | INFORMATIONAL",
        "{\"Product\": 0, \"Normalized\": 6}                                               | 0.6 | LOW",
        "{\"Normalized\": \"40\", \"Original\": \"MEDIUM\"}                                | 4.0 | MEDIUM",
        "{\"Original\": \"HIGH\"}                                                          | 7.0 | HIGH",
    })
    void securityHubFinding(String severity, double score, String label) {
        assertThat(read("{\"Severity\": " + severity + "}", false)).isEqualTo(new Severity(score, label));
    }

    @Test
    void guardDutyWithoutLabelUsesProductScore() {
        assertThat(read("{\"Severity\": {\"Product\": 8}}", true)).isEqualTo(new Severity(8.0, "HIGH"));
    }

    @Test
    void guardDutyLabelFromProductFields() {
        String finding = "{\"Severity\": {\"Product\": 5, \"Normalized\": 50},"
                + " \"ProductFields\": {\"aws/securityhub/SeverityLabel\": \"MEDIUM\"}}";

        assertThat(read(finding, true)).isEqualTo(new Severity(5.0, "MEDIUM"));
    }

    @Test
    void findingProviderFieldsAlone() {
        String finding = "{\"FindingProviderFields\": {\"Severity\": {\"Label\": \"HIGH\", \"Original\": \"8.2\"}}}";

        assertThat(read(finding, false)).isEqualTo(new Severity(8.2, "HIGH"));
    }

    @Test
    void otherProductWithoutLabelIsRejected() {
        FindingRejectedException rejection = catchThrowableOfType(FindingRejectedException.class,
                () -> read("{\"Severity\": {\"Product\": 8}}", false));

        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_FIELD);
        assertThat(rejection.getMessage()).contains("Severity", "Label", "Normalized");
    }

    @Test
    void unknownLabelIsRejected() {
        FindingRejectedException rejection = catchThrowableOfType(FindingRejectedException.class,
                () -> read("{\"Severity\": {\"Label\": \"SEVERE\", \"Normalized\": 70}}", false));

        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_FIELD);
        assertThat(rejection.getMessage()).contains("Severity.Label", "SEVERE");
    }

    @Test
    void missingSeverityIsRejected() {
        FindingRejectedException rejection = catchThrowableOfType(FindingRejectedException.class,
                () -> read("{\"Title\": \"no severity\"}", false));

        assertThat(rejection.reason()).isEqualTo(Reason.MISSING_FIELD);
        assertThat(rejection.getMessage()).isEqualTo("Severity is missing");
    }

    private static Severity read(String finding, boolean guardDuty) {
        try {
            Node node = Node.root(Json.mapper().readTree(finding));
            return AsffSeverity.read(node, ProductFields.read(node.field("ProductFields")), guardDuty);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
