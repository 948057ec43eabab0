package dev.quell.infra;

import dev.quell.core.policy.Playbook;
import dev.quell.infra.FunctionSpec.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The EventBridge rules that deliver findings and results to the functions. Each playbook gets a GuardDuty rule,
 * and in aggregation mode a Security Hub rule too; playbooks with the same pattern and functions share them. Each
 * Security Hub custom action gets a rule, and the notify function gets one on the Quell bus.
 *
 * <p>Every target retries twice, drops events older than an hour, and sends what it could not deliver to the
 * dead-letter queue. Each rule gets its own invoke permission on the function's alias, conditioned on its ARN.
 */
public final class Routing extends Construct {

    /** CloudFormation has no Security Hub action target resource, so the stack creates them with API calls. */
    public static final String ACTION_TARGET_TYPE = "Custom::SecurityHubActionTarget";

    private final DeploySettings settings;
    private final List<ResponderFunction> functions;
    private final CoreResources core;
    private final List<Rule> rules = new ArrayList<>();
    private final List<AwsCustomResource> actionTargets = new ArrayList<>();

    public Routing(Construct scope, String id, DeploySettings settings, List<ResponderFunction> functions,
            CoreResources core) {
        super(scope, id);
        this.settings = settings;
        this.functions = List.copyOf(functions);
        this.core = core;
        routePlaybooks();
        if (settings.securityHubCustomActions()) {
            routeCustomActions();
        }
        routeResults();
    }

    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** The custom resources that create the Security Hub action targets. */
    public List<AwsCustomResource> actionTargets() {
        return List.copyOf(actionTargets);
    }

    /** Returns the ARN Security Hub gives a custom action with this id in the stack's account and region. */
    public static String actionTargetArn(Stack stack, CustomAction action) {
        return "arn:" + Aws.PARTITION + ":securityhub:" + stack.getRegion() + ":" + stack.getAccount()
                + ":action/custom/" + action.id();
    }

    /**
     * Routes each playbook's findings. Playbooks with the same pattern and the same functions share one rule per
     * source, named after the first of them, so that no function receives one event twice. The default credential
     * playbooks {@code quarantine-leaked-key} and {@code revoke-misused-role-sessions} list the same finding types,
     * and the credential router in each function picks the action.
     *
     * <p>NOTE: playbooks whose patterns overlap without being equal still deliver a finding in the overlap twice.
     * The ledger claim lets only one run act, but in dry run each delivery publishes its own plan.
     */
    private void routePlaybooks() {
        String homeRegion = Stack.of(this).getRegion();
        Map<PlaybookRoute, List<Playbook>> routes = new LinkedHashMap<>();
        for (Playbook playbook : settings.policy().playbooks()) {
            PlaybookRoute route = new PlaybookRoute(FindingPatterns.guardDuty(playbook).getDetail(),
                    handlersOf(playbook));
            routes.computeIfAbsent(route, ignored -> new ArrayList<>()).add(playbook);
        }
        routes.forEach((route, playbooks) -> {
            Playbook first = playbooks.get(0);
            String names = (playbooks.size() == 1 ? "playbook " : "playbooks ")
                    + playbooks.stream().map(Playbook::name).collect(Collectors.joining(", "));
            rule("GuardDuty-" + first.name(), null, FindingPatterns.guardDuty(first),
                    "Quell: GuardDuty findings for " + names, route.handlers());
            if (settings.securityHubAggregation()) {
                rule("SecurityHub-" + first.name(), null, FindingPatterns.securityHubImported(first, homeRegion),
                        "Quell: Security Hub findings from linked regions for " + names, route.handlers());
            }
        });
    }

    /** A GuardDuty pattern's detail and the functions it feeds, equal for playbooks that can share a rule. */
    private record PlaybookRoute(Object detail, List<ResponderFunction> handlers) {
    }

    private List<ResponderFunction> handlersOf(Playbook playbook) {
        List<ResponderFunction> handlers = functions.stream()
                .filter(function -> function.spec().kind() == Kind.RESPONDER)
                .filter(function -> function.spec().policyActions().contains(playbook.action()))
                .toList();
        if (handlers.isEmpty()) {
            String available = functions.stream()
                    .map(function -> function.spec().functionName() + " " + function.spec().policyActions())
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException("policy " + settings.policySource() + ", playbook \""
                    + playbook.name() + "\": no function in this build handles action " + playbook.action()
                    + "; functions and their actions: " + available);
        }
        return handlers;
    }

    private void routeCustomActions() {
        Stack stack = Stack.of(this);
        for (CustomAction action : CustomAction.values()) {
            List<ResponderFunction> handlers = functions.stream()
                    .filter(function -> function.spec().customActions().contains(action))
                    .toList();
            if (handlers.isEmpty()) {
                continue;
            }
            String arn = actionTargetArn(stack, action);
            actionTargets.add(actionTarget(action, arn));
            rule("CustomAction-" + action.id(), null, FindingPatterns.customAction(arn),
                    "Quell: Security Hub custom action " + action.actionName(), handlers);
        }
    }

    private void routeResults() {
        List<ResponderFunction> notifiers = functions.stream()
                .filter(function -> function.spec().kind() == Kind.NOTIFIER)
                .toList();
        if (!notifiers.isEmpty()) {
            rule("QuellResults", core.bus(), FindingPatterns.quellResults(),
                    "Quell: response results to the notify function", notifiers);
        }
    }

    private void rule(String id, IEventBus bus, EventPattern pattern, String description,
            List<ResponderFunction> targets) {
        Rule rule = Rule.Builder.create(this, id)
                .eventBus(bus)
                .eventPattern(pattern)
                .description(description)
                .build();
        for (ResponderFunction function : targets) {
            rule.addTarget(LambdaFunction.Builder.create(function.target())
                    .deadLetterQueue(core.deadLetters())
                    .retryAttempts(2)
                    .maxEventAge(Duration.hours(1))
                    .build());
        }
        rules.add(rule);
    }

    /**
     * Creates one action target with the Security Hub API at deploy, and deletes it with the stack. A target that
     * already exists with this id, made by hand or by an earlier stack, is adopted.
     */
    private AwsCustomResource actionTarget(CustomAction action, String arn) {
        String hubResources = "arn:" + Aws.PARTITION + ":securityhub:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":*";
        return AwsCustomResource.Builder.create(this, "ActionTarget-" + action.id())
                .resourceType(ACTION_TARGET_TYPE)
                .installLatestAwsSdk(false)
                .onCreate(AwsSdkCall.builder()
                        .service("SecurityHub")
                        .action("CreateActionTarget")
                        .parameters(Map.of("Id", action.id(), "Name", action.actionName(),
                                "Description", action.description()))
                        .physicalResourceId(PhysicalResourceId.of(arn))
                        .ignoreErrorCodesMatching("ResourceConflictException")
                        .build())
                .onUpdate(AwsSdkCall.builder()
                        .service("SecurityHub")
                        .action("UpdateActionTarget")
                        .parameters(Map.of("ActionTargetArn", arn, "Name", action.actionName(),
                                "Description", action.description()))
                        .physicalResourceId(PhysicalResourceId.of(arn))
                        .build())
                .onDelete(AwsSdkCall.builder()
                        .service("SecurityHub")
                        .action("DeleteActionTarget")
                        .parameters(Map.of("ActionTargetArn", arn))
                        .ignoreErrorCodesMatching("ResourceNotFoundException")
                        .build())
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("securityhub:CreateActionTarget", "securityhub:UpdateActionTarget",
                                "securityhub:DeleteActionTarget"))
                        .resources(List.of(hubResources))
                        .build())))
                .build();
    }
}
