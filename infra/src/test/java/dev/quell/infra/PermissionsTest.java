package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.policy.Policy;
import dev.quell.infra.FunctionSpec.Kind;
import dev.quell.isolate.IsolationStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Each role is granted exactly the actions its functions' step contracts declare, plus the documented access every
 * function needs: its logs, the ledger, the dead-letter queue, and per kind the bus and member role or the secret.
 */
class PermissionsTest {

    private static final Set<String> EVERY_FUNCTION = Set.of("logs:CreateLogStream", "logs:PutLogEvents",
            "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "sqs:SendMessage");
    private static final Set<String> RESPONDER = Set.of("events:PutEvents", "sts:AssumeRole");
    private static final Set<String> NOTIFIER = Set.of("secretsmanager:GetSecretValue");

    private static QuellApp.Stacks stacks;
    private static JsonNode responder;
    private static JsonNode member;

    @BeforeAll
    static void synthesize() {
        DeploySettings settings = TestStacks.settings(Map.of(DeploySettings.ORGANIZATION_ID, "o-a1b2c3d4e5"));
        stacks = TestStacks.synthesize(settings, TestStacks.allFunctions());
        responder = TestStacks.JSON.valueToTree(Template.fromStack(stacks.responder()).toJSON());
        member = TestStacks.JSON.valueToTree(Template.fromStack(stacks.memberRole()).toJSON());
    }

    @Test
    void functionRolesGrantContractsExactly() {
        for (ResponderFunction function : stacks.responder().functions()) {
            Set<String> expected = new TreeSet<>(function.spec().contractActions());
            expected.addAll(EVERY_FUNCTION);
            expected.addAll(function.spec().kind() == Kind.RESPONDER ? RESPONDER : NOTIFIER);

            String roleId = TestStacks.logicalId(stacks.responder(), function.role());
            assertThat(allowedActions(responder, roleId)).as(function.spec().functionName())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void isolationRoleCoversIsolationSteps() {
        ResponderFunction isolation = stacks.responder().functions().get(0);
        String roleId = TestStacks.logicalId(stacks.responder(), isolation.role());

        assertThat(allowedActions(responder, roleId)).containsAll(IsolationStep.iamActions());
    }

    @Test
    void memberRoleGrantsResponderContracts() {
        Set<String> expected = MemberRoleStack.responderActions(TestStacks.allFunctions());
        String roleId = TestStacks.logicalId(stacks.memberRole(), stacks.memberRole().role());

        assertThat(allowedActions(member, roleId)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).doesNotContain("securityhub:GetFindings");
    }

    @Test
    void mutatingEc2CallsRefuseExemptResources() {
        JsonNode ec2 = statement(responder, "ContractEc2Changes");

        assertThat(ec2.at("/Condition/StringNotEqualsIgnoreCase/aws:ResourceTag~1quell:exempt").asText())
                .isEqualTo("true");
        assertThat(resourcesOf(ec2)).containsExactlyInAnyOrder(
                "arn:aws:ec2:*:111111111111:*", "arn:aws:ec2:*::snapshot/*");
    }

    @Test
    void describeCallsAreTheOnlyWildcard() {
        JsonNode reads = statement(responder, "ContractReads");

        assertThat(resourcesOf(reads)).containsExactly("*");
        for (JsonNode action : reads.get("Action")) {
            assertThat(Permissions.isRead(action.asText())).as(action.asText()).isTrue();
        }
    }

    @Test
    void iamChangesScopedToAccount() {
        assertThat(resourcesOf(statement(responder, "ContractIamRoleChanges")))
                .containsExactly("arn:aws:iam::111111111111:role/*");
        assertThat(resourcesOf(statement(responder, "ContractIamUserChanges")))
                .containsExactly("arn:aws:iam::111111111111:user/*");
    }

    @Test
    void protectedPrincipalsAreDenied() {
        JsonNode deny = statement(member, "DenyProtectedPrincipals");

        assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
        assertThat(actionsOf(deny)).contains("iam:PutRolePolicy", "iam:UpdateAccessKey")
                .doesNotContain("iam:GetInstanceProfile");
        assertThat(resourcesOf(deny)).contains(
                "arn:aws:iam::111111111111:role/aws-service-role/*",
                "arn:aws:iam::111111111111:role/aws-reserved/*",
                "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
                "arn:aws:iam::111111111111:role/*/quell-*",
                "arn:aws:iam::111111111111:user/stacksets-exec-*");
    }

    @Test
    void assumeRoleLimitedToOrganization() {
        JsonNode assume = statement(responder, "AssumeMemberRole");

        assertThat(resourcesOf(assume)).containsExactly("arn:aws:iam::*:role/quell-responder");
        assertThat(assume.at("/Condition/StringEquals/aws:ResourceOrgID").asText()).isEqualTo("o-a1b2c3d4e5");
    }

    @Test
    void publishLimitedToQuellEvents() {
        JsonNode publish = statement(responder, "PublishResults");

        assertThat(publish.at("/Condition/StringEquals/events:source").asText()).isEqualTo("quell");
        assertThat(publish.at("/Condition/StringEquals/events:detail-type").toString())
                .contains("Response Completed", "Response Planned", "Quell Alert");
    }

    @Test
    void unscopedMutatingActionIsRejected() {
        assertThatThrownBy(() -> Permissions.statements(Set.of("securityhub:BatchUpdateFindings"), Policy.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("securityhub:BatchUpdateFindings")
                .hasMessageContaining("Permissions.scopeOf");
    }

    @Test
    void readVerbsAreRecognized() {
        assertThat(Permissions.isRead("ec2:DescribeInstances")).isTrue();
        assertThat(Permissions.isRead("iam:GetInstanceProfile")).isTrue();
        assertThat(Permissions.isRead("iam:ListAccessKeys")).isTrue();
        assertThat(Permissions.isRead("ec2:CreateSnapshot")).isFalse();
        assertThat(Permissions.isRead("iam:PutRolePolicy")).isFalse();
    }

    /** Returns every action that allow statements of policies attached to the role grant, in any form. */
    private static Set<String> allowedActions(JsonNode template, String roleId) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : statementsOf(template, roleId)) {
            if (statement.get("Effect").asText().equals("Allow")) {
                actions.addAll(actionsOf(statement));
            }
        }
        return actions;
    }

    private static List<JsonNode> statementsOf(JsonNode template, String roleId) {
        List<JsonNode> statements = new ArrayList<>();
        JsonNode resources = template.get("Resources");
        resources.get(roleId).at("/Properties/Policies")
                .forEach(policy -> policy.at("/PolicyDocument/Statement").forEach(statements::add));
        resources.forEach(resource -> {
            boolean attached = resource.get("Type").asText().equals("AWS::IAM::Policy")
                    && resource.at("/Properties/Roles").toString().contains("\"" + roleId + "\"");
            if (attached) {
                resource.at("/Properties/PolicyDocument/Statement").forEach(statements::add);
            }
        });
        return statements;
    }

    private static JsonNode statement(JsonNode template, String sid) {
        List<JsonNode> found = new ArrayList<>();
        template.get("Resources").forEach(resource -> {
            List<JsonNode> documents = new ArrayList<>();
            resource.at("/Properties/Policies").forEach(policy -> documents.add(policy.get("PolicyDocument")));
            documents.add(resource.at("/Properties/PolicyDocument"));
            for (JsonNode document : documents) {
                document.at("/Statement").forEach(statement -> {
                    if (sid.equals(statement.path("Sid").asText())) {
                        found.add(statement);
                    }
                });
            }
        });
        assertThat(found).as("statements with Sid " + sid).isNotEmpty();
        return TestStacks.resolve(found.get(0));
    }

    private static List<String> actionsOf(JsonNode statement) {
        return textList(statement.get("Action"));
    }

    private static List<String> resourcesOf(JsonNode statement) {
        return textList(statement.get("Resource"));
    }

    private static List<String> textList(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }
}
