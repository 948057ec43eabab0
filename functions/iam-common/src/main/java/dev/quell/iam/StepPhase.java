package dev.quell.iam;

/**
 * When a step runs. The CDK app may grant a function only the response steps' actions and leave release to the
 * command line's credentials.
 */
public enum StepPhase {
    /** The step contains the threat, or reads and checks state for the response. */
    RESPONSE,
    /** The step undoes a containment from its recorded pre-state. */
    RELEASE
}
