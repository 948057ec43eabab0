package dev.quell.infra;

import dev.quell.core.policy.PolicyException;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: the responder stack for the security account and the member role stack for every member account,
 * both checked with the cdk-nag AwsSolutions rules. {@code cdk.json} runs it through Maven.
 */
public final class QuellApp {

    public static final String RESPONDER_STACK = "QuellResponder";
    public static final String MEMBER_ROLE_STACK = "QuellMemberRole";

    private QuellApp() {
    }

    /** The stacks of one app. */
    public record Stacks(ResponderStack responder, MemberRoleStack memberRole) {
    }

    public static void main(String[] args) {
        App app = new App();
        try {
            DeploySettings settings = DeploySettings.fromContext(app.getNode()::tryGetContext);
            FunctionCode code = FunctionCode.fromJars(FunctionCode.findRepositoryRoot(Path.of("")));
            addStacks(app, settings, Functions.all(), code, null);
        } catch (PolicyException | IllegalArgumentException | IllegalStateException
                 | FunctionCode.MissingJarException e) {
            System.err.println("Quell synth failed: " + e.getMessage());
            System.exit(1);
        }
        app.synth();
    }

    /**
     * Adds both stacks to an app and applies the AwsSolutions checks to them.
     *
     * @param environment the account and region, or {@code null} for stacks that deploy to any of them
     */
    public static Stacks addStacks(App app, DeploySettings settings, List<FunctionSpec> specs, FunctionCode code,
            Environment environment) {
        ResponderStack responder = new ResponderStack(app, RESPONDER_STACK, StackProps.builder()
                .env(environment)
                .description("Quell automated threat response: functions, rules, ledger and alarms ("
                        + Path.of(settings.policySource()).getFileName() + ", " + settings.startupMode().text()
                        + ")")
                .build(), settings, specs, code);
        StackProps memberProps = MemberRoleStack.props("Quell member role: assumed by the Quell responders of the"
                + " security account");
        MemberRoleStack memberRole = new MemberRoleStack(app, MEMBER_ROLE_STACK, StackProps.builder()
                .env(environment)
                .description(memberProps.getDescription())
                .synthesizer(memberProps.getSynthesizer())
                .analyticsReporting(memberProps.getAnalyticsReporting())
                .build(), settings, specs);
        Aspects.of(app).add(new AwsSolutionsChecks());
        return new Stacks(responder, memberRole);
    }
}
