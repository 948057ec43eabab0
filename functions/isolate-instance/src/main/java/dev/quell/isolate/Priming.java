package dev.quell.isolate;

import dev.quell.core.aws.AwsClients;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.log.Log;
import dev.quell.core.runtime.FunctionContext;
import dev.quell.core.runtime.Settings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Loads, at init, the classes the first response would otherwise load: each client's marshallers, signer,
 * retry and HTTP code, the error unmarshallers, and the parser. Each call is a read of something that does not
 * exist, so it changes nothing; its error is expected and ignored. Lambda runs init before the first event
 * arrives, and SnapStart runs it once before the snapshot, so the first finding does not pay for it.
 */
final class Priming {

    private static final Log LOG = Log.of(Priming.class);
    private static final String ABSENT_INSTANCE = "i-00000000000000000";

    private Priming() {
    }

    static void prime(FunctionContext context) {
        Settings settings = context.settings();
        AwsClients clients = context.clients();
        String homeAccount = context.homeAccount();
        long start = System.nanoTime();
        Region home = Region.of(settings.homeRegion());
        Ec2Clients ec2 = Ec2Clients.of(clients, homeAccount, home);
        DynamoDbClient dynamo = clients.client(DynamoDbClient::builder, homeAccount, home);
        EventBridgeClient events = clients.client(EventBridgeClient::builder, homeAccount, home);
        List<Runnable> calls = List.of(
                () -> ec2.ec2().describeInstances(request -> request.instanceIds(ABSENT_INSTANCE)),
                () -> ec2.autoScaling().describeAutoScalingInstances(request -> request.instanceIds(ABSENT_INSTANCE)),
                () -> ec2.loadBalancing().describeTargetGroups(request -> request.names("quell-priming")),
                () -> ec2.iam().getInstanceProfile(request -> request.instanceProfileName("quell-priming")),
                () -> dynamo.getItem(request -> request.tableName(settings.ledgerTable()).key(Map.of(
                        "finding", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("priming"),
                        "action", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("priming")))),
                () -> events.describeEventBus(request -> request.name(settings.eventBus())),
                Priming::parseSample);
        CompletableFuture.allOf(calls.stream()
                .map(call -> CompletableFuture.runAsync(() -> quietly(call), context.executor()))
                .toArray(CompletableFuture[]::new)).join();
        LOG.info("primed", null, Map.of("millis", (System.nanoTime() - start) / 1_000_000));
    }

    private static void parseSample() {
        FindingParser.parse("""
                {"version":"0","id":"priming","detail-type":"GuardDuty Finding","source":"aws.guardduty",
                 "account":"000000000000","region":"us-east-1","detail":{"schemaVersion":"2.0",
                 "accountId":"000000000000","region":"us-east-1","id":"priming","type":"Backdoor:EC2/C&CActivity.B",
                 "severity":8,"resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0"}},
                 "service":{"archived":false,"count":1,"action":{"actionType":"NETWORK_CONNECTION",
                 "networkConnectionAction":{"connectionDirection":"OUTBOUND"}}}}}""");
    }

    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (SdkException expected) {
            // Not found or not allowed: either way the classes on the call's path are now loaded.
        }
    }
}
