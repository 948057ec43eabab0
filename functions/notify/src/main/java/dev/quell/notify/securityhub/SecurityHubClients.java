package dev.quell.notify.securityhub;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;

/**
 * Builds and caches one Security Hub client per region, all on one AWS CRT HTTP client. The CRT client is needed
 * because {@code BatchUpdateFindings} is an HTTP {@code PATCH}, which the URL connection client cannot send.
 */
public final class SecurityHubClients implements Function<String, SecurityHubClient>, AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(6);

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Optional<URI> endpoint;
    private final Map<String, SecurityHubClient> cache = new ConcurrentHashMap<>();

    /**
     * @param endpoint an endpoint that replaces Security Hub's, for a local stub; empty for AWS
     */
    public SecurityHubClients(AwsCredentialsProvider credentials, Optional<URI> endpoint) {
        this.http = AwsCrtHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .build();
        this.credentials = credentials;
        this.endpoint = endpoint;
    }

    /** Returns the cached client of a region, building it on first use. */
    @Override
    public SecurityHubClient apply(String region) {
        return cache.computeIfAbsent(region, this::build);
    }

    private SecurityHubClient build(String region) {
        var builder = SecurityHubClient.builder()
                .httpClient(http)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Closes every client and the shared HTTP client. */
    @Override
    public void close() {
        cache.values().forEach(SecurityHubClient::close);
        http.close();
    }
}
