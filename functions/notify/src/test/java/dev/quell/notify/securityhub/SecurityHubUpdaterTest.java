package dev.quell.notify.securityhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.json.Json;
import dev.quell.notify.Results;
import dev.quell.notify.StubServer;
import dev.quell.notify.StubServer.Response;
import dev.quell.testkit.SeededAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.securityhub.model.WorkflowStatus;

class SecurityHubUpdaterTest {

    private static final String PRODUCT = "arn:aws:securityhub:eu-west-1::product/aws/guardduty";
    private static final FindingChange CHANGE = new FindingChange(WorkflowStatus.NOTIFIED, "Quell isolate-instance:"
            + " contained.", Map.of("quell:outcome", "CONTAINED", "quell:action", "isolate-instance"));

    private final List<Duration> waits = new ArrayList<>();
    private StubServer hub;
    private SecurityHubClients clients;

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void update_sendsPatchToBatchUpdate() throws Exception {
        hub = StubServer.start(processed());

        SecurityHubUpdater.UpdateReport report = updater().update("eu-west-1", List.of(identifier(0)), CHANGE, "f");

        assertThat(report.complete()).isTrue();
        assertThat(report.processed()).containsExactly(identifier(0));
        assertThat(hub.requests()).hasSize(1);
        StubServer.Request request = hub.requests().get(0);
        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(request.path()).isEqualTo("/findings/batchupdate");
        assertThat(request.header("Authorization")).startsWith("AWS4-HMAC-SHA256");
        JsonNode body = Json.mapper().readTree(request.body());
        assertThat(body.path("FindingIdentifiers").get(0).path("Id").asText()).isEqualTo(identifier(0).id());
        assertThat(body.path("FindingIdentifiers").get(0).path("ProductArn").asText()).isEqualTo(PRODUCT);
        assertThat(body.path("Workflow").path("Status").asText()).isEqualTo("NOTIFIED");
        assertThat(body.path("Note").path("Text").asText()).isEqualTo("Quell isolate-instance: contained.");
        assertThat(body.path("Note").path("UpdatedBy").asText()).isEqualTo("quell");
        assertThat(body.path("UserDefinedFields").path("quell:outcome").asText()).isEqualTo("CONTAINED");
        assertThat(body.path("UserDefinedFields").path("quell:action").asText()).isEqualTo("isolate-instance");
    }

    @Test
    void manyFindings_areSentInBatchesOfHundred() throws Exception {
        hub = StubServer.start(processed());
        List<FindingIdentifier> findings = IntStream.range(0, 250).mapToObj(SecurityHubUpdaterTest::identifier)
                .toList();

        SecurityHubUpdater.UpdateReport report = updater().update("eu-west-1", findings, CHANGE, null);

        assertThat(report.processed()).hasSize(250);
        assertThat(hub.requests()).hasSize(3);
        List<Integer> sizes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (StubServer.Request request : hub.requests()) {
            JsonNode identifiers = Json.mapper().readTree(request.body()).path("FindingIdentifiers");
            sizes.add(identifiers.size());
            identifiers.forEach(id -> ids.add(id.path("Id").asText()));
        }
        assertThat(sizes).containsExactly(100, 100, 50);
        assertThat(ids).containsExactlyElementsOf(findings.stream().map(FindingIdentifier::id).toList());
    }

    @Test
    void unprocessedFinding_isReportedWithCode() {
        hub = StubServer.start(unprocessed(identifier(1), "FindingNotFound"));

        SecurityHubUpdater.UpdateReport report = updater().update("eu-west-1", List.of(identifier(0), identifier(1)),
                CHANGE, "f");

        assertThat(report.complete()).isFalse();
        assertThat(report.retryable()).isFalse();
        assertThat(report.processed()).containsExactly(identifier(0));
        assertThat(report.failed()).containsExactly(Map.entry(identifier(1), "FindingNotFound"));
        assertThat(hub.requests()).hasSize(1);
    }

    @Test
    void transientUnprocessed_isRetriedOnce() throws Exception {
        hub = StubServer.start(processed()).then(unprocessed(identifier(1), "InternalFailure"));

        SecurityHubUpdater.UpdateReport report = updater().update("eu-west-1", List.of(identifier(0), identifier(1)),
                CHANGE, "f");

        assertThat(report.complete()).isTrue();
        assertThat(report.processed()).containsExactlyInAnyOrder(identifier(0), identifier(1));
        assertThat(hub.requests()).hasSize(2);
        JsonNode retried = Json.mapper().readTree(hub.requests().get(1).body()).path("FindingIdentifiers");
        assertThat(retried).hasSize(1);
        assertThat(retried.get(0).path("Id").asText()).isEqualTo(identifier(1).id());
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void transientUnprocessedTwice_isRetryable() {
        hub = StubServer.start(unprocessed(identifier(0), "ConcurrentUpdateError"));

        SecurityHubUpdater.UpdateReport report = updater().update("eu-west-1", List.of(identifier(0)), CHANGE, "f");

        assertThat(report.complete()).isFalse();
        assertThat(report.retryable()).isTrue();
        assertThat(hub.requests()).hasSize(2);
    }

    @Test
    void throttling_isRetriedWithBackoff() {
        hub = StubServer.start(processed()).then(throttled());

        SecurityHubUpdater.UpdateReport report = updater().update("eu-west-1", List.of(identifier(0)), CHANGE, "f");

        assertThat(report.complete()).isTrue();
        assertThat(hub.requests()).hasSize(2);
    }

    @Test
    void lastingThrottling_isRetryable() {
        hub = StubServer.start(throttled());

        SecurityHubUpdater.UpdateReport report = updater().update("eu-west-1", List.of(identifier(0)), CHANGE, "f");

        assertThat(report.retryable()).isTrue();
        assertThat(report.failed()).containsEntry(identifier(0), "LimitExceededException");
        assertThat(hub.requests()).hasSizeGreaterThan(1);
    }

    @Test
    void accessDenied_isNotRetryable() {
        hub = StubServer.start(new Response(403, Map.of("x-amzn-ErrorType", "AccessDeniedException"),
                "{\"Message\":\"not allowed\"}"));

        SecurityHubUpdater.UpdateReport report = updater().update("eu-west-1", List.of(identifier(0)), CHANGE, "f");

        assertThat(report.retryable()).isFalse();
        assertThat(report.failed()).containsEntry(identifier(0), "AccessDeniedException");
        assertThat(hub.requests()).hasSize(1);
    }

    private SecurityHubUpdater updater() {
        clients = new SecurityHubClients(SeededAccount.credentials(), Optional.of(hub.uri("")));
        return new SecurityHubUpdater(clients, waits::add);
    }

    static FindingIdentifier identifier(int index) {
        return new FindingIdentifier(Results.GUARDDUTY_ARN + "-" + index, PRODUCT, "eu-west-1");
    }

    private static Response processed() {
        return Response.json(200, "{\"ProcessedFindings\":[],\"UnprocessedFindings\":[]}");
    }

    private static Response unprocessed(FindingIdentifier finding, String code) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("ProcessedFindings");
        ArrayNode unprocessed = body.putArray("UnprocessedFindings");
        ObjectNode entry = unprocessed.addObject();
        entry.putObject("FindingIdentifier").put("Id", finding.id()).put("ProductArn", finding.productArn());
        entry.put("ErrorCode", code);
        entry.put("ErrorMessage", code);
        return Response.json(200, body.toString());
    }

    private static Response throttled() {
        return new Response(429, Map.of("x-amzn-ErrorType", "LimitExceededException", "Content-Type",
                "application/json"), "{\"Message\":\"Rate exceeded\"}");
    }
}
