package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/** The member role template, as a StackSet deploys it to every member account. */
class MemberRoleStackTest {

    private static QuellApp.Stacks stacks;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        DeploySettings settings = TestStacks.settings(Map.of(
                DeploySettings.ORGANIZATION_ID, "o-a1b2c3d4e5",
                DeploySettings.MEMBER_ROLE_NAME, "quell-responder"));
        stacks = TestStacks.synthesize(settings, Functions.all());
        template = Template.fromStack(stacks.memberRole());
    }

    @Test
    void templateIsOneFlatRole() {
        assertThat((Map<?, ?>) template.toJSON().get("Resources")).hasSize(1);
        template.resourceCountIs("AWS::IAM::Role", 1);
        template.resourceCountIs("AWS::CloudFormation::Stack", 0);
        template.resourceCountIs("AWS::Lambda::Function", 0);
    }

    @Test
    void templateNeedsNoBootstrapOrAssets() {
        App app = (App) stacks.memberRole().getNode().getRoot();
        CloudFormationStackArtifact artifact = app.synth().getStackByName(QuellApp.MEMBER_ROLE_STACK);

        assertThat(artifact.getAssets()).isEmpty();
        assertThat(template.toJSON()).doesNotContainKey("Rules");
        assertThat(template.findParameters("BootstrapVersion")).isEmpty();
    }

    @Test
    void parametersNameResponderAccount() {
        template.hasParameter(MemberRoleStack.RESPONDER_ACCOUNT_PARAMETER, Map.of(
                "Type", "String", "AllowedPattern", "^\\d{12}$"));
        template.hasParameter(MemberRoleStack.RESPONDER_ROLES_PARAMETER, Map.of("Type", "CommaDelimitedList"));
    }

    @Test
    void roleTrustsOnlyResponderRoles() {
        template.hasResourceProperties("AWS::IAM::Role", Map.of(
                "RoleName", "quell-responder",
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", "sts:AssumeRole",
                        "Effect", "Allow",
                        "Principal", Map.of("AWS", Map.of("Fn::Join", List.of("", List.of(
                                "arn:", Map.of("Ref", "AWS::Partition"), ":iam::",
                                Map.of("Ref", MemberRoleStack.RESPONDER_ACCOUNT_PARAMETER), ":root")))),
                        "Condition", Map.of(
                                "ArnEquals", Map.of("aws:PrincipalArn",
                                        Map.of("Ref", MemberRoleStack.RESPONDER_ROLES_PARAMETER)),
                                "StringEquals", Map.of("aws:PrincipalOrgID", "o-a1b2c3d4e5")))))));
    }

    @Test
    void roleHasInlinePolicyOnly() {
        template.hasResourceProperties("AWS::IAM::Role", Map.of(
                "Policies", List.of(Map.of("PolicyName", "quell-contracts", "PolicyDocument", Match.anyValue())),
                "ManagedPolicyArns", Match.absent()));
        template.resourceCountIs("AWS::IAM::Policy", 0);
    }
}
