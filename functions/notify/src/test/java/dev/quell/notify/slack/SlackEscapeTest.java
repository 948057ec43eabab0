package dev.quell.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackEscapeTest {

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "a & b => a &amp; b",
        "<!channel> => &lt;!channel&gt;",
        "<!here> => &lt;!here&gt;",
        "<@U0123ABC> => &lt;@U0123ABC&gt;",
        "<http://x|y> => &lt;http://x|y&gt;",
        "&amp; => &amp;amp;",
    })
    void plain_escapesControlCharacters(String raw, String expected) {
        assertThat(SlackEscape.plain(raw)).isEqualTo(expected);
    }

    @Test
    void plain_defusesBroadcastWords() {
        assertThat(SlackEscape.plain("ping @channel and @HERE, @everyone"))
                .isEqualTo("ping @\u200Bchannel and @\u200BHERE, @\u200Beveryone");
    }

    @Test
    void plain_keepsOtherAtSigns() {
        assertThat(SlackEscape.plain("alice@example.com @channels")).isEqualTo("alice@example.com @channels");
    }

    @Test
    void mrkdwn_replacesFormattingCharacters() {
        assertThat(SlackEscape.mrkdwn("*bold* ~strike~ `code` _italic_")).isEqualTo("∗bold∗ ∼strike∼ ˋcodeˋ ˍitalicˍ");
    }

    @Test
    void mrkdwn_keepsUnderscoreInsideWords() {
        assertThat(SlackEscape.mrkdwn("AWSReservedSSO_Admin app_role")).isEqualTo("AWSReservedSSO_Admin app_role");
    }

    @Test
    void code_replacesBacktick() {
        assertThat(SlackEscape.code("a`b<c")).isEqualTo("`aˋb&lt;c`");
    }

    @Test
    void accessKeys_areCutToLastFour() {
        assertThat(SlackEscape.maskAccessKeys("key AKIAIOSFODNN7EXAMPLE and ASIA1234567890ABCDEF, not AKIA12"))
                .isEqualTo("key …MPLE and …CDEF, not AKIA12");
    }
}
