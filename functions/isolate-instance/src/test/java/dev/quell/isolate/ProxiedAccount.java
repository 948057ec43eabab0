package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.aws.AwsClients;
import dev.quell.core.events.ResultPublisher;
import dev.quell.core.json.Json;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.ledger.RateBudgetGate;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Policy;
import dev.quell.testkit.FaultProxy;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A seeded account on the shared moto server whose responder reaches moto through a {@link FaultProxy}, with
 * short SDK timeouts so a held request times out in about two seconds. Seeding and every assertion go to moto
 * directly, so only the responder's calls meet faults.
 *
 * <p>Every event the responder publishes on its bus reaches an SQS queue through an EventBridge rule (moto
 * delivers to SQS targets when {@code PutEvents} is called), so tests count events as a subscriber would see them.
 */
final class ProxiedAccount implements AutoCloseable {

    /**
     * Regions the accounts are seeded in, in turn. The responder reads the health of every target group in the
     * region, and moto keeps every seeded account's target group, so spreading the accounts keeps reads short.
     */
    private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1",
            "eu-north-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2",
            "ca-central-1");
    private static final AtomicInteger NEXT_REGION = new AtomicInteger();

    /**
     * How long one SDK attempt may take in these tests. moto usually responds in tens of milliseconds, but on a
     * busy 2-core machine a {@code PutEvents} call took over a second, and an attempt timeout that short makes
     * the SDK repeat calls that already took effect.
     */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    /** How long one SDK call may take across its attempts and backoff: two attempts that time out, not three. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    final String region = REGIONS.get(NEXT_REGION.getAndIncrement() % REGIONS.size());
    final MotoServer moto = MotoServer.shared();
    final FaultProxy proxy = FaultProxy.start(moto.endpoint()).holdFor(ATTEMPT_TIMEOUT.plusMillis(300));
    final SeededAccount seeded = SeededAccount.seed(moto.endpoint(), region);
    final ExecutorService executor = Executors.newFixedThreadPool(16);
    final String table = "ledger-" + UUID.randomUUID();
    final String bus = "quell-" + UUID.randomUUID();

    /** Clients that reach moto through the proxy, as the responder's do. */
    final AwsClients proxied = new AwsClients(SeededAccount.credentials(), Optional.of(proxy.endpoint()),
            SeededAccount.ACCOUNT, null, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    /** Clients that reach moto directly, for setup and assertions. */
    final AwsClients direct = new AwsClients(SeededAccount.credentials(), Optional.of(moto.endpoint()),
            SeededAccount.ACCOUNT, null);
    final Ec2Clients ec2 = Ec2Clients.of(direct, SeededAccount.ACCOUNT, Region.of(region));
    final Ledger ledger = new Ledger(proxied.client(DynamoDbClient::builder, SeededAccount.ACCOUNT,
            Region.of(region)), table, Clock.systemUTC());
    final Ledger directLedger = new Ledger(direct.client(DynamoDbClient::builder, SeededAccount.ACCOUNT,
            Region.of(region)), table, Clock.systemUTC());
    final RateBudgetGate budget = new RateBudgetGate(proxied.client(DynamoDbClient::builder, SeededAccount.ACCOUNT,
            Region.of(region)), table, Clock.systemUTC());
    final ResultPublisher publisher = new ResultPublisher(proxied.client(EventBridgeClient::builder,
            SeededAccount.ACCOUNT, Region.of(region)), bus);
    private final SqsClient sqs = direct.client(SqsClient::builder, SeededAccount.ACCOUNT, Region.of(region));
    private final String queueUrl;
    private final List<JsonNode> received = new ArrayList<>();

    /** Seeds an account whose bus delivers every event to a queue, for {@link #events()}. */
    ProxiedAccount() {
        this(true);
    }

    /**
     * Seeds an account.
     *
     * @param countEvents whether to deliver the bus's events to a queue for {@link #events()}. Each delivery adds
     *     about 0.2 seconds to a {@code PutEvents} call in moto, so tests that do not count events turn it off.
     */
    ProxiedAccount(boolean countEvents) {
        directLedger.createTableIfMissing();
        EventBridgeClient events = direct.client(EventBridgeClient::builder, SeededAccount.ACCOUNT,
                Region.of(region));
        events.createEventBus(request -> request.name(bus));
        if (!countEvents) {
            queueUrl = null;
            return;
        }
        String queueName = "quell-results-" + UUID.randomUUID();
        queueUrl = sqs.createQueue(request -> request.queueName(queueName)).queueUrl();
        String rule = "all-quell-events";
        events.putRule(request -> request.name(rule).eventBusName(bus)
                .eventPattern("{\"source\":[\"" + ResultPublisher.SOURCE + "\"]}"));
        Target queue = Target.builder().id("queue")
                .arn("arn:aws:sqs:" + region + ":" + SeededAccount.ACCOUNT + ":" + queueName).build();
        events.putTargets(request -> request.rule(rule).eventBusName(bus).targets(queue));
    }

    /** Returns a responder wired as the Lambda function wires one, through the proxy, with a 30-second lease. */
    InstanceResponder responder(Mode mode) {
        return new InstanceResponder(proxied, ledger, budget, publisher, Policy.defaults().withMode(mode),
                executor, Duration.ofSeconds(30), Clock.systemUTC());
    }

    /** Returns a Lambda handler around an enforcing responder. */
    IsolateInstanceHandler handler() {
        return new IsolateInstanceHandler(responder(Mode.ENFORCE));
    }

    /** Runs the handler on an event as one Lambda invocation. A thrown exception makes Lambda retry. */
    static String invoke(IsolateInstanceHandler handler, String event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    /**
     * Returns a GuardDuty Finding event for the app instance from {@code events/guardduty-backdoor-app.json},
     * with the given finding id, {@code updatedAt} and count.
     */
    String guardDutyEvent(String findingId, String updatedAt, int count) {
        return guardDutyEvent(seeded.appInstanceId(), findingId, updatedAt, count);
    }

    /** Returns the GuardDuty Finding event of {@link #guardDutyEvent(String, String, int)} for another instance. */
    String guardDutyEvent(String instanceId, String findingId, String updatedAt, int count) {
        return fill(resource("events/guardduty-backdoor-app.json"), Map.of("INSTANCE_ID", instanceId,
                "FINDING_ID", findingId, "UPDATED_AT", updatedAt, "COUNT", Integer.toString(count)));
    }

    /** Returns the same finding as {@link #guardDutyEvent}, imported into Security Hub (ASFF). */
    String securityHubEvent(String findingId, String updatedAt) {
        return fill(resource("events/securityhub-imported-backdoor-app.json"), Map.of("FINDING_ID", findingId,
                "UPDATED_AT", updatedAt));
    }

    /** Returns a sample GuardDuty Finding event (as CreateSampleFindings makes) naming the app instance. */
    String sampleEvent(String findingId) {
        return fill(resource("events/guardduty-sample-backdoor-app.json"), Map.of("FINDING_ID", findingId));
    }

    private String fill(String template, Map<String, String> values) {
        String filled = template.replace("${ACCOUNT_ID}", seeded.account()).replace("${REGION}", region);
        for (var entry : values.entrySet()) {
            filled = filled.replace("${" + entry.getKey() + "}", entry.getValue());
        }
        return filled.replace("${INSTANCE_ID}", seeded.appInstanceId());
    }

    static String resource(String path) {
        try (InputStream in = ProxiedAccount.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns every event the bus delivered to the queue so far, in the order received, counting each
     * publication once. moto delivers during {@code PutEvents}, so an event published before this call is in the
     * queue. {@code PutEvents} takes no idempotency token, so when an attempt times out after it took effect, the
     * SDK's retry delivers the same detail a second time. Such copies are dropped here, as the architecture notes
     * tell subscribers to do, so a count here is the number of times the responder published.
     */
    synchronized List<JsonNode> events() {
        if (queueUrl == null) {
            throw new IllegalStateException("no event queue: create the account with new ProxiedAccount() to"
                    + " count events");
        }
        for (int round = 0; round < 50; round++) {
            List<Message> batch = sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (Message message : batch) {
                JsonNode event = readTree(message.body());
                if (received.stream().noneMatch(earlier -> earlier.path("detail").equals(event.path("detail")))) {
                    received.add(event);
                }
                sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return List.copyOf(received);
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("the queue holds a message that is not JSON: " + json, e);
        }
    }

    /** Returns the events of one detail-type, for example {@code Response Completed}. */
    List<JsonNode> events(String detailType) {
        return events().stream().filter(event -> detailType.equals(event.path("detail-type").asText())).toList();
    }

    Instance describe(String instanceId) {
        return ec2.ec2().describeInstances(request -> request.instanceIds(instanceId)).reservations().get(0)
                .instances().get(0);
    }

    String isolationGroupId() {
        return quellGroup(IsolationGroups.ISOLATION_NAME).groupId();
    }

    /** Returns one of the two groups Quell creates in the seeded VPC, by name. */
    SecurityGroup quellGroup(String name) {
        return ec2.ec2().describeSecurityGroups(request -> request.filters(
                Filter.builder().name("group-name").values(name).build(),
                Filter.builder().name("vpc-id").values(seeded.vpcId()).build())).securityGroups().get(0);
    }

    /** Returns the snapshots tagged with the finding id, as volume id by snapshot. */
    List<String> snapshotVolumes(String findingId) {
        return ec2.ec2().describeSnapshots(request -> request.ownerIds("self").filters(
                        Filter.builder().name("tag:quell:finding-id").values(findingId).build()))
                .snapshots().stream().map(Snapshot::volumeId).sorted().toList();
    }

    /** Returns the app instance's EBS volume ids, sorted. */
    List<String> appVolumes() {
        return describe(seeded.appInstanceId()).blockDeviceMappings().stream()
                .map(mapping -> mapping.ebs().volumeId()).sorted().toList();
    }

    /**
     * Asserts the instance is fully isolated: only the isolation group on each interface, no instance profile
     * associated, in no Auto Scaling group and not registered in the seeded target group.
     */
    void assertIsolated(String instanceId) {
        String isolation = isolationGroupId();
        Instance after = describe(instanceId);
        assertThat(after.networkInterfaces()).isNotEmpty().allSatisfy(eni -> assertThat(eni.groups())
                .as("groups of " + eni.networkInterfaceId())
                .extracting(group -> group.groupId()).containsExactly(isolation));
        assertThat(ec2.ec2().describeIamInstanceProfileAssociations(request -> request.filters(
                        Filter.builder().name("instance-id").values(instanceId).build()))
                .iamInstanceProfileAssociations())
                .as("instance profile associations")
                .noneMatch(association -> "associated".equals(association.stateAsString()));
        assertThat(ec2.autoScaling().describeAutoScalingInstances(request -> request.instanceIds(instanceId))
                .autoScalingInstances()).as("Auto Scaling membership").isEmpty();
        assertThat(ec2.loadBalancing().describeTargetHealth(request -> request
                        .targetGroupArn(seeded.targetGroupArn())).targetHealthDescriptions())
                .as("target group registrations")
                .noneMatch(health -> instanceId.equals(health.target().id()));
    }

    /** Asserts the app instance is fully isolated, with both its interfaces on the isolation group. */
    void assertAppIsolated() {
        assertThat(describe(seeded.appInstanceId()).networkInterfaces()).hasSize(2);
        assertIsolated(seeded.appInstanceId());
    }

    @Override
    public void close() {
        proxy.close();
        executor.shutdownNow();
        proxied.close();
        direct.close();
    }
}
