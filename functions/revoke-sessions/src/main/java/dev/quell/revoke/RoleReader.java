package dev.quell.revoke;

import dev.quell.iam.IamTarget;
import dev.quell.iam.PrincipalPolicies;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/** Reads an IAM role and its policies from IAM, never from the finding. */
final class RoleReader {

    private final IamClient iam;
    private final Executor executor;

    RoleReader(IamClient iam, Executor executor) {
        this.iam = iam;
        this.executor = executor;
    }

    /** The place the state is read for, which the pre-state keeps so release can reach IAM again. */
    record Scope(String account, String region, String partition) {
    }

    /**
     * Returns the role's current state, with neither blast radius nor cutoff set, or empty when IAM no longer has
     * the role. The role is read first, and its policies then in parallel.
     *
     * @param denyPolicyName the inline policy the deny goes into, whose current document the state keeps
     * @param instanceId the instance whose credentials are denied, or {@code null} for a role-wide deny
     */
    Optional<RolePreState> read(Scope scope, String roleName, String denyPolicyName, String instanceId) {
        Optional<Role> role = getRole(roleName);
        if (role.isEmpty()) {
            return Optional.empty();
        }
        IamTarget target = IamTarget.role(roleName);
        PrincipalPolicies policies = new PrincipalPolicies(iam);
        var inline = async(() -> policies.inlineNames(target));
        var attached = async(() -> policies.attachedArns(target));
        var earlierDeny = async(() -> policies.inlineDocument(target, denyPolicyName).orElse(null));
        Map<String, String> tags = new LinkedHashMap<>();
        role.get().tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        try {
            return Optional.of(new RolePreState(scope.account(), scope.region(), scope.partition(), roleName,
                    role.get().arn(), tags, inline.join(), attached.join(), denyPolicyName, earlierDeny.join(),
                    instanceId, null, null));
        } catch (CompletionException e) {
            if (e.getCause() instanceof NoSuchEntityException) {
                return Optional.empty();
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** Returns the role, or empty when IAM no longer has it. */
    Optional<Role> getRole(String roleName) {
        try {
            return Optional.of(iam.getRole(request -> request.roleName(roleName)).role());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    private <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }
}
