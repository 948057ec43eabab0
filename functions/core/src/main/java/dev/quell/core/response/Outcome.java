package dev.quell.core.response;

/** The overall result of a response to one finding. */
public enum Outcome {
    /** Every containment step is done. */
    CONTAINED,
    /** Some steps failed; the steps report which. Never reported as contained. */
    PARTIAL,
    /** The steps that contain the threat failed. */
    FAILED,
    /** Nothing changed; the steps say what acting would do. */
    PLANNED,
    /** Nothing changed, for the decision's reason. */
    IGNORED,
    /** An earlier delivery of this finding already ran this action; nothing changed now. */
    ALREADY_HANDLED
}
