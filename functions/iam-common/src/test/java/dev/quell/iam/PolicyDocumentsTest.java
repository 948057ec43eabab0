package dev.quell.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {

    @Test
    void denySessions_conditionOnTokenIssueTime() throws Exception {
        String document = PolicyDocuments.denySessionsIssuedBefore("QuellTest",
                Instant.parse("2026-12-01T10:00:00.123456Z"));

        var statement = Json.mapper().readTree(document).get("Statement").get(0);
        assertThat(statement.get("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.get("Action").asText()).isEqualTo("*");
        assertThat(statement.get("Resource").asText()).isEqualTo("*");
        assertThat(statement.at("/Condition/DateLessThan/aws:TokenIssueTime").asText())
                .isEqualTo("2026-12-01T10:00:00Z");
    }

    @Test
    void denyInstance_scopedToInstanceId() throws Exception {
        String document = PolicyDocuments.denyInstanceCredentials("aws-cn", "123456789012", "i-0123456789abcdef0");

        var statement = Json.mapper().readTree(document).get("Statement").get(0);
        assertThat(statement.get("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.at("/Condition/StringLike/ec2:SourceInstanceARN").asText())
                .isEqualTo("arn:aws-cn:ec2:*:123456789012:instance/i-0123456789abcdef0");
    }

    @Test
    void decode_urlEncodedAndPlain() {
        String plain = "{\"Sid\":\"a+b c\"}";
        String encoded = URLEncoder.encode(plain, StandardCharsets.UTF_8).replace("+", "%20");

        assertThat(PolicyDocuments.decode(encoded)).isEqualTo(plain);
        assertThat(PolicyDocuments.decode(plain)).isEqualTo(plain);
        assertThat(PolicyDocuments.decode(null)).isNull();
    }

    @Test
    void same_ignoresWhiteSpaceAndEncoding() {
        String compact = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        String spaced = "{ \"Version\": \"2012-10-17\",\n  \"Statement\": [ ] }";
        String encoded = URLEncoder.encode(spaced, StandardCharsets.UTF_8).replace("+", "%20");

        assertThat(PolicyDocuments.same(compact, spaced)).isTrue();
        assertThat(PolicyDocuments.same(compact, encoded)).isTrue();
        assertThat(PolicyDocuments.same(compact, "{\"Version\":\"2008-10-17\",\"Statement\":[]}")).isFalse();
        assertThat(PolicyDocuments.same(compact, null)).isFalse();
    }
}
