package dev.quell.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quell.core.json.Json;
import dev.quell.core.policy.Policy;
import dev.quell.infra.FunctionSpec.Kind;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Quell function with its own role, log group and {@code live} alias. Rules target the alias, so SnapStart
 * and provisioned concurrency apply to every event.
 */
public final class ResponderFunction extends Construct {

    public static final String POLICY_VARIABLE = "QUELL_POLICY";
    public static final String ALIAS_NAME = "live";
    /** The notify function's variable with the Slack secret's ARN. */
    public static final String SLACK_SECRET_VARIABLE = "QUELL_SLACK_SECRET";

    /**
     * Ledger calls of {@code dev.quell.core.ledger.Ledger} and {@code RateBudgetGate}; creating the table is for
     * local runs only. DynamoDB authorizes each {@code Update} in the rate budget's {@code TransactWriteItems} as
     * {@code dynamodb:UpdateItem}, so the transaction needs no action of its own.
     */
    static final List<String> LEDGER_ACTIONS = List.of("dynamodb:DeleteItem", "dynamodb:GetItem",
            "dynamodb:UpdateItem");
    static final List<String> LOG_ACTIONS = List.of("logs:CreateLogStream", "logs:PutLogEvents");

    /**
     * The lease time beyond the function timeout, so no other delivery resumes a claim while its run still goes on,
     * as long as Lambda's clocks differ by less than this.
     */
    private static final int LEASE_MARGIN_SECONDS = 30;

    /** The Security Hub hub of this account, in every region. */
    static final String SECURITY_HUB_ARN = "arn:" + Aws.PARTITION + ":securityhub:*:" + Aws.ACCOUNT_ID + ":hub/default";

    /** The longest ARN a Secrets Manager secret named {@code quell/slack} can have, with a long partition. */
    private static final int MAX_SECRET_ARN_BYTES = 128;

    private final FunctionSpec spec;
    private final Role role;
    private final Function function;
    private final Alias alias;

