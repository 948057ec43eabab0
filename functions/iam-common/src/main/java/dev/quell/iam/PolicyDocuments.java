package dev.quell.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The deny policies Quell writes, and the reading of policy documents IAM returns. */
public final class PolicyDocuments {

    private PolicyDocuments() {
    }

    /**
     * Returns a policy that denies every action to temporary credentials issued before the cutoff. Sessions
     * started after it work, so a principal's legitimate users recover by fetching new credentials. Requests
     * signed with a long-term access key carry no {@code aws:TokenIssueTime}, so this policy does not affect them.
     *
     * @param statementId the statement's {@code Sid}, letters and digits only
     * @param cutoff the response time, written in ISO 8601 UTC to the second
     */
    public static String denySessionsIssuedBefore(String statementId, Instant cutoff) {
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"%s","Effect":"Deny","Action":"*","Resource":"*",\
                "Condition":{"DateLessThan":{"aws:TokenIssueTime":"%s"}}}]}"""
                .formatted(statementId, cutoff.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Returns a policy that denies every action to the role's credentials issued to one instance. EC2 sets the
     * {@code ec2:SourceInstanceARN} key on instance profile sessions, so the role's other instances and services
     * keep working. The region in the ARN is a wildcard because a finding about credentials used elsewhere may be
     * reported in another region than the instance's, and an instance id does not repeat within an account.
     */
    public static String denyInstanceCredentials(String partition, String account, String instanceId) {
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"QuellDenyInstanceCredentials","Effect":"Deny",\
                "Action":"*","Resource":"*","Condition":{"StringLike":{"ec2:SourceInstanceARN":\
                "arn:%s:ec2:*:%s:instance/%s"}}}]}"""
                .formatted(partition, account, instanceId);
    }

    /**
     * Returns a policy document as JSON text. IAM returns documents URL-encoded (RFC 3986), so an encoded document
     * is decoded. A document that already starts with {@code {} is returned unchanged, because decoding would turn
     * its {@code +} characters into spaces.
     */
    public static String decode(String document) {
        if (document == null) {
            return null;
        }
        String trimmed = document.trim();
        return trimmed.startsWith("{") ? trimmed : URLDecoder.decode(trimmed, StandardCharsets.UTF_8);
    }

    /** Returns whether two policy documents hold the same JSON, ignoring white space and encoding. */
    public static boolean same(String first, String second) {
        if (first == null || second == null) {
            return first == second;
        }
        try {
            JsonNode a = Json.mapper().readTree(decode(first));
            JsonNode b = Json.mapper().readTree(decode(second));
            return a.equals(b);
        } catch (JsonProcessingException e) {
            return decode(first).equals(decode(second));
        }
    }
}
