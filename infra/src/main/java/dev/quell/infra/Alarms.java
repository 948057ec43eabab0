package dev.quell.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.constructs.Construct;

/**
 * Alarms on the signs that a finding was not handled: function errors and throttles, events in the dead-letter
 * queue, and rules that failed to invoke their targets. Every alarm notifies the alarm topic.
 */
public final class Alarms extends Construct {

    private static final Duration PERIOD = Duration.minutes(5);

    private final SnsAction notifyTopic;

    public Alarms(Construct scope, String id, List<ResponderFunction> functions, List<Rule> rules,
            CoreResources core) {
        super(scope, id);
        this.notifyTopic = new SnsAction(core.alarmTopic());
        for (ResponderFunction function : functions) {
            String name = function.spec().functionName();
            atLeastOnce("Errors-" + function.spec().name(), function.function().metricErrors(),
                    name + " failed an invocation; check its log group for the finding id and error");
            atLeastOnce("Throttles-" + function.spec().name(), function.function().metricThrottles(),
                    name + " was throttled at its reserved concurrency; findings wait in Lambda's retry queue");
        }
        alarm("DeadLetters", core.deadLetters().metricApproximateNumberOfMessagesVisible()
                        .with(MetricOptions.builder()
                                .statistic("Maximum").period(PERIOD).build()),
                ComparisonOperator.GREATER_THAN_THRESHOLD, 0,
                "Events wait in quell-dead-letters: a finding was not delivered or not handled");
        for (Rule rule : rules) {
            String ruleId = rule.getNode().getId();
            atLeastOnce("FailedInvocations-" + ruleId, Metric.Builder.create()
                            .namespace("AWS/Events")
                            .metricName("FailedInvocations")
                            .dimensionsMap(Map.of("RuleName", rule.getRuleName()))
                            .statistic("Sum")
                            .period(PERIOD)
                            .build(),
                    "EventBridge rule " + ruleId + " failed to invoke its target");
        }
    }

    private void atLeastOnce(String id, Metric metric, String description) {
        alarm(id, metric.with(MetricOptions.builder()
                        .statistic("Sum").period(PERIOD).build()),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, description);
    }

    private void alarm(String id, IMetric metric, ComparisonOperator operator, double threshold,
            String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .comparisonOperator(operator)
                .threshold(threshold)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription("Quell: " + description)
                .build();
        alarm.addAlarmAction(notifyTopic);
    }
}
