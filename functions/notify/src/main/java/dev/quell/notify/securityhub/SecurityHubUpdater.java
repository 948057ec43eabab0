package dev.quell.notify.securityhub;

import dev.quell.core.log.Log;
import dev.quell.notify.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFindingIdentifier;
import software.amazon.awssdk.services.securityhub.model.BatchUpdateFindingsResponse;
import software.amazon.awssdk.services.securityhub.model.BatchUpdateFindingsUnprocessedFinding;
import software.amazon.awssdk.services.securityhub.model.SecurityHubException;

/**
 * Applies a {@link FindingChange} to findings with {@code BatchUpdateFindings}, at most 100 identifiers per request,
 * which is the API's limit.
 *
 * <p>The SDK client retries throttling (HTTP 429) and server errors with backoff. On top of that, findings that
 * Security Hub returns as unprocessed with a transient error code ({@code ConcurrentUpdateError},
 * {@code InternalFailure}) are sent once more after a short wait; any other unprocessed finding is reported as
 * failed with its error code.
 */
public final class SecurityHubUpdater {

    /** The maximum number of finding identifiers in one {@code BatchUpdateFindings} request. */
    public static final int BATCH_LIMIT = 100;

    private static final Log LOG = Log.of(SecurityHubUpdater.class);
    private static final Set<String> TRANSIENT_CODES = Set.of("ConcurrentUpdateError", "InternalFailure");
    private static final Duration RETRY_WAIT = Duration.ofSeconds(1);

    private final Function<String, SecurityHubClient> clients;
    private final Sleeper sleeper;

    /**
     * @param clients the Security Hub client of a region, by region id
     */
    public SecurityHubUpdater(Function<String, SecurityHubClient> clients, Sleeper sleeper) {
        this.clients = clients;
        this.sleeper = sleeper;
    }

    /**
     * Applies the change to the findings, all in one region, in batches of at most 100.
     *
     * @param correlationId the finding id to log with, or {@code null} for a batch of many findings
     */
    public UpdateReport update(String region, List<FindingIdentifier> findings, FindingChange change,
            String correlationId) {
        SecurityHubClient client = clients.apply(region);
        UpdateReport report = UpdateReport.EMPTY;
        for (int start = 0; start < findings.size(); start += BATCH_LIMIT) {
            List<FindingIdentifier> batch = findings.subList(start, Math.min(findings.size(), start + BATCH_LIMIT));
            report = report.plus(updateBatch(client, batch, change, correlationId));
        }
        return report;
    }

    private UpdateReport updateBatch(SecurityHubClient client, List<FindingIdentifier> batch, FindingChange change,
            String correlationId) {
        UpdateReport first = send(client, batch, change);
        List<FindingIdentifier> transientFailures = first.failed().entrySet().stream()
                .filter(entry -> TRANSIENT_CODES.contains(entry.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        if (transientFailures.isEmpty()) {
            return first;
        }
        LOG.warn("Security Hub left findings unprocessed with a transient error; retrying them once", correlationId,
                Map.of("findings", transientFailures.size()));
        try {
            sleeper.sleep(RETRY_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return first.markRetryable();
        }
        UpdateReport second = send(client, transientFailures, change);
        Map<FindingIdentifier, String> failed = new LinkedHashMap<>(first.failed());
        transientFailures.forEach(failed::remove);
        failed.putAll(second.failed());
        List<FindingIdentifier> processed = new ArrayList<>(first.processed());
        processed.addAll(second.processed());
        boolean retryable = second.retryable() || second.failed().values().stream().anyMatch(TRANSIENT_CODES::contains);
        return new UpdateReport(processed, failed, retryable);
    }

    private UpdateReport send(SecurityHubClient client, List<FindingIdentifier> batch, FindingChange change) {
        BatchUpdateFindingsResponse response;
        try {
            response = client.batchUpdateFindings(request -> request
                    .findingIdentifiers(batch.stream().map(SecurityHubUpdater::identifier).toList())
                    .workflow(workflow -> workflow.status(change.status()))
                    .note(note -> note.text(change.note()).updatedBy(FindingChange.UPDATED_BY))
                    .userDefinedFields(change.userDefinedFields()));
        } catch (SecurityHubException e) {
            String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
            boolean retryable = e.isThrottlingException() || e.statusCode() >= 500;
            return UpdateReport.allFailed(batch, code, retryable);
        } catch (SdkClientException e) {
            return UpdateReport.allFailed(batch, "no answer from Security Hub: " + e.getMessage(), true);
        } catch (SdkException e) {
            return UpdateReport.allFailed(batch, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e.retryable());
        }
        return report(batch, response);
    }

    private static UpdateReport report(List<FindingIdentifier> batch, BatchUpdateFindingsResponse response) {
        Map<FindingIdentifier, String> failed = new LinkedHashMap<>();
        for (BatchUpdateFindingsUnprocessedFinding unprocessed : response.unprocessedFindings()) {
            AwsSecurityFindingIdentifier id = unprocessed.findingIdentifier();
            batch.stream()
                    .filter(finding -> id != null && finding.id().equals(id.id())
                            && finding.productArn().equals(id.productArn()))
                    .findFirst()
                    .ifPresent(finding -> failed.put(finding, unprocessed.errorCode()));
        }
        List<FindingIdentifier> processed = batch.stream().filter(finding -> !failed.containsKey(finding)).toList();
        return new UpdateReport(processed, failed, false);
    }

    private static AwsSecurityFindingIdentifier identifier(FindingIdentifier finding) {
        return AwsSecurityFindingIdentifier.builder().id(finding.id()).productArn(finding.productArn()).build();
    }

    /**
     * The findings one update changed and the ones it did not.
     *
     * @param failed the error code of each finding Security Hub did not update
     * @param retryable whether a later retry may update the failed findings (throttling, a server error, no response)
     */
    public record UpdateReport(List<FindingIdentifier> processed, Map<FindingIdentifier, String> failed,
            boolean retryable) {

        static final UpdateReport EMPTY = new UpdateReport(List.of(), Map.of(), false);

        public UpdateReport {
            processed = List.copyOf(processed);
            failed = Map.copyOf(failed);
        }

        static UpdateReport allFailed(List<FindingIdentifier> batch, String code, boolean retryable) {
            Map<FindingIdentifier, String> failed = new LinkedHashMap<>();
            batch.forEach(finding -> failed.put(finding, code));
            return new UpdateReport(List.of(), failed, retryable);
        }

        UpdateReport plus(UpdateReport other) {
            List<FindingIdentifier> allProcessed = new ArrayList<>(processed);
            allProcessed.addAll(other.processed);
            Map<FindingIdentifier, String> allFailed = new LinkedHashMap<>(failed);
            allFailed.putAll(other.failed);
            return new UpdateReport(allProcessed, allFailed, retryable || other.retryable);
        }

        UpdateReport markRetryable() {
            return new UpdateReport(processed, failed, true);
        }

        public boolean complete() {
            return failed.isEmpty();
        }
    }
}
