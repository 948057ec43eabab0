package dev.quell.core.ledger;

import dev.quell.core.policy.RateBudget;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The circuit breaker on containments: counts them per account and across the organisation in the current clock
 * hour, in the ledger table, and refuses a containment past either limit.
 *
 * <p>Both counters move in one DynamoDB transaction with a condition on each, so concurrent responses can never
 * take more than the budget, and a refused containment takes nothing from either counter.
 */
public final class RateBudgetGate {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(
            ZoneOffset.UTC);
    private static final String ORGANISATION = "organisation";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public RateBudgetGate(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** A spent unit of budget, to give back when the response does not go ahead after all. */
    public record Ticket(String account, String hour) {
    }

    /**
     * Takes one containment from the account's and the organisation's budget for this hour.
     *
     * @return a ticket, or the scope whose limit is reached ({@code "in account 1111..."} or
     *     {@code "across the organisation"})
     */
    public Result take(String account, RateBudget budget) {
        String hour = HOUR.format(clock.instant());
        try {
            dynamo.transactWriteItems(request -> request.transactItems(
                    increment(account, hour, 1, budget.perAccountPerHour()),
                    increment(ORGANISATION, hour, 1, budget.organisationPerHour())));
            return new Result(Optional.of(new Ticket(account, hour)), null, 0);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            boolean accountFull = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
            return accountFull
                    ? new Result(Optional.empty(), "in account " + account, budget.perAccountPerHour())
                    : new Result(Optional.empty(), "across the organisation", budget.organisationPerHour());
        }
    }

    /** Gives a unit back, when the containment it was taken for did not run. */
    public void giveBack(Ticket ticket) {
        dynamo.transactWriteItems(request -> request.transactItems(
                increment(ticket.account(), ticket.hour(), -1, null),
                increment(ORGANISATION, ticket.hour(), -1, null)));
    }

    /** The outcome of {@link #take}: a ticket, or the scope and limit that refused it. */
    public record Result(Optional<Ticket> ticket, String exceededScope, int limit) {

        public boolean granted() {
            return ticket.isPresent();
        }
    }

    private TransactWriteItem increment(String scope, String hour, int delta, Integer limit) {
        Instant expires = clock.instant().plus(2, ChronoUnit.DAYS);
        Update.Builder update = Update.builder()
                .tableName(table)
                .key(Map.of(Ledger.PARTITION_KEY, AttributeValue.fromS("budget#" + scope),
                        Ledger.SORT_KEY, AttributeValue.fromS(hour)))
                .updateExpression("ADD #count :delta SET #expires = :expires")
                .expressionAttributeNames(Map.of("#count", "containments", "#expires", Ledger.TTL_ATTRIBUTE));
        if (limit == null) {
            update.expressionAttributeValues(Map.of(":delta", number(delta), ":expires",
                    number(expires.getEpochSecond())));
        } else {
            update.conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                    .expressionAttributeValues(Map.of(":delta", number(delta), ":limit", number(limit),
                            ":expires", number(expires.getEpochSecond())));
        }
        return TransactWriteItem.builder().update(update.build()).build();
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
