package dev.quell.core.finding.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuardDutyNamesTest {

    @Test
    void asffTypeTurnsBackIntoGuardDutyType() {
        assertThat(GuardDutyNames.typeFrom(List.of("TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce")))
                .isEqualTo("UnauthorizedAccess:EC2/SSHBruteForce");
        assertThat(GuardDutyNames.typeFrom(List.of("TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS")))
                .isEqualTo("Backdoor:EC2/C&CActivity.B!DNS");
    }

    @Test
    void nativeTypeWinsOverGenericCategories() {
        assertThat(GuardDutyNames.typeFrom(List.of("Threats", "Execution:Runtime/NewBinaryExecuted")))
                .isEqualTo("Execution:Runtime/NewBinaryExecuted");
    }

    @Test
    void typesWithoutGuardDutyNameGiveNull() {
        assertThat(GuardDutyNames.typeFrom(List.of("Software and Configuration Checks/Vulnerabilities/CVE")))
                .isNull();
        assertThat(GuardDutyNames.typeFrom(List.of())).isNull();
    }

    @Test
    void guardDutyProductArns() {
        assertThat(GuardDutyNames.isGuardDutyProduct("arn:aws:securityhub:us-east-1::product/aws/guardduty"))
                .isTrue();
        assertThat(GuardDutyNames.isGuardDutyProduct("arn:aws:securityhub:us-east-1::productv2/aws/guardduty"))
                .isTrue();
        assertThat(GuardDutyNames.isGuardDutyProduct("arn:aws::securityhub:us-east-1::product/aws/guardduty"))
                .isTrue();
        assertThat(GuardDutyNames.isGuardDutyProduct("arn:aws:securityhub:us-east-1::product/aws/inspector"))
                .isFalse();
        assertThat(GuardDutyNames.isGuardDutyProduct(null)).isFalse();
    }

    @Test
    void findingIdFromArnOrUnchanged() {
        assertThat(GuardDutyNames.findingId(
                "arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d/finding/5e6f7a8b")).isEqualTo("5e6f7a8b");
        assertThat(GuardDutyNames.findingId("5e6f7a8b")).isEqualTo("5e6f7a8b");
    }
}
