package dev.quell.core.policy;

/**
 * The circuit breaker on containments: past either limit in the current hour, responses become plans.
 *
 * @param perAccountPerHour containments per account per clock hour
 * @param organisationPerHour containments across all accounts per clock hour
 */
public record RateBudget(int perAccountPerHour, int organisationPerHour) {

    public static final RateBudget DEFAULT = new RateBudget(10, 50);

    void validate(String origin) {
        Policy.require(perAccountPerHour > 0, "policy " + origin + ": rateBudget.perAccountPerHour must be positive");
        Policy.require(organisationPerHour >= perAccountPerHour,
                "policy " + origin + ": rateBudget.organisationPerHour must be at least perAccountPerHour");
    }
}
