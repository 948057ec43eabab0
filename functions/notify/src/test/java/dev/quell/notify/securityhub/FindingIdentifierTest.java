package dev.quell.notify.securityhub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.notify.Results;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingIdentifierTest {

    @Test
    void guardDutyFinding_derivesSecurityHubIdentifiers() {
        FindingIdentifier identifier = FindingIdentifier.of(Results.instanceFinding()).orElseThrow();

        assertThat(identifier.id()).isEqualTo(Results.GUARDDUTY_ARN);
        assertThat(identifier.productArn()).isEqualTo("arn:aws:securityhub:eu-west-1::product/aws/guardduty");
        assertThat(identifier.region()).isEqualTo("eu-west-1");
    }

    @Test
    void chinaFinding_usesItsPartition() {
        Finding base = Results.instanceFinding();
        String arn = "arn:aws-cn:guardduty:cn-north-1:123456789012:detector/d1/finding/f1";
        Finding finding = new Finding("f1", Finding.Source.GUARDDUTY, base.type(), null, null, base.severity(),
                base.accountId(), "cn-north-1", "aws-cn", null, null, null, null, 1, false, false, null, arn, null,
                null, null, List.of(), null);

        FindingIdentifier identifier = FindingIdentifier.of(finding).orElseThrow();

        assertThat(identifier.productArn()).isEqualTo("arn:aws-cn:securityhub:cn-north-1::product/aws/guardduty");
    }

    @Test
    void securityHubFinding_usesItsOwnIdentifiers() {
        Finding base = Results.finding("f", Finding.Source.SECURITY_HUB, "t", "title", "d", List.of(),
                Indicators.NONE, false, "NEW");
        String productArn = "arn:aws:securityhub:eu-west-1::product/aws/securityhub";
        Finding finding = new Finding(base.id(), base.source(), base.type(), base.title(), base.description(),
                base.severity(), base.accountId(), base.region(), base.partition(), null, null, null, null, 1, false,
                false, "NEW", null, new Finding.SecurityHubRef("hub-id-1", productArn, "Security Hub", "AWS"), null,
                null, List.of(), null);

        FindingIdentifier identifier = FindingIdentifier.of(finding).orElseThrow();

        assertThat(identifier).isEqualTo(new FindingIdentifier("hub-id-1", productArn, "eu-west-1"));
    }

    @Test
    void findingWithoutArn_hasNoIdentifiers() {
        assertThat(FindingIdentifier.of(Results.bareFinding())).isEmpty();
    }
}
