package dev.quell.infra;

import dev.quell.core.decision.CredentialRouter;
import dev.quell.core.response.StepContract;
import dev.quell.infra.FunctionSpec.Kind;
import dev.quell.isolate.IsolationStep;
import dev.quell.isolate.ReleaseStep;
import dev.quell.quarantine.KeyQuarantineStep;
import dev.quell.revoke.RoleSessionStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The functions the responder stack deploys. Adding a function is one entry here, plus its module as a
 * dependency of {@code infra/pom.xml} so that its step contracts are on the class path.
 *
 * <p>Each responder is granted the actions of its release steps as well as its response steps, because the
 * Release custom action runs in the function.
 *
 * <p>Memory and timeout are starting values, to be sized from the measurements in {@code docs/benchmarks.md}.
 */
public final class Functions {

    /**
     * The playbook actions of credential findings. Both credential functions receive all of them, because the
     * credential router in each function picks the action from the principal the finding names, and each function
     * ignores, without publishing, what the router gives the other.
     */
    public static final Set<String> CREDENTIAL_ACTIONS = Set.of(CredentialRouter.QUARANTINE_KEY,
            CredentialRouter.REVOKE_ROLE_SESSIONS, CredentialRouter.REVOKE_INSTANCE_CREDENTIALS);

    private Functions() {
    }

    /** Returns every function in this build. */
    public static List<FunctionSpec> all() {
        return List.of(
                new FunctionSpec("isolate-instance", Kind.RESPONDER,
                        "dev.quell.isolate.IsolateInstanceHandler",
                        "functions/isolate-instance", "quell-isolate-instance",
                        concat(IsolationStep.contracts(), ReleaseStep.contracts()),
                        Set.of("isolate-instance"),
                        Set.of(CustomAction.ISOLATE_INSTANCE, CustomAction.RELEASE),
                        1024, Duration.ofSeconds(60)),
                new FunctionSpec("quarantine-credentials", Kind.RESPONDER,
                        "dev.quell.quarantine.KeyQuarantineHandler",
                        "functions/quarantine-credentials", "quell-quarantine-credentials",
                        KeyQuarantineStep.contracts(),
                        CREDENTIAL_ACTIONS,
                        Set.of(CustomAction.QUARANTINE_KEY, CustomAction.RELEASE),
                        1024, Duration.ofSeconds(60)),
                // Counting a role's blast radius reads every enabled region, which sets the timeout.
                new FunctionSpec("revoke-sessions", Kind.RESPONDER,
                        "dev.quell.revoke.RoleSessionHandler",
                        "functions/revoke-sessions", "quell-revoke-sessions",
                        RoleSessionStep.contracts(),
                        CREDENTIAL_ACTIONS,
                        Set.of(CustomAction.REVOKE_SESSIONS, CustomAction.RELEASE),
                        1024, Duration.ofSeconds(90)),
                // Waits for Slack after HTTP 429 take up to 20 seconds, and for the notify record up to 10 seconds.
                new FunctionSpec("notify", Kind.NOTIFIER,
                        "dev.quell.notify.NotifyHandler",
                        "functions/notify", "quell-notify",
                        List.of(),
                        Set.of(),
                        Set.of(),
                        512, Duration.ofSeconds(60)));
    }

    private static List<StepContract> concat(List<StepContract> first, List<StepContract> second) {
        List<StepContract> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
