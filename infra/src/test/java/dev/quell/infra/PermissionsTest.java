package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.policy.Policy;
import dev.quell.infra.FunctionSpec.Kind;
import dev.quell.iam.StepPhase;
import dev.quell.isolate.IsolationStep;
import dev.quell.isolate.ReleaseStep;
import dev.quell.quarantine.KeyQuarantineStep;
import dev.quell.revoke.RoleSessionStep;
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
 * function needs: its logs, the ledger, the dead-letter queue, and per kind the bus and member role, or the secret and
 * Security Hub.
 */
class PermissionsTest {

    private static final Set<String> EVERY_FUNCTION = Set.of("logs:CreateLogStream", "logs:PutLogEvents",
            "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "sqs:SendMessage");
    private static final Set<String> RESPONDER = Set.of("events:PutEvents", "events:DescribeEventBus",
            "sts:AssumeRole");
    private static final Set<String> NOTIFIER = Set.of("secretsmanager:GetSecretValue",
            "securityhub:BatchUpdateFindings");
    private static final List<String> POLICY_ATTACHMENTS = List.of("iam:AttachRolePolicy", "iam:AttachUserPolicy",
            "iam:DetachRolePolicy", "iam:DetachUserPolicy");
    private static final List<String> POLICY_CHANGES = List.of("iam:CreatePolicy", "iam:CreatePolicyVersion",
            "iam:DeletePolicy", "iam:DeletePolicyVersion");

    /** The actions of each function's step enums, both phases, written out independently of {@link Functions}. */
    private static final Map<String, Set<String>> STEP_ACTIONS = Map.of(
            "quell-isolate-instance", union(IsolationStep.iamActions(), ReleaseStep.iamActions()),
            "quell-quarantine-credentials", union(KeyQuarantineStep.iamActions(StepPhase.RESPONSE),
                    KeyQuarantineStep.iamActions(StepPhase.RELEASE)),
            "quell-revoke-sessions", union(RoleSessionStep.iamActions(StepPhase.RESPONSE),
                    RoleSessionStep.iamActions(StepPhase.RELEASE)),
            "quell-notify", Set.of());

    private static QuellApp.Stacks stacks;
    private static JsonNode responder;
    private static JsonNode member;

    @BeforeAll
    static void synthesize() {
        DeploySettings settings = TestStacks.settings(Map.of(DeploySettings.ORGANIZATION_ID, "o-a1b2c3d4e5"));
        stacks = TestStacks.synthesize(settings, Functions.all());
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
    void functionRolesGrantResponseAndReleaseSteps() {
        assertThat(stacks.responder().functions()).extracting(function -> function.spec().functionName())
                .containsExactlyInAnyOrderElementsOf(STEP_ACTIONS.keySet());
        for (ResponderFunction function : stacks.responder().functions()) {
            String name = function.spec().functionName();
            Set<String> expected = new TreeSet<>(STEP_ACTIONS.get(name));
            expected.addAll(EVERY_FUNCTION);
            expected.addAll(function.spec().kind() == Kind.RESPONDER ? RESPONDER : NOTIFIER);

            String roleId = TestStacks.logicalId(stacks.responder(), function.role());
            assertThat(allowedActions(responder, roleId)).as(name).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void releaseStepsNeedTheirOwnGrants() {
        assertThat(ReleaseStep.iamActions()).contains("ec2:AssociateIamInstanceProfile", "iam:PassRole",
                "autoscaling:AttachInstances", "autoscaling:ExitStandby", "elasticloadbalancing:RegisterTargets",
                "iam:DeleteRolePolicy");
        assertThat(IsolationStep.iamActions()).doesNotContain("ec2:AssociateIamInstanceProfile",
                "autoscaling:AttachInstances", "elasticloadbalancing:RegisterTargets");
        assertThat(KeyQuarantineStep.iamActions(StepPhase.RESPONSE)).doesNotContain("iam:DetachUserPolicy");
        assertThat(RoleSessionStep.iamActions(StepPhase.RESPONSE)).doesNotContain("iam:DetachRolePolicy");
    }

    @Test
    void memberRoleGrantsEveryResponderStep() {
        Set<String> expected = new TreeSet<>();
        STEP_ACTIONS.values().forEach(expected::addAll);
        String roleId = TestStacks.logicalId(stacks.memberRole(), stacks.memberRole().role());

        assertThat(allowedActions(member, roleId)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(MemberRoleStack.responderActions(Functions.all())).isEqualTo(expected);
        assertThat(expected).doesNotContain("securityhub:BatchUpdateFindings", "secretsmanager:GetSecretValue");
    }

    @Test
    void userAttachmentsLimitedByPolicyArn() {
        for (JsonNode template : List.of(responder, member)) {
            JsonNode attachments = statement(template, "ContractIamUserPolicyAttachments");

            assertThat(actionsOf(attachments)).containsExactlyInAnyOrder("iam:AttachUserPolicy",
                    "iam:DetachUserPolicy");
            assertThat(resourcesOf(attachments)).containsExactly("arn:aws:iam::111111111111:user/*");
            assertThat(textList(attachments.at("/Condition/ArnLike/iam:PolicyARN"))).containsExactlyInAnyOrder(
                    "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3",
                    "arn:aws:iam::111111111111:policy/quell/*");
        }
    }

    @Test
    void roleAttachmentsLimitedToQuellPolicies() {
        for (JsonNode template : List.of(responder, member)) {
            JsonNode attachments = statement(template, "ContractIamRolePolicyAttachments");

            assertThat(actionsOf(attachments)).containsExactlyInAnyOrder("iam:AttachRolePolicy",
                    "iam:DetachRolePolicy");
            assertThat(resourcesOf(attachments)).containsExactly("arn:aws:iam::111111111111:role/*");
            assertThat(textList(attachments.at("/Condition/ArnLike/iam:PolicyARN")))
                    .containsExactly("arn:aws:iam::111111111111:policy/quell/*");
        }
    }

    @Test
    void managedPoliciesLimitedToQuellPath() {
        for (JsonNode template : List.of(responder, member)) {
            JsonNode policies = statement(template, "ContractIamManagedPolicies");

            assertThat(actionsOf(policies)).containsExactlyInAnyOrderElementsOf(POLICY_CHANGES);
            assertThat(resourcesOf(policies)).containsExactly("arn:aws:iam::111111111111:policy/quell/*");
        }
    }

    @Test
    void policyChangesOnlyInScopedStatements() {
        for (JsonNode template : List.of(responder, member)) {
            for (JsonNode statement : allStatements(template)) {
                String sid = statement.path("Sid").asText();
                boolean allow = statement.get("Effect").asText().equals("Allow");
                List<String> actions = actionsOf(statement);
                if (allow && !sid.matches("ContractIam(User|Role)PolicyAttachments")) {
                    assertThat(actions).as(sid).doesNotContainAnyElementsOf(POLICY_ATTACHMENTS);
                }
                if (allow && !sid.equals("ContractIamManagedPolicies")) {
                    assertThat(actions).as(sid).doesNotContainAnyElementsOf(POLICY_CHANGES);
                }
            }
        }
    }

    @Test
    void passRoleOnlyToEc2() {
        JsonNode passRole = statement(member, "ContractIamPassRoleToEc2");

        assertThat(actionsOf(passRole)).containsExactly("iam:PassRole");
        assertThat(resourcesOf(passRole)).containsExactly("arn:aws:iam::111111111111:role/*");
        assertThat(textList(passRole.at("/Condition/StringEquals/iam:PassedToService")))
                .containsExactly("ec2.amazonaws.com");
    }

    @Test
    void notifyUpdatesOnlyThisAccountsHub() {
        JsonNode update = statement(responder, "UpdateFindings");

        assertThat(actionsOf(update)).containsExactly("securityhub:BatchUpdateFindings");
        assertThat(resourcesOf(update)).containsExactly("arn:aws:securityhub:*:111111111111:hub/default");
    }

    @Test
    void ledgerGrantCoversRateBudgetTransaction() {
        JsonNode ledger = statement(responder, "Ledger");

        // TransactWriteItems is authorized per item: the rate budget's two Update items need UpdateItem.
        assertThat(actionsOf(ledger)).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem");
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
        assertThat(actionsOf(deny)).contains("iam:PutRolePolicy", "iam:UpdateAccessKey", "iam:AttachUserPolicy",
                        "iam:DetachRolePolicy", "iam:PassRole", "iam:DeleteLoginProfile")
                .doesNotContain("iam:GetInstanceProfile", "iam:CreatePolicy", "iam:DeletePolicy");
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

    /** Returns every statement of every policy in the template, inline or attached. */
    private static List<JsonNode> allStatements(JsonNode template) {
        List<JsonNode> statements = new ArrayList<>();
        template.get("Resources").forEach(resource -> {
            resource.at("/Properties/Policies")
                    .forEach(policy -> policy.at("/PolicyDocument/Statement").forEach(statements::add));
            resource.at("/Properties/PolicyDocument/Statement").forEach(statements::add);
        });
        return statements;
    }

    private static Set<String> union(List<String> first, List<String> second) {
        Set<String> all = new TreeSet<>(first);
        all.addAll(second);
        return all;
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
