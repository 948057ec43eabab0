package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag AwsSolutions checks on every stack, in the settings that change which resources exist. */
class NagChecksTest {

    static Stream<Arguments> stacks() {
        QuellApp.Stacks plain = TestStacks.synthesize(DeploySettings.defaults(), Functions.all());
        QuellApp.Stacks everything = TestStacks.synthesize(TestStacks.settings(Map.of(
                DeploySettings.SECURITY_HUB_AGGREGATION, true,
                DeploySettings.STARTUP, "provisioned",
                DeploySettings.ORGANIZATION_ID, "o-a1b2c3d4e5",
                DeploySettings.ALARM_EMAIL, "security@example.com")), Functions.all());
        QuellApp.Stacks imported = TestStacks.synthesize(TestStacks.settings(Map.of(
                DeploySettings.SLACK_SECRET_ARN,
                "arn:aws:secretsmanager:us-east-1:111111111111:secret:quell/slack-AbCdEf",
                DeploySettings.SECURITY_HUB_CUSTOM_ACTIONS, false,
                DeploySettings.STARTUP, "snapstart")), Functions.all());
        return Stream.of(
                Arguments.of("default responder", plain.responder()),
                Arguments.of("default member role", plain.memberRole()),
                Arguments.of("full responder", everything.responder()),
                Arguments.of("full member role", everything.memberRole()),
                Arguments.of("imported secret responder", imported.responder()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void stackHasNoUnsuppressedErrors(String name, Stack stack) {
        List<SynthesisMessage> errors = Annotations.fromStack(stack)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));

        assertThat(errors).extracting(message -> message.getId() + " " + message.getEntry().getData()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void stackHasNoUnsuppressedWarnings(String name, Stack stack) {
        List<SynthesisMessage> warnings = Annotations.fromStack(stack)
                .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));

        assertThat(warnings).extracting(message -> message.getId() + " " + message.getEntry().getData()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void everySuppressionHasReason(String name, Stack stack) {
        JsonNode resources = TestStacks.JSON.valueToTree(Template.fromStack(stack).toJSON()).get("Resources");
        int suppressions = 0;
        for (JsonNode resource : resources) {
            for (JsonNode suppression : resource.at("/Metadata/cdk_nag/rules_to_suppress")) {
                assertThat(suppression.path("reason").asText()).as(suppression.toString()).hasSizeGreaterThan(20);
                suppressions++;
            }
        }
        assertThat(suppressions).isPositive();
    }
}
