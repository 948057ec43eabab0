package dev.quell.core.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The record of every response, in DynamoDB: who claimed which finding and action, the state before the change,
 * each step's result and the final result.
 *
 * <p>A claim is one conditional write, so of N concurrent deliveries of one finding exactly one owns the work.
 * The key is the finding's deduplication key and the action, never the event id, the envelope account or the
 * finding's {@code updatedAt}, so a re-delivery or a re-publication finds the same record. A claim holds a lease;
 * a run that dies half-way leaves the record in progress, and once the lease runs out the next delivery resumes
 * from the recorded pre-state.
 */
public final class Ledger {

    public static final String PARTITION_KEY = "finding";
    public static final String SORT_KEY = "action";
    public static final String TTL_ATTRIBUTE = "expiresAt";

    private static final Duration RETENTION = Duration.ofDays(400);
    /** The sort key of a resource's hold item, whose partition key names the resource. */
    private static final String HOLD = "hold";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public Ledger(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    public String table() {
        return table;
    }

    /**
     * Claims the work on a finding and action for this run.
     *
     * @param owner who claims, for example the Lambda request id, kept for the audit trail
     * @param lease how long the claim holds before another run may resume it; at least the function timeout
     */
    public Claim claim(String findingKey, String action, String owner, Duration lease, Instant findingUpdatedAt) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":inProgress", s(LedgerRecord.IN_PROGRESS));
        values.put(":owner", s(owner));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":lease", n(now.plus(lease).toEpochMilli()));
        values.put(":one", n(1));
        values.put(":zero", n(0));
        values.put(":expires", n(now.plus(RETENTION).getEpochSecond()));
        values.put(":updatedAt", s(findingUpdatedAt == null ? "" : findingUpdatedAt.toString()));
        values.put(":empty", AttributeValue.fromM(Map.of()));
        String token = UUID.randomUUID().toString();
        values.put(":token", s(token));

        try {
            UpdateItemResponse response = dynamo.updateItem(request -> request
                    .tableName(table)
                    .key(key(findingKey, action))
                    .conditionExpression("attribute_not_exists(#pk) OR (#status = :inProgress AND leaseUntil < :now)")
                    .updateExpression("SET #status = :inProgress, #owner = :owner, leaseUntil = :lease,"
                            + " claimedAt = if_not_exists(claimedAt, :now), #expires = :expires,"
                            + " findingUpdatedAt = :updatedAt, attempts = if_not_exists(attempts, :zero) + :one,"
                            + " steps = if_not_exists(steps, :empty), attrs = if_not_exists(attrs, :empty),"
                            + " claimToken = :token")
                    .expressionAttributeNames(Map.of("#pk", PARTITION_KEY, "#status", "status", "#owner", "owner",
                            "#expires", TTL_ATTRIBUTE))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            LedgerRecord record = toRecord(response.attributes());
            return new Claim(record.attempts() > 1 ? Claim.Kind.RESUME : Claim.Kind.NEW, record);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = e.hasItem() ? e.item()
                    : findItem(findingKey, action).orElseThrow(() -> e);
            LedgerRecord existing = toRecord(item);
            boolean inProgress = LedgerRecord.IN_PROGRESS.equals(existing.status());
            if (inProgress && token.equals(text(item, "claimToken"))) {
                // The SDK retried this very write after its first attempt took effect and the response was lost
                // (a timeout or a dropped connection), so the claim is this run's own.
                return new Claim(existing.attempts() > 1 ? Claim.Kind.RESUME : Claim.Kind.NEW, existing);
            }
            return new Claim(inProgress ? Claim.Kind.HELD_ELSEWHERE : Claim.Kind.COMPLETED, existing);
        }
    }

    /** Records the state before the first change, and the steps the run is about to take. */
    public void recordPreState(String findingKey, String action, String preStateJson, String resourceId) {
        update(findingKey, action, "SET preState = :preState, resourceId = :resource",
                Map.of(":preState", s(preStateJson), ":resource", s(resourceId)));
    }

    /** Records one finished step's result, so a resumed run can skip it. */
    public void recordStep(String findingKey, String action, String stepName, String stepJson) {
        update(findingKey, action, "SET steps.#step = :step", Map.of("#step", stepName),
                Map.of(":step", s(stepJson)));
    }

    /** Marks the work completed with its final result, and releases the lease. */
    public void complete(String findingKey, String action, String resultJson) {
        update(findingKey, action, "SET #status = :completed, #result = :result, completedAt = :now REMOVE leaseUntil",
                Map.of("#status", "status", "#result", "result"),
                Map.of(":completed", s(LedgerRecord.COMPLETED), ":result", s(resultJson),
                        ":now", n(clock.instant().toEpochMilli())));
    }

    /**
     * Replaces the recorded {@code updatedAt} of the finding with a later one, only if the record still contains
     * {@code expected}. Of several deliveries of one updated finding, exactly one gets {@code true}, so exactly
     * one reports the update.
     *
     * @param expected the value read from the record, {@code null} when it has none
     * @return whether this call replaced the value
     */
    public boolean compareAndSetFindingUpdatedAt(String findingKey, String action, Instant expected,
            Instant replacement) {
        try {
            dynamo.updateItem(request -> request
                    .tableName(table)
                    .key(key(findingKey, action))
                    .conditionExpression("attribute_exists(#pk) AND (findingUpdatedAt = :expected"
                            + (expected == null ? " OR attribute_not_exists(findingUpdatedAt))" : ")"))
                    .updateExpression("SET findingUpdatedAt = :replacement")
                    .expressionAttributeNames(Map.of("#pk", PARTITION_KEY))
                    .expressionAttributeValues(Map.of(
                            ":expected", s(expected == null ? "" : expected.toString()),
                            ":replacement", s(replacement == null ? "" : replacement.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Makes a finding the holder of a resource, unless another finding is its holder. The hold lasts from just
     * before a run changes the resource until the change is released or has failed. Two findings on one instance
     * or key therefore never both change it, because the second would record the first's containment as its
     * pre-state, and releasing either would undo the other's.
     *
     * @param resourceKey what is held, such as {@code instance#ARN} or {@code access-key#ACCOUNT#KEY_ID}
     * @return empty when the finding holds the resource now (or held it already); otherwise the finding id of
     *     the holder
     */
    public Optional<String> hold(String resourceKey, String findingKey, String findingId) {
        try {
            // An update, not a put, so that the functions need no dynamodb:PutItem on the ledger.
            dynamo.updateItem(request -> request.tableName(table)
                    .key(key(resourceKey, HOLD))
                    .conditionExpression("attribute_not_exists(#pk) OR holder = :holder")
                    .updateExpression("SET holder = :holder, holderFindingId = :findingId, heldAt = :now,"
                            + " #expires = :expires")
                    .expressionAttributeNames(Map.of("#pk", PARTITION_KEY, "#expires", TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":holder", s(findingKey), ":findingId", s(findingId),
                            ":now", n(clock.instant().toEpochMilli()),
                            ":expires", n(clock.instant().plus(RETENTION).getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = e.hasItem() ? e.item() : findItem(resourceKey, HOLD).orElse(null);
            if (item == null) {
                // The holder let go between the write and the read: try once more.
                return hold(resourceKey, findingKey, findingId);
            }
            return Optional.of(text(item, "holderFindingId"));
        }
    }

    /** Returns the id of the resource's holder when the holder is a finding other than this one. */
    public Optional<String> heldByAnother(String resourceKey, String findingKey) {
        return findItem(resourceKey, HOLD)
                .filter(item -> !findingKey.equals(text(item, "holder")))
                .map(item -> text(item, "holderFindingId"));
    }

    /** Lets go of a resource this finding holds; a hold by another finding, or none, is left as it is. */
    public void releaseHold(String resourceKey, String findingKey) {
        try {
            dynamo.deleteItem(request -> request.tableName(table).key(key(resourceKey, HOLD))
                    .conditionExpression("holder = :holder")
                    .expressionAttributeValues(Map.of(":holder", s(findingKey))));
        } catch (ConditionalCheckFailedException e) {
            // Held by another finding or by none: not this finding's to let go.
        }
    }

    /** Ends this run's lease early, so a retry can resume at once. The record stays in progress. */
    public void releaseLease(String findingKey, String action) {
        update(findingKey, action, "SET leaseUntil = :zero", Map.of(":zero", n(0)));
    }

    /**
     * Deletes a claim that led to no change (the decision was not to act), so a later delivery decides afresh.
     * Only the owner's claim on a record with no recorded pre-state is deleted.
     */
    public void abandon(String findingKey, String action, String owner) {
        try {
            dynamo.deleteItem(request -> request.tableName(table).key(key(findingKey, action))
                    .conditionExpression("#owner = :owner AND attribute_not_exists(preState)")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException e) {
            // Another run owns it now, or it holds a pre-state; either way it is not this run's to delete.
        }
    }

    /** Sets one free-form attribute on the record, such as a Slack thread id. */
    public void putAttribute(String findingKey, String action, String name, String value) {
        update(findingKey, action, "SET attrs.#name = :value", Map.of("#name", name), Map.of(":value", s(value)));
    }

    /** Changes the record's status, for a release. */
    public void markStatus(String findingKey, String action, String status, String resultJson) {
        update(findingKey, action, "SET #status = :status, releaseResult = :result",
                Map.of("#status", "status"), Map.of(":status", s(status), ":result", s(resultJson)));
    }

    /** Reads a record with a strongly consistent read. */
    public Optional<LedgerRecord> find(String findingKey, String action) {
        return findItem(findingKey, action).map(Ledger::toRecord);
    }

    private Optional<Map<String, AttributeValue>> findItem(String findingKey, String action) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request
                .tableName(table)
                .key(key(findingKey, action))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** Creates the table when it is missing, for the command line against a local endpoint. */
    public void createTableIfMissing() {
        try {
            dynamo.createTable(request -> request
                    .tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SORT_KEY).keyType(KeyType.RANGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PARTITION_KEY)
                                    .attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SORT_KEY)
                                    .attributeType(ScalarAttributeType.S).build()));
        } catch (ResourceInUseException alreadyThere) {
            // Another process created it first, which is what was wanted.
        }
    }

    private void update(String findingKey, String action, String expression, Map<String, AttributeValue> values) {
        update(findingKey, action, expression, Map.of(), values);
    }

    private void update(String findingKey, String action, String expression, Map<String, String> names,
            Map<String, AttributeValue> values) {
        dynamo.updateItem(request -> {
            request.tableName(table).key(key(findingKey, action)).updateExpression(expression)
                    .expressionAttributeValues(values);
            if (!names.isEmpty()) {
                request.expressionAttributeNames(names);
            }
        });
    }

    private static Map<String, AttributeValue> key(String findingKey, String action) {
        return Map.of(PARTITION_KEY, s(findingKey), SORT_KEY, s(action));
    }

    private static LedgerRecord toRecord(Map<String, AttributeValue> item) {
        return new LedgerRecord(
                text(item, PARTITION_KEY),
                text(item, SORT_KEY),
                text(item, "status"),
                text(item, "owner"),
                item.containsKey("attempts") ? Long.parseLong(item.get("attempts").n()) : 0,
                item.containsKey("leaseUntil") ? Instant.ofEpochMilli(Long.parseLong(item.get("leaseUntil").n()))
                        : null,
                text(item, "preState"),
                stringMap(item.get("steps")),
                text(item, "result"),
                parseInstant(text(item, "findingUpdatedAt")),
                stringMap(item.get("attrs")),
                text(item, "resourceId"));
    }

    private static Map<String, String> stringMap(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return Map.of();
        }
        return value.m().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().s()));
    }

    private static Instant parseInstant(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
