package dev.quell.notify.securityhub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.decision.Decision;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.notify.Results;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.securityhub.model.WorkflowStatus;

class FindingChangeTest {

    @Test
    void contained_isNotifiedWithNote() {
        FindingChange change = FindingChange.of(Results.contained(Results.instanceFinding()), false);

        assertThat(change.status()).isEqualTo(WorkflowStatus.NOTIFIED);
        assertThat(change.note()).isEqualTo("Quell isolate-instance: contained (verified). Done: protect-instance,"
                + " swap-security-groups, revoke-instance-credentials. Failed: snapshot-volumes"
                + " (RequestLimitExceeded). Skipped: detach-auto-scaling. Release: quell release "
                + Results.FINDING_ID + ".");
        assertThat(change.userDefinedFields()).containsEntry("quell:action", "isolate-instance")
                .containsEntry("quell:outcome", "CONTAINED")
                .containsEntry("quell:resourceId", "i-0abc1234def567890")
                .containsEntry("quell:respondedAt", "2026-12-01T10:05:04.400Z");
    }

    @Test
    void verifiedContainment_resolvesWhenPolicySays() {
        assertThat(FindingChange.of(Results.contained(Results.instanceFinding()), true).status())
                .isEqualTo(WorkflowStatus.RESOLVED);
    }

    @Test
    void unverifiedContainment_staysNotified() {
        ResponseResult partial = Results.withOutcome(Results.instanceFinding(), Outcome.PARTIAL);

        assertThat(FindingChange.of(partial, true).status()).isEqualTo(WorkflowStatus.NOTIFIED);
    }

    @Test
    void longNote_isCutTo512() {
        List<StepResult> steps = IntStream.range(0, 80).mapToObj(i -> StepResult.done("step-number-" + i, "d", 1))
                .toList();
        ResponseResult result = new ResponseResult(Results.instanceFinding(), "isolate-instance", "i-1",
                Decision.act("r", "p"), Outcome.CONTAINED, steps, null, "verified", null, null);

        String note = FindingChange.of(result, false).note();

        assertThat(note).hasSize(512).endsWith("…");
    }

    @Test
    void suppressedAndResolved_areLeftAlone() {
        for (String status : List.of("SUPPRESSED", "RESOLVED", "resolved")) {
            Finding finding = Results.finding("f", Finding.Source.SECURITY_HUB, "t", "title", "d", List.of(),
                    Indicators.NONE, false, status);

            assertThat(FindingChange.reasonToSkip(Results.contained(finding))).as(status).contains("workflow status");
        }
    }

    @Test
    void newAndNotified_areUpdated() {
        for (String status : List.of("NEW", "NOTIFIED")) {
            Finding finding = Results.finding("f", Finding.Source.SECURITY_HUB, "t", "title", "d", List.of(),
                    Indicators.NONE, false, status);

            assertThat(FindingChange.reasonToSkip(Results.contained(finding))).as(status).isNull();
        }
    }

    @Test
    void alreadyHandled_isLeftAlone() {
        ResponseResult result = Results.withOutcome(Results.instanceFinding(), Outcome.ALREADY_HANDLED);

        assertThat(FindingChange.reasonToSkip(result)).contains("earlier response");
    }
}
