package dev.quell.core.runtime;

import dev.quell.core.policy.Policy;
import dev.quell.core.policy.PolicyException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The settings every function reads at start, from its environment.
 *
 * <ul>
 *   <li>{@code QUELL_LEDGER_TABLE}: the ledger table name (default {@code quell-ledger})</li>
 *   <li>{@code QUELL_EVENT_BUS}: the Quell event bus name (default {@code quell})</li>
 *   <li>{@code QUELL_POLICY}: the policy as JSON text, or {@code QUELL_POLICY_FILE}: a path to it; neither
 *       means the bundled default policy, which runs in dry run</li>
 *   <li>{@code QUELL_CLAIM_LEASE_SECONDS}: how long a claim holds (default 60, at least the function timeout)</li>
 *   <li>{@code AWS_REGION}: the region the function runs in, where the ledger and bus live</li>
 * </ul>
 */
public record Settings(String ledgerTable, String eventBus, Policy policy, Duration lease, String homeRegion) {

    public static Settings fromEnvironment(Map<String, String> env) {
        return new Settings(
                env.getOrDefault("QUELL_LEDGER_TABLE", "quell-ledger"),
                env.getOrDefault("QUELL_EVENT_BUS", "quell"),
                policyFrom(env),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("QUELL_CLAIM_LEASE_SECONDS", "60"))),
                env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1")));
    }

    private static Policy policyFrom(Map<String, String> env) {
        String inline = env.get("QUELL_POLICY");
        if (inline != null && !inline.isBlank()) {
            return Policy.parse(inline, "from QUELL_POLICY");
        }
        String file = env.get("QUELL_POLICY_FILE");
        if (file != null && !file.isBlank()) {
            return Policy.load(Path.of(file));
        }
        return Policy.defaults();
    }

    /** Returns these settings with another policy. */
    public Settings withPolicy(Policy newPolicy) {
        if (newPolicy == null) {
            throw new PolicyException("policy is missing");
        }
        return new Settings(ledgerTable, eventBus, newPolicy, lease, homeRegion);
    }
}
