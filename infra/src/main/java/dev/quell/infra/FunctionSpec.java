package dev.quell.infra;

import dev.quell.core.response.StepContract;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One Lambda function of the responder stack: where its code is, how it is sized, which IAM actions its steps
 * declare, and which events reach it.
 *
 * @param name the short name; the function is named {@code quell-<name>}
 * @param kind whether it contains threats or reports results
 * @param handler the handler class, a {@code RequestStreamHandler}
 * @param module the Maven module directory, relative to the repository root
 * @param artifactId the module's artifact id; its shaded jar is {@code target/<artifactId>-<version>-lambda.jar}
 * @param contracts the steps the function runs; its role is granted the union of their IAM actions
 * @param policyActions the playbook actions whose findings are routed to it, for example {@code isolate-instance}
 * @param customActions the Security Hub custom actions routed to it
 * @param memoryMb the memory size in MB, which also sets the CPU share
 * @param timeout the function timeout
 */
public record FunctionSpec(
        String name,
        Kind kind,
        String handler,
        String module,
        String artifactId,
        List<StepContract> contracts,
        Set<String> policyActions,
        Set<CustomAction> customActions,
        int memoryMb,
        Duration timeout) {

    /** What a function does, which decides the access it gets beyond its step contracts. */
    public enum Kind {
        /** Contains threats: reads and writes the ledger, publishes results, assumes the member role. */
        RESPONDER,
        /** Receives results from the Quell bus and reports them: reads the Slack secret and the ledger. */
        NOTIFIER
    }

    public FunctionSpec {
        contracts = List.copyOf(contracts);
        policyActions = Set.copyOf(policyActions);
        customActions = Set.copyOf(customActions);
    }

    /** Returns the deployed function name. */
    public String functionName() {
        return "quell-" + name;
    }

    /** Returns the sorted union of the IAM actions the function's step contracts declare. */
    public Set<String> contractActions() {
        TreeSet<String> actions = new TreeSet<>();
        contracts.forEach(contract -> actions.addAll(contract.iamActions()));
        return actions;
    }

    /** Returns the shaded jar's path relative to the repository root. */
    public String jarPath(String version) {
        return module + "/target/" + artifactId + "-" + version + "-lambda.jar";
    }

    /** Returns the command that builds this function's jar, for error messages. */
    public String buildCommand() {
        return "mvn -q -B -pl " + module + " -am package -DskipTests";
    }
}
