package dev.quell.infra;

import dev.quell.infra.FunctionSpec.Kind;
import dev.quell.isolate.IsolationStep;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The functions the responder stack deploys. Adding a function is one entry here, plus its module as a
 * dependency of {@code infra/pom.xml} so that its step contracts are on the class path.
 *
 * <p>Memory and timeout are starting values, to be sized from the measurements in {@code docs/benchmarks.md}.
 */
public final class Functions {

    private Functions() {
    }

    /** Returns every function in this build. */
    public static List<FunctionSpec> all() {
        return List.of(
                new FunctionSpec("isolate-instance", Kind.RESPONDER,
                        "dev.quell.isolate.IsolateInstanceHandler",
                        "functions/isolate-instance", "quell-isolate-instance",
                        IsolationStep.contracts(),
                        Set.of("isolate-instance"),
                        Set.of(CustomAction.ISOLATE_INSTANCE),
                        1024, Duration.ofSeconds(60)));
    }
}
