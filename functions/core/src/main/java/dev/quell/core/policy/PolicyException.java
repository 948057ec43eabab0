package dev.quell.core.policy;

/** Raised when a policy file is missing, not valid JSON, or holds a value Quell cannot use. */
public final class PolicyException extends RuntimeException {

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
