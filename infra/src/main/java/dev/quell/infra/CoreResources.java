package dev.quell.infra;

import dev.quell.core.ledger.Ledger;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.CfnEventBus;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The resources every function shares: the ledger table, the Quell event bus, the dead-letter queue, the alarm
 * topic and the Slack secret. Names are fixed and match the defaults in {@code dev.quell.core.runtime.Settings},
 * so the stack can be deployed once per account and region.
 */
public final class CoreResources extends Construct {

    public static final String LEDGER_TABLE_NAME = "quell-ledger";
    public static final String EVENT_BUS_NAME = "quell";
    public static final String SLACK_SECRET_NAME = "quell/slack";

    private final Table ledger;
    private final EventBus bus;
    private final Queue deadLetters;
    private final Topic alarmTopic;
    private final ISecret slackSecret;

    public CoreResources(Construct scope, String id, DeploySettings settings) {
        super(scope, id);
        this.ledger = ledgerTable();
        this.bus = eventBus();
        this.deadLetters = deadLetterQueue();
        this.alarmTopic = alarmTopic(settings);
        this.slackSecret = slackSecret(settings);
    }

    public Table ledger() {
        return ledger;
    }

    public EventBus bus() {
        return bus;
    }

    /** The queue that keeps events EventBridge could not deliver and invocations Lambda gave up on. */
    public Queue deadLetters() {
        return deadLetters;
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }

    public ISecret slackSecret() {
        return slackSecret;
    }

    /** Creates the ledger table. The ledger is the audit trail of every containment, so it outlives the stack. */
    private Table ledgerTable() {
        return Table.Builder.create(this, "Ledger")
                .tableName(LEDGER_TABLE_NAME)
                .partitionKey(Attribute.builder().name(Ledger.PARTITION_KEY).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(Ledger.SORT_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute(Ledger.TTL_ATTRIBUTE)
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /**
     * Creates the Quell bus, which accepts events from this account only. The responders publish with their roles'
     * permission. The policy is set on the bus itself, so no separate bus policy resource is needed.
     */
    private EventBus eventBus() {
        EventBus eventBus = EventBus.Builder.create(this, "Bus")
                .eventBusName(EVENT_BUS_NAME)
                .description("Quell response results and alerts, read by the notify function")
                .build();
        // Built from the name: the bus's own ARN attribute would make the bus depend on itself.
        Stack stack = Stack.of(this);
        String busArn = "arn:" + stack.getPartition() + ":events:" + stack.getRegion() + ":" + stack.getAccount()
                + ":event-bus/" + EVENT_BUS_NAME;
        PolicyDocument policy = PolicyDocument.Builder.create()
                .statements(List.of(PolicyStatement.Builder.create()
                        .sid("PutEventsFromThisAccountOnly")
                        .effect(Effect.ALLOW)
                        .principals(List.of(new AccountPrincipal(stack.getAccount())))
                        .actions(List.of("events:PutEvents"))
                        .resources(List.of(busArn))
                        .build()))
                .build();
        ((CfnEventBus) eventBus.getNode().getDefaultChild()).setPolicy(policy);
        return eventBus;
    }

    private Queue deadLetterQueue() {
        return Queue.Builder.create(this, "DeadLetters")
                .queueName("quell-dead-letters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
    }

    /**
     * CloudWatch alarms publish to this topic. It is encrypted with a customer managed key because the AWS managed
     * SNS key cannot grant CloudWatch the right to encrypt.
     */
    private Topic alarmTopic(DeploySettings settings) {
        Key key = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts the Quell alarm topic")
                .enableKeyRotation(true)
                .build();
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        Topic topic = Topic.Builder.create(this, "AlarmTopic")
                .topicName("quell-alarms")
                .displayName("Quell alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsOfThisAccount")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount())))
                .build());
        settings.alarmEmail().ifPresent(address -> topic.addSubscription(new EmailSubscription(address)));
        return topic;
    }

    /**
     * Returns the secret with the Slack webhook URL or bot token. A created secret contains the placeholder
     * {@code {}} until an operator stores the real value, so no credential passes through the template.
     */
    private ISecret slackSecret(DeploySettings settings) {
        if (settings.slackSecretArn().isPresent()) {
            return Secret.fromSecretCompleteArn(this, "SlackSecret", settings.slackSecretArn().get());
        }
        return Secret.Builder.create(this, "SlackSecret")
                .secretName(SLACK_SECRET_NAME)
                .description("Slack credentials for Quell notifications; replace {} with the webhook URL or"
                        + " bot token JSON after deploy")
                .secretStringValue(SecretValue.unsafePlainText("{}"))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }
}
