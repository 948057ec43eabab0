package dev.quell.core.finding.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"198.51.100.7", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::1", "::",
        "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:192.0.2.128", "fe80::"})
    void literalsAreAccepted(String text) {
        assertThat(IpLiterals.isIpLiteral(text)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "GeneratedFindingIp", "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "2001:db8::1::2",
        "2001:db8:0:0:0:0:0:0:1", "12345::", "::ffff:999.0.0.1", "example.com", "1.2.3.4 "})
    void nonLiteralsAreRejected(String text) {
        assertThat(IpLiterals.isIpLiteral(text)).isFalse();
    }
}
