package dev.quell.core.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds and caches AWS clients: one HTTP client for the whole process, one client per service, account and
 * region, and credentials for member accounts by assuming the member role.
 *
 * <p>Retries use the SDK's standard mode: 3 attempts, exponential backoff with jitter, and throttling, 5xx and
 * I/O errors retried, including an attempt that ran past its timeout. Standard mode never delays a call's first
 * attempt. Adaptive mode adds a client-side rate limiter that may delay first attempts. Every call through one
 * client shares that limiter, so throttling on one API (a describe call) would slow the calls that contain a
 * threat (the security group swap). The AWS SDKs and Tools reference guide ("Retry behavior") recommends adaptive
 * mode only for latency-tolerant clients of a single resource. A responder makes a few dozen calls per finding, and
 * the Lambda's reserved concurrency bounds the aggregate rate instead.
 *
 * <p>Three attempts of at most 6 seconds each usually fit, with backoff, in the 20-second call timeout. Because
 * a timed-out attempt is retried, a call that is not idempotent may take effect twice, so callers that create
 * resources (snapshots) make single attempts and check for an earlier copy before trying again.
 */
public final class AwsClients {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(6);

    private final SdkHttpClient httpClient;
    private final Duration attemptTimeout;
    private final Duration callTimeout;
    private final AwsCredentialsProvider baseCredentials;
    private final Optional<URI> endpoint;
    private final String homeAccount;
    private final String memberRoleName;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> memberCredentials = new ConcurrentHashMap<>();

    /**
     * @param endpoint an endpoint that replaces every service's, for moto on loopback; empty for AWS
     * @param homeAccount the account the functions run in; findings in other accounts use the member role
     * @param memberRoleName the role to assume in member accounts, or {@code null} to act with the base
     *     credentials in every account (the command line's default)
     */
    public AwsClients(AwsCredentialsProvider baseCredentials, Optional<URI> endpoint, String homeAccount,
            String memberRoleName) {
        this(baseCredentials, endpoint, homeAccount, memberRoleName, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }

    /**
     * Builds clients with other timeouts than the production ones (6 seconds an attempt, 20 seconds a call), for
     * tests that make a call time out.
     *
     * @param attemptTimeout how long one HTTP attempt may take before the SDK abandons it and retries
     * @param callTimeout how long a call may take across all its attempts and backoff
     */
    public AwsClients(AwsCredentialsProvider baseCredentials, Optional<URI> endpoint, String homeAccount,
            String memberRoleName, Duration attemptTimeout, Duration callTimeout) {
        this.httpClient = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
        this.attemptTimeout = attemptTimeout;
        this.callTimeout = callTimeout;
        this.baseCredentials = baseCredentials;
        this.endpoint = endpoint;
        this.homeAccount = homeAccount;
        this.memberRoleName = memberRoleName;
    }

    /** Returns clients configured from the environment the functions run in. */
    public static AwsClients fromEnvironment(Map<String, String> env) {
        Optional<URI> endpoint = Optional.ofNullable(env.get("QUELL_ENDPOINT_URL"))
                .filter(value -> !value.isBlank())
                .map(URI::create);
        return new AwsClients(DefaultCredentialsProvider.builder().build(), endpoint,
                env.get("QUELL_HOME_ACCOUNT"), env.get("QUELL_MEMBER_ROLE_NAME"));
    }

    /**
     * Returns the cached client of one service for an account and region, building it on first use.
     *
     * @param builder a supplier of the service's client builder, for example {@code Ec2Client::builder}
     */
    @SuppressWarnings("unchecked")
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
            java.util.function.Supplier<B> builder, String account, Region region) {
        String key = builder.get().getClass().getName() + "|" + account + "|" + region.id();
        return (C) cache.computeIfAbsent(key, ignored -> build(builder.get(), credentialsFor(account, region),
                region));
    }

    public Optional<URI> endpoint() {
        return endpoint;
    }

    /** Returns the region IAM's global endpoint signs in for the partition of the given region. */
    public static Region iamRegion(Region region) {
        String id = region.id();
        if (id.startsWith("cn-")) {
            return Region.AWS_CN_GLOBAL;
        }
        if (id.startsWith("us-gov-")) {
            return Region.AWS_US_GOV_GLOBAL;
        }
        return Region.AWS_GLOBAL;
    }

    /** Closes the shared HTTP client. */
    public void close() {
        httpClient.close();
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
            AwsCredentialsProvider credentials, Region region) {
        builder.httpClient(httpClient)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(callTimeout)
                        .apiCallAttemptTimeout(attemptTimeout)
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private AwsCredentialsProvider credentialsFor(String account, Region region) {
        if (memberRoleName == null || memberRoleName.isBlank() || account == null || account.equals(homeAccount)) {
            return baseCredentials;
        }
        return memberCredentials.computeIfAbsent(account, ignored -> assumeMemberRole(account, region));
    }

    private AwsCredentialsProvider assumeMemberRole(String account, Region region) {
        StsClient sts = build(StsClient.builder(), baseCredentials, region);
        String partition = region.metadata() == null ? "aws" : region.metadata().partition().id();
        String roleArn = "arn:" + partition + ":iam::" + account + ":role/" + memberRoleName;
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(request -> request.roleArn(roleArn).roleSessionName("quell-responder")
                        .durationSeconds(900))
                .build();
    }
}
