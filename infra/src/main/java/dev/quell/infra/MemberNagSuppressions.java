package dev.quell.infra;

import java.util.List;
import java.util.Set;

/** The cdk-nag AwsSolutions findings the member role stack accepts, each with its reason. */
final class MemberNagSuppressions {

    private MemberNagSuppressions() {
    }

    static void apply(MemberRoleStack stack, Set<String> actions) {
        Permissions.wildcardReasons(actions).forEach((finding, reason) ->
                Nag.suppress(stack.role(), "AwsSolutions-IAM5", reason, List.of(finding)));
    }
}
