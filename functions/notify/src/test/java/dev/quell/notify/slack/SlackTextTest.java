package dev.quell.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.response.Outcome;
import dev.quell.notify.Results;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackTextTest {

    @Test
    void contained_readsAsPlainText() {
        String text = SlackText.render(Results.contained(Results.instanceFinding()),
                Map.of(Results.ACCOUNT, "payments-prod"));

        assertThat(text).startsWith("HIGH: Command and Control server domain name queried by EC2 instance");
        assertThat(text).contains("Contained (isolate-instance on i-0abc1234def567890)",
                "Account: 123456789012 (payments-prod)", "Resource: EC2 instance i-0abc1234def567890 (Name: web-1)",
                "Remote IPs: 198.51.100.7, 203.0.113.9", "snapshot-volumes: failed with RequestLimitExceeded",
                "Not covered by this response:", "Release:\nquell release " + Results.FINDING_ID,
                "GuardDuty finding: https://console.aws.amazon.com/guardduty/home?region=eu-west-1");
        assertThat(text).doesNotContain("&amp;", "&lt;", "*Steps*", "`");
    }

    @Test
    void planned_isMarkedDryRun() {
        String text = SlackText.render(Results.withOutcome(Results.instanceFinding(), Outcome.PLANNED));

        assertThat(text).startsWith("[DRY RUN] HIGH: ").contains("Planned only: nothing was changed")
                .doesNotContain("quell release");
    }
}
