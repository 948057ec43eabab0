package dev.quell.core.finding.internal;

import java.util.Locale;
import java.util.Set;

/** Normalisation rules for finding fields that every format shares. */
public final class FindingValues {

    /** The partition to assume when neither the finding nor its ARN names one. */
    public static final String DEFAULT_PARTITION = "aws";

    private static final Set<String> DIRECTIONS = Set.of("INBOUND", "OUTBOUND", "LOCAL", "UNKNOWN");
    private static final Set<String> RESOURCE_ROLES = Set.of("TARGET", "ACTOR");

    private FindingValues() {
    }

    /** Returns the first argument that is neither null nor blank, or null. */
    public static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /**
     * Returns how many times the source saw the activity. A missing, unreadable or non-positive count is 1,
     * because a finding exists only once its activity has been seen.
     */
    public static int count(Node count) {
        Double value = count.number();
        if (value == null || value < 1) {
            return 1;
        }
        return value >= Integer.MAX_VALUE ? Integer.MAX_VALUE : value.intValue();
    }

    /** Returns the direction upper-cased, {@code UNKNOWN} for a value GuardDuty does not define, or null. */
    public static String connectionDirection(String direction) {
        if (direction == null || direction.isBlank()) {
            return null;
        }
        String upper = direction.trim().toUpperCase(Locale.ROOT);
        return DIRECTIONS.contains(upper) ? upper : "UNKNOWN";
    }

    /** Returns {@code TARGET} or {@code ACTOR}, or null for any other value. */
    public static String resourceRole(String role) {
        if (role == null) {
            return null;
        }
        String upper = role.trim().toUpperCase(Locale.ROOT);
        return RESOURCE_ROLES.contains(upper) ? upper : null;
    }

    /** Returns the region of an ARN, or null when there is no ARN or its region field is empty. */
    public static String regionOf(Arn arn) {
        return arn == null ? null : firstNonBlank(arn.region());
    }

    /** Returns the partition of an ARN, or null when there is no ARN. */
    public static String partitionOf(Arn arn) {
        return arn == null ? null : arn.partition();
    }
}
