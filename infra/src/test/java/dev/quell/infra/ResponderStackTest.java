package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The responder stack with the default policy and every function. */
class ResponderStackTest {

    private static QuellApp.Stacks stacks;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        stacks = TestStacks.synthesize(DeploySettings.defaults(), Functions.all());
        template = Template.fromStack(stacks.responder());
    }

    @Test
    void isolationFunctionIsSizedAndPinned() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "quell-isolate-instance",
                "Handler", "dev.quell.isolate.IsolateInstanceHandler",
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "MemorySize", 1024,
                "Timeout", 60,
                "ReservedConcurrentExecutions", 10,
                "DeadLetterConfig", Map.of("TargetArn", Match.anyValue())));
    }

    @Test
    void everyFunctionHasItsHandlerAndSize() {
        List<List<Object>> expected = List.of(
                List.of("quell-isolate-instance", "dev.quell.isolate.IsolateInstanceHandler", 1024, 60),
                List.of("quell-quarantine-credentials", "dev.quell.quarantine.KeyQuarantineHandler", 1024, 60),
                List.of("quell-revoke-sessions", "dev.quell.revoke.RoleSessionHandler", 1024, 90),
                List.of("quell-notify", "dev.quell.notify.NotifyHandler", 512, 60));
        template.resourcePropertiesCountIs("AWS::Lambda::Function",
                Map.of("FunctionName", Match.stringLikeRegexp("quell-.*")), expected.size());
        for (List<Object> function : expected) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "FunctionName", function.get(0),
                    "Handler", function.get(1),
                    "MemorySize", function.get(2),
                    "Timeout", function.get(3),
                    "Runtime", "java21",
                    "Architectures", List.of("arm64")));
        }
    }

    @Test
    void functionEnvironmentCarriesSettings() {
        Capture policy = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "quell-isolate-instance",
                "Environment", Map.of("Variables", Map.of(
                        "QUELL_LEDGER_TABLE", "quell-ledger",
                        "QUELL_EVENT_BUS", "quell",
                        "QUELL_CLAIM_LEASE_SECONDS", "90",
                        "QUELL_HOME_ACCOUNT", Map.of("Ref", "AWS::AccountId"),
                        "QUELL_MEMBER_ROLE_NAME", "quell-responder",
                        "QUELL_POLICY", policy))));

        String json = policy.asString();
        assertThat(json).doesNotContain("\n").doesNotContain("  ");
        assertThat(Policy.parse(json, "the test")).isEqualTo(Policy.defaults());
    }

    @Test
    void notifyFunctionGetsSecretArn() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "quell-notify",
                "Environment", Map.of("Variables", Map.of(
                        "QUELL_SLACK_SECRET", Map.of("Ref", Match.stringLikeRegexp("CoreSlackSecret.*"))))));
        template.resourcePropertiesCountIs("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables",
                Map.of("QUELL_SLACK_SECRET", Match.anyValue()))), 1);
    }

    @Test
    void functionAsyncRetriesAreBounded() {
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "MaximumRetryAttempts", 2,
                "MaximumEventAgeInSeconds", 3600));
    }

    @Test
    void rulesTargetLiveAlias() {
        template.resourceCountIs("AWS::Lambda::Alias", 4);
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of("Name", "live"));
        for (Map<String, Object> rule : template.findResources("AWS::Events::Rule").values()) {
            JsonNode targets = TestStacks.JSON.valueToTree(rule).at("/Properties/Targets");
            assertThat(targets.size()).isPositive();
            for (JsonNode target : targets) {
                assertThat(target.at("/Arn/Ref").asText()).contains("Live");
                assertThat(target.at("/RetryPolicy/MaximumRetryAttempts").asInt()).isEqualTo(2);
                assertThat(target.at("/RetryPolicy/MaximumEventAgeInSeconds").asInt()).isEqualTo(3600);
                assertThat(target.at("/DeadLetterConfig/Arn/Fn::GetAtt/0").asText()).startsWith("CoreDeadLetters");
            }
        }
    }

    @Test
    void onDemandHasNoSnapStartOrProvisioning() {
        template.allResourcesProperties("AWS::Lambda::Function", Map.of("SnapStart", Match.absent()));
        template.allResourcesProperties("AWS::Lambda::Alias",
                Map.of("ProvisionedConcurrencyConfig", Match.absent()));
    }

    @Test
    void guardDutyRulesFollowPlaybooks() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Map.of(
                "source", List.of("aws.guardduty"),
                "detail-type", List.of("GuardDuty Finding"),
                "detail", Map.of(
                        "resource", Map.of("resourceType", List.of("Instance")),
                        "type", Match.arrayWith(List.of(Map.of("prefix", "Backdoor:EC2/"),
                                Map.of("prefix", "CryptoCurrency:EC2/"), Map.of("prefix", "Trojan:EC2/"))),
                        "severity", List.of(Map.of("numeric", List.of(">=", 5))),
                        "service", Map.of("archived", List.of(false))))));
        template.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Map.of(
                "source", List.of("aws.guardduty"),
                "detail", Match.objectLike(Map.of(
                        "type", Match.arrayWith(List.of(Map.of("prefix", "UnauthorizedAccess:EC2/SSHBruteForce"))),
                        "service", Map.of(
                                "archived", List.of(false),
                                "action", Map.of("networkConnectionAction",
                                        Map.of("connectionDirection", List.of("OUTBOUND")))))))));
    }

    @Test
    void securityHubImportsNeedAggregation() {
        template.resourcePropertiesCountIs("AWS::Events::Rule", Map.of("EventPattern", Match.objectLike(Map.of(
                "detail-type", List.of("Security Hub Findings - Imported")))), 0);
    }

    @Test
    void customActionsHaveTargets() throws Exception {
        Map<String, JsonNode> created = new HashMap<>();
        for (Map<String, Object> resource : template.findResources(Routing.ACTION_TARGET_TYPE).values()) {
            JsonNode call = TestStacks.JSON.readTree(
                    TestStacks.resolve(TestStacks.JSON.valueToTree(resource).at("/Properties/Create")).asText());
            created.put(call.at("/parameters/Id").asText(), call);
        }
        assertThat(created).hasSize(CustomAction.values().length);

        for (CustomAction action : CustomAction.values()) {
            String arn = "arn:aws:securityhub:us-east-1:111111111111:action/custom/" + action.id();
            JsonNode call = created.get(action.id());
            assertThat(call.get("service").asText()).isEqualTo("SecurityHub");
            assertThat(call.get("action").asText()).isEqualTo("CreateActionTarget");
            assertThat(call.at("/parameters/Name").asText()).isEqualTo(action.actionName());
            assertThat(call.at("/parameters/Description").asText()).isEqualTo(action.description());
            assertThat(call.at("/physicalResourceId/id").asText()).isEqualTo(arn);
            template.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Map.of(
                    "source", List.of("aws.securityhub"),
                    "detail-type", List.of("Security Hub Findings - Custom Action"),
                    "resources", List.of(Map.of("Fn::Join", List.of("", List.of(
                            "arn:", Map.of("Ref", "AWS::Partition"),
                            ":securityhub:us-east-1:111111111111:action/custom/" + action.id())))))));
        }
    }

    @Test
    void customActionTargetsAreDeletedWithStack() throws Exception {
        for (Map<String, Object> resource : template.findResources(Routing.ACTION_TARGET_TYPE).values()) {
            JsonNode delete = TestStacks.JSON.readTree(
                    TestStacks.resolve(TestStacks.JSON.valueToTree(resource).at("/Properties/Delete")).asText());

            assertThat(delete.get("action").asText()).isEqualTo("DeleteActionTarget");
            assertThat(delete.at("/parameters/ActionTargetArn").asText())
                    .startsWith("arn:aws:securityhub:us-east-1:111111111111:action/custom/Quell");
        }
    }

    @Test
    void actionTargetNamesFitSecurityHub() {
        for (CustomAction action : CustomAction.values()) {
            assertThat(action.id()).hasSizeLessThanOrEqualTo(20).matches("[A-Za-z0-9]+");
            assertThat(action.actionName()).hasSizeLessThanOrEqualTo(20);
            assertThat(action.description()).hasSizeLessThanOrEqualTo(256);
        }
    }

    @Test
    void customActionRoutesToDeclaringFunctions() {
        assertThat(targetsOf("CustomAction-QuellIsolate")).containsExactly("isolateinstance");
        assertThat(targetsOf("CustomAction-QuellQuarantineKey")).containsExactly("quarantinecredentials");
        assertThat(targetsOf("CustomAction-QuellRevokeSessions")).containsExactly("revokesessions");
    }

    @Test
    void releaseReachesEveryResponder() {
        assertThat(targetsOf("CustomAction-QuellRelease"))
                .containsExactlyInAnyOrder("isolateinstance", "quarantinecredentials", "revokesessions");
    }

    @Test
    void credentialPlaybooksReachBothCredentialFunctions() {
        for (String rule : List.of("GuardDuty-quarantine-leaked-key",
                "GuardDuty-revoke-exfiltrated-instance-credentials")) {
            assertThat(targetsOf(rule)).as(rule).containsExactlyInAnyOrder("quarantinecredentials", "revokesessions");
        }
        assertThat(targetsOf("GuardDuty-isolate-compromised-instance")).containsExactly("isolateinstance");
    }

    @Test
    void samePatternPlaybooksShareRule() {
        assertThat(stacks.responder().routing().rules()).extracting(rule -> rule.getNode().getId())
                .filteredOn(id -> id.startsWith("GuardDuty-"))
                .containsExactlyInAnyOrder("GuardDuty-isolate-compromised-instance",
                        "GuardDuty-isolate-attacking-instance", "GuardDuty-quarantine-leaked-key",
                        "GuardDuty-revoke-exfiltrated-instance-credentials");
        template.hasResourceProperties("AWS::Events::Rule", Map.of("Description",
                "Quell: GuardDuty findings for playbooks quarantine-leaked-key, revoke-misused-role-sessions"));
    }

    @Test
    void everyRuleHasScopedInvokePermission() {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::Events::Rule");
        for (String ruleId : rules.keySet()) {
            template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                    "Action", "lambda:InvokeFunction",
                    "Principal", "events.amazonaws.com",
                    "FunctionName", Map.of("Ref", Match.stringLikeRegexp(".*Live.*")),
                    "SourceArn", Map.of("Fn::GetAtt", List.of(ruleId, "Arn"))));
        }
        template.allResourcesProperties("AWS::Lambda::Permission",
                Map.of("SourceArn", Match.objectLike(Map.of("Fn::GetAtt", Match.anyValue()))));
    }

    @Test
    void resultsRuleOnQuellBus() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventBusName", Map.of("Ref", Match.stringLikeRegexp("CoreBus.*")),
                "EventPattern", Map.of(
                        "source", List.of("quell"),
                        "detail-type", List.of("Response Completed", "Response Planned")),
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", Match.stringLikeRegexp("notifyLive.*")))))));
    }

    @Test
    void ledgerTableMatchesLedger() {
        template.hasResource("AWS::DynamoDB::Table", Map.of(
                "DeletionPolicy", "Retain",
                "Properties", Map.of(
                        "TableName", "quell-ledger",
                        "KeySchema", List.of(
                                Map.of("AttributeName", "finding", "KeyType", "HASH"),
                                Map.of("AttributeName", "action", "KeyType", "RANGE")),
                        "AttributeDefinitions", List.of(
                                Map.of("AttributeName", "finding", "AttributeType", "S"),
                                Map.of("AttributeName", "action", "AttributeType", "S")),
                        "BillingMode", "PAY_PER_REQUEST",
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                        "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                        "SSESpecification", Map.of("SSEEnabled", true))));
    }

    @Test
    void busPolicyAllowsOnlyThisAccount() {
        template.hasResourceProperties("AWS::Events::EventBus", Map.of(
                "Name", "quell",
                "Policy", Map.of("Statement", List.of(Map.of(
                        "Sid", "PutEventsFromThisAccountOnly",
                        "Effect", "Allow",
                        "Action", "events:PutEvents",
                        "Principal", Map.of("AWS", Map.of("Fn::Join", List.of("", List.of(
                                "arn:", Map.of("Ref", "AWS::Partition"), ":iam::111111111111:root")))),
                        "Resource", Map.of("Fn::Join", List.of("", List.of(
                                "arn:", Map.of("Ref", "AWS::Partition"),
                                ":events:us-east-1:111111111111:event-bus/quell"))))))));
    }

    @Test
    void deadLetterQueueIsEncrypted() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "QueueName", "quell-dead-letters",
                "SqsManagedSseEnabled", true,
                "MessageRetentionPeriod", 1_209_600));
    }

    @Test
    void deadLetterQueueAcceptsEachRule() {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::Events::Rule");
        for (String ruleId : rules.keySet()) {
            template.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Map.of(
                    "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Action", "sqs:SendMessage",
                            "Effect", "Allow",
                            "Principal", Map.of("Service", "events.amazonaws.com"),
                            "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn",
                                    Map.of("Fn::GetAtt", List.of(ruleId, "Arn")))))))))));
        }
    }

    @Test
    void alarmTopicIsEncrypted() {
        template.hasResourceProperties("AWS::SNS::Topic", Map.of(
                "TopicName", "quell-alarms",
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("CoreAlarmTopicKey.*"),
                        "Arn"))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void slackSecretIsCreatedEmpty() {
        template.hasResource("AWS::SecretsManager::Secret", Map.of(
                "DeletionPolicy", "Retain",
                "Properties", Match.objectLike(Map.of("Name", "quell/slack", "SecretString", "{}"))));
    }

    @Test
    void alarmsCoverFunctionsQueueAndRules() {
        int functions = Functions.all().size();
        int rules = template.findResources("AWS::Events::Rule").size();
        template.resourceCountIs("AWS::CloudWatch::Alarm", 2 * functions + 1 + rules);

        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Lambda", "MetricName", "Errors", "Statistic", "Sum", "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("CoreAlarmTopic.*")))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Lambda", "MetricName", "Throttles"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/SQS", "MetricName", "ApproximateNumberOfMessagesVisible",
                "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold"));
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Events", "MetricName", "FailedInvocations"), rules);
        template.allResourcesProperties("AWS::CloudWatch::Alarm", Map.of("AlarmActions", List.of(
                Map.of("Ref", Match.stringLikeRegexp("CoreAlarmTopic.*")))));
    }

    @Test
    void logGroupsAreRetained() {
        template.resourceCountIs("AWS::Logs::LogGroup", Functions.all().size());
        template.hasResource("AWS::Logs::LogGroup", Map.of(
                "DeletionPolicy", "Retain",
                "Properties", Map.of("LogGroupName", "/aws/lambda/quell-isolate-instance", "RetentionInDays", 365)));
    }

    @Test
    void securityGroupsAllowNoEgressToAll() {
        Map<String, Map<String, Object>> groups = template.findResources("AWS::EC2::SecurityGroup");
        for (Map<String, Object> group : groups.values()) {
            assertThat(String.valueOf(group.get("Properties"))).doesNotContain("0.0.0.0/0").doesNotContain("::/0");
        }
        assertThat(template.findResources("AWS::EC2::SecurityGroupEgress")).isEmpty();
    }

    @Test
    void responderRoleArnsAreOutput() {
        template.hasOutput("ResponderRoleArns", Map.of("Value", Map.of("Fn::Join", List.of(",", List.of(
                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("isolateinstanceRole.*"), "Arn")),
                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("quarantinecredentialsRole.*"), "Arn")),
                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("revokesessionsRole.*"), "Arn")))))));
    }

    @Test
    void roleNamesCarryRegion() {
        template.hasResourceProperties("AWS::IAM::Role", Map.of(
                "RoleName", Map.of("Fn::Join", List.of("", List.of(
                        "quell-isolate-instance-", Map.of("Ref", "AWS::Region"))))));
    }

    /** Returns the construct ids of the functions a rule targets, from the logical ids of their aliases. */
    private static List<String> targetsOf(String ruleId) {
        String logicalId = TestStacks.logicalId(stacks.responder(), stacks.responder().routing().rules().stream()
                .filter(rule -> rule.getNode().getId().equals(ruleId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + ruleId)));
        JsonNode targets = TestStacks.JSON.valueToTree(template.findResources("AWS::Events::Rule").get(logicalId))
                .at("/Properties/Targets");
        List<String> functions = new ArrayList<>();
        targets.forEach(target -> {
            String alias = target.at("/Arn/Ref").asText();
            functions.add(alias.substring(0, alias.indexOf("Live")));
        });
        return functions;
    }
}
