package dev.quell.iam;

import dev.quell.testkit.SeededAccount;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Clients for a local endpoint that record every call as {@code Service:Operation}, such as
 * {@code Iam:UpdateAccessKey}, so a test can check which calls a responder made. The service names are the SDK's.
 */
public final class RecordingClients implements ClientFactory {

    public static final String IAM = "Iam";
    public static final String EC2 = "Ec2";
    public static final String LAMBDA = "Lambda";
    public static final String EVENTBRIDGE = "EventBridge";

    /** The SDK service names the tests filter on, so that a misspelt name fails instead of matching nothing. */
    private static final List<String> SERVICES = List.of(IAM, EC2, LAMBDA, EVENTBRIDGE, "DynamoDb");

    /** Operation name prefixes of calls that change a resource. */
    private static final List<String> MUTATING_PREFIXES = List.of("Put", "Attach", "Detach", "Delete", "Update",
            "Create", "Tag", "Untag", "Add", "Remove", "Set", "Associate", "Disassociate", "Replace", "Modify",
            "Enable", "Disable", "Upload");

    private final URI endpoint;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final Map<String, Object> cache = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final ExecutionInterceptor recorder = new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String call = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            calls.add(call);
            String errorCode = failures.get(call);
            if (errorCode != null) {
                throw AwsServiceException.builder().statusCode(400).message("failure injected by the test")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode(errorCode)
                                .errorMessage("failure injected by the test").build())
                        .build();
            }
        }
    };

    public RecordingClients(URI endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(Supplier<B> builder,
            String account, Region region) {
        String key = builder.get().getClass().getName() + "|" + account + "|" + region.id();
        return (C) cache.computeIfAbsent(key, ignored -> builder.get()
                .httpClient(http)
                .region(region)
                .credentialsProvider(SeededAccount.credentials())
                .endpointOverride(endpoint)
                .overrideConfiguration(override -> override.addExecutionInterceptor(recorder))
                .build());
    }

    /** Returns every call made so far, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /**
     * Returns the calls to one service that change a resource.
     *
     * @param service the SDK's service name, for example {@link #IAM}
     */
    public List<String> mutatingCalls(String service) {
        return calls(service).stream()
                .filter(call -> MUTATING_PREFIXES.stream().anyMatch(call.substring(service.length() + 1)::startsWith))
                .toList();
    }

    /**
     * Returns every call to one service, in order.
     *
     * @throws IllegalArgumentException when the name is not one of the SDK service names listed here
     */
    public List<String> calls(String service) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("unknown SDK service name " + service + ", expected one of "
                    + SERVICES);
        }
        return calls.stream()
                .filter(call -> call.startsWith(service + ":"))
                .toList();
    }

    /**
     * Makes every later call of the operation fail with the AWS error code before it is sent, until
     * {@link #clearFailures()}.
     *
     * @param call the call as recorded, for example {@code Iam:ListAccessKeys}
     */
    public void failOn(String call, String errorCode) {
        failures.put(call, errorCode);
    }

    /** Lets every call through again. */
    public void clearFailures() {
        failures.clear();
    }

    /** Forgets the calls recorded so far. */
    public void clear() {
        calls.clear();
    }
}
