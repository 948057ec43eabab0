package dev.quell.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The stack in the security account (the GuardDuty delegated administrator): the functions, the rules that feed
 * them, the ledger, the Quell bus, the dead-letter queue, the alarms and the Slack secret.
 *
 * <p>Deploy it in every region where GuardDuty runs, or only in the Security Hub aggregation region with
 * {@code -c securityHubAggregation=true}; {@code docs/deploy.md} compares the two.
 */
public final class ResponderStack extends Stack {

    private final DeploySettings settings;
    private final CoreResources core;
    private final List<ResponderFunction> functions = new ArrayList<>();
    private final Routing routing;

    /**
     * @param specs the functions to deploy, normally {@link Functions#all()}
     * @param code supplies each function's deployment package
     * @throws IllegalArgumentException when a playbook names an action no function handles, or an environment
     *     exceeds Lambda's limit
     * @throws FunctionCode.MissingJarException when a function's jar has not been built
     */
    public ResponderStack(Construct scope, String id, StackProps props, DeploySettings settings,
            List<FunctionSpec> specs, FunctionCode code) {
        super(scope, id, props);
        this.settings = settings;
        this.core = new CoreResources(this, "Core", settings);
        for (FunctionSpec spec : specs) {
            functions.add(new ResponderFunction(this, spec,
                    new ResponderFunction.Inputs(code.codeFor(spec), settings, core)));
        }
        this.routing = new Routing(this, "Routing", settings, functions, core);
        new Alarms(this, "Alarms", functions, routing.rules(), core);
        ResponderNagSuppressions.apply(this);
        outputs();
    }

    public DeploySettings settings() {
        return settings;
    }

    public CoreResources core() {
        return core;
    }

    public List<ResponderFunction> functions() {
        return List.copyOf(functions);
    }

    public Routing routing() {
        return routing;
    }

    /** Outputs what the member role stack and operators need: the responder role ARNs first. */
    private void outputs() {
        List<String> roleArns = functions.stream()
                .filter(function -> function.spec().kind() == FunctionSpec.Kind.RESPONDER)
                .map(function -> function.role().getRoleArn())
                .collect(Collectors.toList());
        CfnOutput.Builder.create(this, "ResponderRoleArns")
                .description("Pass as ResponderRoleArns to the member role stack or stack set")
                .value(Fn.join(",", roleArns))
                .build();
        CfnOutput.Builder.create(this, "EventBusArn").value(core.bus().getEventBusArn()).build();
        CfnOutput.Builder.create(this, "LedgerTableName").value(core.ledger().getTableName()).build();
        CfnOutput.Builder.create(this, "DeadLetterQueueUrl").value(core.deadLetters().getQueueUrl()).build();
        CfnOutput.Builder.create(this, "AlarmTopicArn").value(core.alarmTopic().getTopicArn()).build();
        CfnOutput.Builder.create(this, "SlackSecretArn")
                .description("Store the Slack webhook URL or bot token here")
                .value(core.slackSecret().getSecretArn())
                .build();
    }
}
