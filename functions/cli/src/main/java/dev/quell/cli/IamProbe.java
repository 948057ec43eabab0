package dev.quell.cli;

import dev.quell.testkit.SeededAccount;
import java.util.List;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;

/** Describes the seeded IAM user's keys and policies and the roles' inline policies, for the demo. */
final class IamProbe {

    private final IamClient iam;
    private final SeededAccount account;

    IamProbe(IamClient iam, SeededAccount account) {
        this.iam = iam;
        this.account = account;
    }

    List<String> describe() {
        List<String> keys = iam.listAccessKeys(r -> r.userName(account.userName())).accessKeyMetadata().stream()
                .map(key -> key.accessKeyId() + " " + key.statusAsString())
                .toList();
        List<String> attached = iam.listAttachedUserPolicies(r -> r.userName(account.userName()))
                .attachedPolicies().stream().map(AttachedPolicy::policyName).toList();
        return List.of(
                "user " + account.userName() + " keys: " + keys,
                "user " + account.userName() + " managed policies: " + attached + ", inline: "
                        + iam.listUserPolicies(r -> r.userName(account.userName())).policyNames(),
                "role " + account.deployRoleName() + " inline policies: "
                        + iam.listRolePolicies(r -> r.roleName(account.deployRoleName())).policyNames(),
                "role " + account.roleName() + " inline policies: "
                        + iam.listRolePolicies(r -> r.roleName(account.roleName())).policyNames());
    }
}
