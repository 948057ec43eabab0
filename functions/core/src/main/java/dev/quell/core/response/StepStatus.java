package dev.quell.core.response;

/** How one containment step ended. */
public enum StepStatus {
    /** The step changed the resource, or found it already changed, and the change is in place. */
    DONE,
    /** The step did not run, for the reason in its detail (not needed, turned off by policy, or a plan). */
    SKIPPED,
    /** The step ran and failed; its error code and detail say how. */
    FAILED,
    /** A plan: the step would run if Quell acted. */
    PLANNED
}
