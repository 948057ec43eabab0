package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.ledger.Ledger;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Checks the trimmed deployment jar that the package phase writes. Every class in it links and initializes as it
 * does in the untrimmed jar, and every operation the step contracts grant is still in it. The function isolates an
 * instance through it, started as Lambda starts it in a JVM whose class path holds only that jar.
 */
class TrimmedJarIT {

    private static final Path TRIMMED = Path.of(System.getProperty("quell.lambda.jar",
            "target/quell-isolate-instance-0.1.0-SNAPSHOT-lambda.jar"));
    private static final Path FULL = Path.of(System.getProperty("quell.lambda.full.jar",
            "target/quell-isolate-instance-0.1.0-SNAPSHOT-lambda-full.jar"));
    private static final String SERVICES = "software/amazon/awssdk/services/";
    /** The SDK package of each IAM service prefix in the step contracts. */
    private static final Map<String, String> SDK_PACKAGES = Map.of(
            "ec2", "ec2",
            "autoscaling", "autoscaling",
            "elasticloadbalancing", "elasticloadbalancingv2",
            "iam", "iam");

    @Test
    void everyClassLinksAsInFullJar() throws Exception {
        List<String> entries = classEntries(TRIMMED);
        Set<String> names = Set.copyOf(entries);
        Map<String, String> failures = new TreeMap<>();
        try (URLClassLoader trimmed = isolatedLoader(TRIMMED)) {
            for (String entry : entries) {
                String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                // The verifier only loads the request classes of uncalled operations, so they are only loaded here.
                boolean initialize = !isLinkOnlyRequest(entry, names);
                String failure = load(name, initialize, trimmed);
                if (failure != null) {
                    failures.put(name, failure);
                }
            }
        }
        Map<String, String> causedByTrimming = new TreeMap<>();
        try (URLClassLoader full = isolatedLoader(FULL)) {
            failures.forEach((name, failure) -> {
                if (load(name, true, full) == null) {
                    causedByTrimming.put(name, failure);
                }
            });
        }

        assertThat(causedByTrimming).as("classes that link in the full jar but not in the trimmed one").isEmpty();
        assertThat(entries).as("class entries of the trimmed jar").hasSizeGreaterThan(1000);
    }

    @Test
    void contractOperationsAreKept() throws Exception {
        List<String> entries = classEntries(TRIMMED);

        for (String action : IsolationStep.iamActions()) {
            String service = SDK_PACKAGES.get(action.substring(0, action.indexOf(':')));
            String marshaller = SERVICES + service + "/transform/" + action.substring(action.indexOf(':') + 1)
                    + "RequestMarshaller.class";
            assertThat(entries).as("the marshaller of " + action).contains(marshaller);
        }
    }

    @Test
    void asyncClientsAreRemoved() throws Exception {
        List<String> entries = classEntries(TRIMMED);

        assertThat(entries).doesNotContain(SERVICES + "ec2/DefaultEc2AsyncClient.class",
                SERVICES + "ec2/Ec2AsyncClient.class",
                SERVICES + "ec2/paginators/DescribeInstancesPublisher.class",
                SERVICES + "ec2/waiters/Ec2AsyncWaiter.class");
        assertThat(entries).noneMatch(entry -> entry.contains("/apache/") || entry.contains("/netty/"));
        assertThat(Files.size(TRIMMED)).isLessThan(Files.size(FULL) / 2);
    }

    @Test
    void clientsKeepOnlyCalledOperations() throws Exception {
        try (URLClassLoader trimmed = isolatedLoader(TRIMMED)) {
            Class<?> client = Class.forName("software.amazon.awssdk.services.ec2.DefaultEc2Client", false, trimmed);
            List<String> methods = java.util.Arrays.stream(client.getDeclaredMethods()).map(method -> method.getName())
                    .toList();

            assertThat(methods).contains("describeInstances", "modifyNetworkInterfaceAttribute", "createSnapshot")
                    .doesNotContain("runInstances", "terminateInstances", "deleteSecurityGroup");
        }
        assertThat(classEntries(TRIMMED)).doesNotContain(SERVICES + "ec2/model/RunInstancesRequest.class");
        assertThat(Files.size(TRIMMED)).as("the deployment jar's size in bytes").isLessThanOrEqualTo(12_000_000L);
    }

