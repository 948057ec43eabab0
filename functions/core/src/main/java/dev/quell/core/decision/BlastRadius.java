package dev.quell.core.decision;

import java.util.List;

/**
 * The resources that use an IAM role, counted before Quell denies the role's sessions, because each of them loses
 * its current credentials until it fetches new ones.
 *
 * @param instanceProfiles the instance profiles that carry the role
 * @param runningInstances running EC2 instances associated with one of those profiles, in every region read
 * @param functions Lambda functions whose execution role is the role, in every region read
 * @param examples up to {@link #MAX_EXAMPLES} of the instance ids and function ARNs counted, for the result
 * @param unreadRegions regions whose instances or functions could not be listed, so the count may be low
 */
public record BlastRadius(int instanceProfiles, int runningInstances, int functions, List<String> examples,
        List<String> unreadRegions) {

    /** How many instance ids and function ARNs a result carries, which keeps the result event small. */
    public static final int MAX_EXAMPLES = 20;

    public BlastRadius {
        examples = examples == null ? List.of() : List.copyOf(examples.subList(0, Math.min(examples.size(),
                MAX_EXAMPLES)));
        unreadRegions = unreadRegions == null ? List.of() : List.copyOf(unreadRegions);
    }

    /** Returns the number of resources that would lose their current credentials: instances and functions. */
    public int total() {
        return runningInstances + functions;
    }

    /** Returns whether every region was read, so that {@link #total()} is a full count. */
    public boolean complete() {
        return unreadRegions.isEmpty();
    }

    /**
     * Returns the count in words, such as {@code 3 resource(s) (2 running instance(s) through 1 instance profile(s),
     * 1 Lambda function(s))}.
     */
    public String describe() {
        return total() + " resource(s) (" + runningInstances + " running instance(s) through " + instanceProfiles
                + " instance profile(s), " + functions + " Lambda function(s))";
    }
}
