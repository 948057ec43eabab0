package dev.quell.core.finding.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArnTest {

    @Test
    void guardDutyFindingArn() {
        Arn arn = Arn.parse("arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d/finding/5e6f7a8b");

        assertThat(arn.partition()).isEqualTo("aws");
        assertThat(arn.service()).isEqualTo("guardduty");
        assertThat(arn.region()).isEqualTo("us-east-1");
        assertThat(arn.account()).isEqualTo("111122223333");
        assertThat(arn.resource()).isEqualTo("detector/12abc34d/finding/5e6f7a8b");
        assertThat(arn.guardDutyFindingId()).isEqualTo("5e6f7a8b");
    }

    @Test
    void emptyServiceFieldIsDropped() {
        Arn arn = Arn.parse("arn:aws::guardduty:us-east-1:111122223333:detector/12abc34d/finding/5e6f7a8b");

        assertThat(arn.service()).isEqualTo("guardduty");
        assertThat(arn.region()).isEqualTo("us-east-1");
        assertThat(arn.account()).isEqualTo("111122223333");
        assertThat(arn.guardDutyFindingId()).isEqualTo("5e6f7a8b");
    }

    @Test
    void productArnWithEmptyServiceField() {
        Arn arn = Arn.parse("arn:aws::securityhub:us-east-1::product/aws/guardduty");

        assertThat(arn.service()).isEqualTo("securityhub");
        assertThat(arn.region()).isEqualTo("us-east-1");
        assertThat(arn.account()).isEmpty();
        assertThat(arn.resource()).isEqualTo("product/aws/guardduty");
    }

    @Test
    void globalServiceArns() {
        assertThat(Arn.parse("arn:aws:s3:::quell-evidence").resource()).isEqualTo("quell-evidence");
        assertThat(Arn.parse("arn:aws:iam::111122223333:role/ops/responder").lastResourceSegment())
                .isEqualTo("responder");
        assertThat(Arn.parse("arn:aws-cn:iam::111122223333:user/alice").partition()).isEqualTo("aws-cn");
    }

    @Test
    void resourceMayContainColons() {
        Arn arn = Arn.parse("arn:aws:lambda:eu-west-1:111122223333:function:quell-isolate:live");

        assertThat(arn.resource()).isEqualTo("function:quell-isolate:live");
        assertThat(arn.guardDutyFindingId()).isNull();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "i-0abc", "arn:", "arn:aws", "arn:aws:ec2", "arn::ec2:us-east-1:1:x", "ARN:aws:s3:::b"})
    void nonArnsAreNull(String text) {
        assertThat(Arn.parse(text)).isNull();
    }
}
