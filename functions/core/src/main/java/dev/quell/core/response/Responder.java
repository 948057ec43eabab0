package dev.quell.core.response;

import dev.quell.core.finding.Finding;

/** A containment action: decides on a finding and, when it acts, contains the threat and records how. */
public interface Responder {

    /** The action's stable name, for example {@code isolate-instance}. */
    String action();

    /**
     * Responds to one finding and returns the full result, which the responder has already published.
     *
     * @param owner who runs the response, kept in the ledger (a Lambda request id, or the command line's user)
     * @throws TransientFailureException when a step failed on an error a retry may not meet; the ledger lets the
     *     retry resume where this run stopped
     */
    ResponseResult respond(Finding finding, String owner);
}