    @Test
    void isolatesThroughTrimmedJar() throws Exception {
        MotoServer moto = MotoServer.shared();
        SeededAccount account = SeededAccount.seed(moto.endpoint(), LocalAccount.REGION);
        String table = "ledger-trimmed-jar";
        String bus = "quell-trimmed-jar";
        createLedgerAndBus(moto.endpoint(), table, bus);
        String instanceId = account.webInstanceIds().get(0);
        Path event = Files.createTempFile("quell-finding", ".json");
        Files.writeString(event, findingEvent(instanceId));

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", TRIMMED + File.pathSeparator + testClasses(), LambdaMain.class.getName(),
                IsolateInstanceHandler.class.getName(), event.toString());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("QUELL_"));
        env.putAll(Map.of("QUELL_ENDPOINT_URL", moto.endpoint().toString(),
                "QUELL_HOME_ACCOUNT", SeededAccount.ACCOUNT, "QUELL_LEDGER_TABLE", table, "QUELL_EVENT_BUS", bus,
                "QUELL_POLICY", enforcePolicy(), "AWS_REGION", LocalAccount.REGION,
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);

        assertThat(exited).as("the function exited within 120 s").isTrue();
        assertThat(process.exitValue()).as("exit code; output:\n" + output).isZero();
        assertThat(output).contains("\"message\":\"network isolated\"");
        assertThat(output).contains("\"outcome\":\"CONTAINED\"");
        assertThat(output).doesNotContain("NoClassDefFoundError", "NoSuchMethodError");
        assertThat(interfaceGroupNames(moto.endpoint(), instanceId)).containsExactly("quell-isolation");
    }

    /** Returns null when the class loads (and initializes, if asked), or the error's class and message. */
    private static String load(String name, boolean initialize, ClassLoader loader) {
        try {
            Class.forName(name, initialize, loader);
            return null;
        } catch (Throwable e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static boolean isLinkOnlyRequest(String entry, Set<String> entries) {
        if (!entry.startsWith(SERVICES) || !entry.contains("/model/") || !entry.endsWith("Request.class")) {
            return false;
        }
        String operation = entry.substring(entry.lastIndexOf('/') + 1, entry.length() - "Request.class".length());
        String service = entry.substring(0, entry.indexOf("/model/"));
        return !entries.contains(service + "/transform/" + operation + "RequestMarshaller.class");
    }

    private static List<String> classEntries(Path jar) throws IOException {
        List<String> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/"))
                    .forEach(entries::add);
        }
        return entries;
    }

    private static URLClassLoader isolatedLoader(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    private static String testClasses() throws Exception {
        return Path.of(LambdaMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void createLedgerAndBus(URI endpoint, String table, String bus) {
        try (var http = UrlConnectionHttpClient.create();
                DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).endpointOverride(endpoint)
                        .region(Region.of(LocalAccount.REGION)).credentialsProvider(SeededAccount.credentials())
                        .build();
                EventBridgeClient events = EventBridgeClient.builder().httpClient(http).endpointOverride(endpoint)
                        .region(Region.of(LocalAccount.REGION)).credentialsProvider(SeededAccount.credentials())
                        .build()) {
            new Ledger(dynamo, table, Clock.systemUTC()).createTableIfMissing();
            new ResultPublisher(events, bus).createBusIfMissing();
        }
    }

    private static List<String> interfaceGroupNames(URI endpoint, String instanceId) {
        try (var http = UrlConnectionHttpClient.create();
                Ec2Client ec2 = Ec2Client.builder().httpClient(http).endpointOverride(endpoint)
                        .region(Region.of(LocalAccount.REGION)).credentialsProvider(SeededAccount.credentials())
                        .build()) {
            return ec2.describeInstances(request -> request.instanceIds(instanceId)).reservations().get(0)
                    .instances().get(0).networkInterfaces().get(0).groups().stream()
                    .map(GroupIdentifier::groupName).toList();
        }
    }

    private static String enforcePolicy() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (InputStream in = TrimmedJarIT.class.getResourceAsStream("/dev/quell/core/policy/default-policy.json")) {
            ObjectNode policy = (ObjectNode) mapper.readTree(in);
            policy.put("mode", "enforce");
            return mapper.writeValueAsString(policy);
        }
    }

    private static String findingEvent(String instanceId) {
        return """
                {"version":"0","id":"5b0c1d2e-trimmed-jar","detail-type":"GuardDuty Finding",
                 "source":"aws.guardduty","account":"%1$s","region":"%2$s","time":"2026-12-01T09:41:07Z",
                 "resources":[],"detail":{"schemaVersion":"2.0","accountId":"%1$s","region":"%2$s",
                 "partition":"aws","id":"a1b2c3d4e5f60718293a4b5c6d7e8f90","type":"Backdoor:EC2/C&CActivity.B",
                 "severity":8,"title":"Trimmed jar check","description":"A finding written for the test",
                 "createdAt":"2026-12-01T09:14:02.118Z","updatedAt":"2026-12-01T09:41:07.503Z",
                 "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"%3$s"}},
                 "service":{"serviceName":"guardduty","archived":false,"count":1,"resourceRole":"TARGET",
                 "action":{"actionType":"NETWORK_CONNECTION",
                 "networkConnectionAction":{"connectionDirection":"OUTBOUND"}}}}}
                """.formatted(SeededAccount.ACCOUNT, LocalAccount.REGION, instanceId);
    }
}
