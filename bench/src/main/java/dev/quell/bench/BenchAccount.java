package dev.quell.bench;

import dev.quell.core.events.ResultPublisher;
import dev.quell.core.ledger.Ledger;
import dev.quell.testkit.SeededAccount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A seeded account on the moto server, with Quell's ledger table and event bus, and a way to add web instances
 * that match the seeded web tier: launched with the tier's security group and instance profile, attached to its
 * Auto Scaling group and registered in its target group on port 80. Every benchmark run isolates such a fresh
 * instance, Quell and the peer alike.
 */
final class BenchAccount implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String LEDGER_TABLE = "quell-ledger";
    static final String EVENT_BUS = "quell";

    /** The AMI id moto accepts for launches. */
    private static final String AMI = "ami-12c6146b";
    /** The finding id in the sample event, replaced by a fresh id for each finding. */
    private static final String SAMPLE_FINDING_ID = "d4e8f1a3c5b7d9e1f3a5c7e9b1c2b6a0";
    /** Auto Scaling accepts at most this many instances in one AttachInstances call. */
    private static final int ATTACH_BATCH = 20;

    final SeededAccount seeded;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final Ec2Client ec2;
    private final AutoScalingClient autoScaling;
    private final ElasticLoadBalancingV2Client loadBalancing;

    private BenchAccount(URI endpoint) {
        this.seeded = SeededAccount.seed(endpoint, REGION);
        this.ec2 = Ec2Client.builder().httpClient(http).endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(SeededAccount.credentials()).build();
        this.autoScaling = AutoScalingClient.builder().httpClient(http).endpointOverride(endpoint)
                .region(Region.of(REGION)).credentialsProvider(SeededAccount.credentials()).build();
        this.loadBalancing = ElasticLoadBalancingV2Client.builder().httpClient(http).endpointOverride(endpoint)
                .region(Region.of(REGION)).credentialsProvider(SeededAccount.credentials()).build();
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).endpointOverride(endpoint)
                .region(Region.of(REGION)).credentialsProvider(SeededAccount.credentials()).build();
                EventBridgeClient events = EventBridgeClient.builder().httpClient(http).endpointOverride(endpoint)
                        .region(Region.of(REGION)).credentialsProvider(SeededAccount.credentials()).build()) {
            new Ledger(dynamo, LEDGER_TABLE, Clock.systemUTC()).createTableIfMissing();
            new ResultPublisher(events, EVENT_BUS).createBusIfMissing();
        }
    }

    /** Seeds a new account with its ledger table and event bus on the endpoint. */
    static BenchAccount seed(URI endpoint) {
        return new BenchAccount(endpoint);
    }

    /** Launches {@code count} web instances and returns their ids, once each is in the group and target group. */
    List<String> launchWebInstances(int count) {
        String asg = seeded.autoScalingGroup();
        int current = autoScaling.describeAutoScalingGroups(request -> request.autoScalingGroupNames(asg))
                .autoScalingGroups().get(0).instances().size();
        autoScaling.updateAutoScalingGroup(request -> request.autoScalingGroupName(asg)
                .maxSize(current + count + 2));
        List<String> ids = ec2.runInstances(request -> request.imageId(AMI).instanceType(InstanceType.T3_MICRO)
                        .minCount(count).maxCount(count).subnetId(seeded.subnetIds().get(0))
                        .securityGroupIds(seeded.webGroupId())
                        .iamInstanceProfile(profile -> profile.name(seeded.profileName()))
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                                .tags(Tag.builder().key("Name").value("web").build()).build()))
                .instances().stream().map(Instance::instanceId).toList();
        for (int from = 0; from < ids.size(); from += ATTACH_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + ATTACH_BATCH));
            autoScaling.attachInstances(request -> request.autoScalingGroupName(asg).instanceIds(batch));
        }
        loadBalancing.registerTargets(request -> request.targetGroupArn(seeded.targetGroupArn()).targets(ids.stream()
                .map(id -> TargetDescription.builder().id(id).port(80).build()).toList()));
        return ids;
    }

    /**
     * Writes a GuardDuty {@code CryptoCurrency:EC2/BitcoinTool.B} event on the instance, from the repository's
     * sample event, with a finding id of its own, and returns the file.
     */
    Path writeEvent(Path template, String instanceId, Path directory) {
        String eni = ec2.describeInstances(request -> request.instanceIds(instanceId)).reservations().get(0)
                .instances().get(0).networkInterfaces().get(0).networkInterfaceId();
        String findingId = UUID.randomUUID().toString().replace("-", "");
        Map<String, String> values = Map.of(
                "ACCOUNT_ID", seeded.account(),
                "ADMIN_ACCOUNT_ID", "999988887777",
                "REGION", REGION,
                "VPC_ID", seeded.vpcId(),
                "SUBNET_ID", seeded.subnetIds().get(0),
                "GROUP_ID", seeded.webGroupId(),
                "PROFILE_NAME", seeded.profileName(),
                "WEB_INSTANCE_ID", instanceId,
                "WEB_ENI_0", eni);
        try {
            String event = Files.readString(template).replace(SAMPLE_FINDING_ID, findingId);
            for (var entry : values.entrySet()) {
                event = event.replace("${" + entry.getKey() + "}", entry.getValue());
            }
            Path file = directory.resolve("finding-" + findingId + ".json");
            Files.writeString(file, event);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the event for " + instanceId + " to " + directory, e);
        }
    }

    /** Writes one event per instance, in order. */
    List<Path> writeEvents(Path template, List<String> instanceIds, Path directory) {
        List<Path> files = new ArrayList<>();
        instanceIds.forEach(id -> files.add(writeEvent(template, id, directory)));
        return files;
    }

    @Override
    public void close() {
        ec2.close();
        autoScaling.close();
        loadBalancing.close();
        http.close();
    }
}