    public ResponderFunction(Construct scope, FunctionSpec spec, Inputs inputs) {
        super(scope, spec.name());
        this.spec = spec;
        this.role = Role.Builder.create(this, "Role")
                .roleName(roleName(spec))
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the Quell function " + spec.functionName())
                .build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/lambda/" + spec.functionName())
                .retention(RetentionDays.ONE_YEAR)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.function = function(inputs, logs);
        if (inputs.startupMode() == StartupMode.SNAPSTART) {
            Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "the live alias below publishes a version on every code or configuration change");
        }
        this.alias = Alias.Builder.create(this, "Live")
                .aliasName(ALIAS_NAME)
                .version(function.getCurrentVersion())
                .provisionedConcurrentExecutions(inputs.startupMode() == StartupMode.PROVISIONED
                        && spec.kind() == Kind.RESPONDER ? 1 : null)
                .build();
        grant(inputs, logs);
    }

    /** The inputs of the construct besides the spec: the code asset, the settings and the shared resources. */
    public record Inputs(Code asset, DeploySettings settings, CoreResources core) {

        StartupMode startupMode() {
            return settings.startupMode();
        }
    }

    public FunctionSpec spec() {
        return spec;
    }

    public Role role() {
        return role;
    }

    public Function function() {
        return function;
    }

    /** The alias that rules invoke. */
    public IFunction target() {
        return alias;
    }

    /** Returns the role name, which carries the region because IAM names are global and the stack is not. */
    static String roleName(FunctionSpec spec) {
        return spec.functionName() + "-" + Aws.REGION;
    }

    private Function function(Inputs inputs, LogGroup logs) {
        return Function.Builder.create(this, "Function")
                .functionName(spec.functionName())
                .description("Quell " + spec.name() + " (" + spec.handler() + ")")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(spec.handler())
                .code(inputs.asset())
                .memorySize(spec.memoryMb())
                .timeout(Duration.seconds(spec.timeout().toSeconds()))
                .reservedConcurrentExecutions(inputs.settings().reservedConcurrency())
                .environment(environment(inputs).values())
                .role(role)
                .logGroup(logs)
                .deadLetterQueue(inputs.core().deadLetters())
                .retryAttempts(2)
                .maxEventAge(Duration.hours(1))
                .snapStart(inputs.startupMode() == StartupMode.SNAPSTART ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
                .build();
    }

    private LambdaEnvironment environment(Inputs inputs) {
        DeploySettings settings = inputs.settings();
        LambdaEnvironment environment = new LambdaEnvironment(spec.functionName())
                .put("QUELL_LEDGER_TABLE", CoreResources.LEDGER_TABLE_NAME)
                .put("QUELL_EVENT_BUS", CoreResources.EVENT_BUS_NAME)
                .put("QUELL_CLAIM_LEASE_SECONDS", Long.toString(spec.timeout().toSeconds() + LEASE_MARGIN_SECONDS))
                .putDeployTime("QUELL_HOME_ACCOUNT", Aws.ACCOUNT_ID, 12)
                .put("QUELL_MEMBER_ROLE_NAME", settings.memberRoleName());
        if (spec.kind() == Kind.NOTIFIER) {
            // The notify function reads the secret when it starts; while it still holds the placeholder {}, it
            // updates Security Hub and sends no Slack message.
            environment.putDeployTime(SLACK_SECRET_VARIABLE, inputs.core().slackSecret().getSecretArn(),
                    MAX_SECRET_ARN_BYTES);
        }
        // The policy goes last, so that an environment over the limit is reported as a policy too large.
        return environment.put(POLICY_VARIABLE, compactJson(settings.policy()));
    }

    /** Returns the policy as compact JSON, which {@code Policy.parse} reads back to an equal policy. */
    static String compactJson(Policy policy) {
        try {
            return Json.mapper().writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the policy as JSON", e);
        }
    }

    private void grant(Inputs inputs, LogGroup logs) {
        Policy policy = inputs.settings().policy();
        Permissions.statements(spec.contractActions(), policy).forEach(role::addToPrincipalPolicy);
        // The log group's ARN ends in ":*", which covers its log streams.
        role.addToPrincipalPolicy(allow("WriteLogs", LOG_ACTIONS, logs.getLogGroupArn()));
        role.addToPrincipalPolicy(allow("Ledger", LEDGER_ACTIONS, inputs.core().ledger().getTableArn()));
        if (spec.kind() == Kind.RESPONDER) {
            grantResponder(inputs);
        } else {
            grantNotifier(inputs);
        }
    }

    /** Lets the notify function read the Slack secret and update the findings it reports on. */
    private void grantNotifier(Inputs inputs) {
        role.addToPrincipalPolicy(allow("ReadSlackSecret", List.of("secretsmanager:GetSecretValue"),
                inputs.core().slackSecret().getSecretArn()));
        // The hub of this account in any region: the finding's own region, or the aggregation region.
        role.addToPrincipalPolicy(allow("UpdateFindings", List.of("securityhub:BatchUpdateFindings"),
                SECURITY_HUB_ARN));
    }

    /** Lets a responder publish results on the Quell bus, read the bus, and assume the member role. */
    private void grantResponder(Inputs inputs) {
        PolicyStatement publish = allow("PublishResults", List.of("events:PutEvents"),
                inputs.core().bus().getEventBusArn());
        publish.addCondition("StringEquals", Map.of("events:source", "quell"));
        publish.addCondition("StringEquals", Map.of("events:detail-type", FindingPatterns.QUELL_DETAIL_TYPES));
        role.addToPrincipalPolicy(publish);
        // The isolation function's start-up priming reads the bus. The PutEvents conditions would deny this call.
        role.addToPrincipalPolicy(allow("ReadEventBus", List.of("events:DescribeEventBus"),
                inputs.core().bus().getEventBusArn()));

        PolicyStatement assume = allow("AssumeMemberRole", List.of("sts:AssumeRole"),
                "arn:" + Aws.PARTITION + ":iam::*:role/" + inputs.settings().memberRoleName());
        inputs.settings().organizationId().ifPresent(organization ->
                assume.addCondition("StringEquals", Map.of("aws:ResourceOrgID", organization)));
        role.addToPrincipalPolicy(assume);
    }

    private static PolicyStatement allow(String sid, List<String> actions, String resource) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(resource))
                .build();
    }
}
