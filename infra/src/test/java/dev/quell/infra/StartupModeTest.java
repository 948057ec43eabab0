package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The startup modes the {@code startup} context key selects. */
class StartupModeTest {

    @Test
    void snapStartOnPublishedVersions() {
        Template template = responderTemplate("snapstart");

        template.resourcePropertiesCountIs("AWS::Lambda::Function",
                Map.of("SnapStart", Map.of("ApplyOn", "PublishedVersions")), Functions.all().size());
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "quell-isolate-instance",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.allResourcesProperties("AWS::Lambda::Alias",
                Map.of("ProvisionedConcurrencyConfig", Match.absent()));
    }

    @Test
    void provisionedKeepsOneResponderWarm() {
        Template template = responderTemplate("provisioned");

        template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "Name", "live",
                "FunctionName", Map.of("Ref", Match.stringLikeRegexp("isolateinstanceFunction.*")),
                "ProvisionedConcurrencyConfig", Map.of("ProvisionedConcurrentExecutions", 1)));
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "FunctionName", Map.of("Ref", Match.stringLikeRegexp("notifyFunction.*")),
                "ProvisionedConcurrencyConfig", Match.absent()));
        template.allResourcesProperties("AWS::Lambda::Function", Map.of("SnapStart", Match.absent()));
    }

    @Test
    void unknownModeIsRejected() {
        assertThatThrownBy(() -> TestStacks.settings(Map.of(DeploySettings.STARTUP, "warm")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context key startup is \"warm\"; expected one of on-demand, snapstart, provisioned");
    }

    private static Template responderTemplate(String mode) {
        DeploySettings settings = TestStacks.settings(Map.of(DeploySettings.STARTUP, mode));
        return Template.fromStack(TestStacks.synthesize(settings, Functions.all()).responder());
    }
}
