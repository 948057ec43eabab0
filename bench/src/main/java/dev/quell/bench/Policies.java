package dev.quell.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The policy the benchmarked function runs with. */
final class Policies {

    private static final String DEFAULT_POLICY = "/dev/quell/core/policy/default-policy.json";
    /** Findings per account and hour that the rate budget allows; above any one session's count. */
    private static final int BUDGET = 100_000;

    private Policies() {
    }

    /**
     * Returns the bundled default policy in enforce mode, with a rate budget that a session's findings cannot
     * exhaust, as JSON text for {@code QUELL_POLICY}.
     */
    static String enforce() {
        ObjectMapper mapper = new ObjectMapper();
        try (InputStream in = Policies.class.getResourceAsStream(DEFAULT_POLICY)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_POLICY + " is missing from the class path");
            }
            ObjectNode policy = (ObjectNode) mapper.readTree(in);
            policy.put("mode", "enforce");
            ObjectNode budget = policy.putObject("rateBudget");
            budget.put("perAccountPerHour", BUDGET);
            budget.put("organisationPerHour", BUDGET);
            return mapper.writeValueAsString(policy);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + DEFAULT_POLICY, e);
        }
    }
}
