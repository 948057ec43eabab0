package dev.quell.infra;

import java.util.List;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.IConstruct;

/** The cdk-nag AwsSolutions findings the responder stack accepts, each with its reason. */
final class ResponderNagSuppressions {

    private static final String WILDCARDS = "AwsSolutions-IAM5";

    private ResponderNagSuppressions() {
    }

    static void apply(ResponderStack stack) {
        for (ResponderFunction function : stack.functions()) {
            Permissions.wildcardReasons(function.spec().contractActions()).forEach((finding, reason) ->
                    Nag.suppress(function.role(), WILDCARDS, reason, List.of(finding)));
            if (function.spec().kind() == FunctionSpec.Kind.RESPONDER) {
                Nag.suppress(function.role(), WILDCARDS, "the member role has one name in every member account,"
                        + " and which accounts exist is only known at run time; with an organization id, a condition"
                        + " limits it to the organization's accounts", List.of("Resource::arn:<AWS::Partition>:iam::*:"
                                + "role/" + stack.settings().memberRoleName()));
            } else {
                Nag.suppress(function.role(), WILDCARDS, "the notify function updates each finding through this"
                        + " account's Security Hub in the finding's region, or in the aggregation region, so any"
                        + " region", List.of("Resource::arn:<AWS::Partition>:securityhub:*:<AWS::AccountId>:"
                                + "hub/default"));
            }
            Nag.suppress(function.function(), "AwsSolutions-L1", "java21 is the Java runtime this project targets;"
                    + " a newer one is adopted once its cold start and SnapStart restore times are measured in"
                    + " docs/benchmarks.md");
        }
        if (stack.core().slackSecret() instanceof Secret secret) {
            Nag.suppress(secret, "AwsSolutions-SMG4", "the secret holds a Slack webhook URL or bot token that only"
                    + " Slack issues, so no rotation function can renew it; it is replaced by hand when revoked");
        }
        for (AwsCustomResource actionTarget : stack.routing().actionTargets()) {
            Nag.suppress(actionTarget, WILDCARDS, "creating an action target authorizes on the hub and on the new"
                    + " target, both in this account and region", List.of("Resource::arn:<AWS::Partition>:"
                            + "securityhub:<AWS::Region>:<AWS::AccountId>:*"));
        }
        IConstruct provider = stack.getNode()
                .tryFindChild("AWS" + AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", ""));
        if (provider != null) {
            Nag.suppress(provider, "AwsSolutions-IAM4", "the AwsCustomResource provider function runs only while"
                    + " CloudFormation creates, updates or deletes the Security Hub action targets, and writes its"
                    + " logs with this AWS managed policy, which the construct attaches itself",
                    List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));
        }
    }
}
