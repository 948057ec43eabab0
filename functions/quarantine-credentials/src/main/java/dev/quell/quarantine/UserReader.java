package dev.quell.quarantine;

import dev.quell.iam.IamTarget;
import dev.quell.iam.PrincipalPolicies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/** Reads an IAM user and its access keys, policies and console password from IAM, never from the finding. */
final class UserReader {

    private final IamClient iam;
    private final Executor executor;

    UserReader(IamClient iam, Executor executor) {
        this.iam = iam;
        this.executor = executor;
    }

    /** The place the state is read for, which the pre-state keeps so release can reach IAM again. */
    record Scope(String account, String region, String partition) {
    }

    /**
     * Returns the user's current state with no cutoff set, or empty when IAM no longer has the user. The user
     * is read first, and its keys, policies and console password then in parallel.
     */
    Optional<KeyPreState> read(Scope scope, String userName, String accessKeyId) {
        var user = getUser(userName);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        IamTarget target = IamTarget.user(userName);
        PrincipalPolicies policies = new PrincipalPolicies(iam);
        var keys = async(() -> keyStatuses(userName));
        var attached = async(() -> policies.attachedArns(target));
        var inline = async(() -> policies.inlineNames(target));
        var earlierDeny = async(() -> policies.inlineDocument(target, KeyQuarantiner.SESSION_DENY_POLICY)
                .orElse(null));
        var login = async(() -> hasLoginProfile(userName));
        try {
            Map<String, String> statuses = keys.join();
            Map<String, String> tags = new LinkedHashMap<>();
            user.get().tags().forEach((Tag tag) -> tags.put(tag.key(), tag.value()));
            return Optional.of(new KeyPreState(scope.account(), scope.region(), scope.partition(), userName,
                    user.get().arn(), tags, accessKeyId, statuses.get(accessKeyId), statuses, attached.join(),
                    inline.join(), earlierDeny.join(), login.join(), null));
        } catch (CompletionException e) {
            if (e.getCause() instanceof NoSuchEntityException) {
                return Optional.empty();
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** Returns each of the user's access keys' status, by key id, in the order IAM lists them. */
    Map<String, String> keyStatuses(String userName) {
        Map<String, String> statuses = new LinkedHashMap<>();
        iam.listAccessKeysPaginator(request -> request.userName(userName)).accessKeyMetadata()
                .forEach((AccessKeyMetadata key) -> statuses.put(key.accessKeyId(), key.statusAsString()));
        return statuses;
    }

    /** Returns whether the user has a console password. */
    boolean hasLoginProfile(String userName) {
        try {
            iam.getLoginProfile(request -> request.userName(userName));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    /** Returns the user, or empty when IAM no longer has it. */
    Optional<software.amazon.awssdk.services.iam.model.User> getUser(String userName) {
        try {
            return Optional.of(iam.getUser(request -> request.userName(userName)).user());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    private <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }

    /** Returns the key ids of a state, in the order IAM listed them. */
    static List<String> keyIds(KeyPreState state) {
        return List.copyOf(state.keyStatuses().keySet());
    }
}
