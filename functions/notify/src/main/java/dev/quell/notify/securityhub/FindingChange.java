package dev.quell.notify.securityhub;

import dev.quell.core.finding.Finding;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.securityhub.model.WorkflowStatus;

/**
 * The update Quell writes on a Security Hub finding after a response: the workflow status, a note naming the actions,
 * and user-defined fields naming the response.
 *
 * <p>Quell's own update must not start another response. Security Hub publishes a {@code Findings - Imported}
 * event for the update, and that event carries the new workflow status, which is never {@code NEW}. So the
 * responders' Security Hub rule matches {@code detail.findings.Workflow.Status: ["NEW"]} (see
 * {@link #RESPONDER_RULE_WORKFLOW_STATUS}); the note's {@code UpdatedBy} of {@code quell} only marks who wrote it.
 *
 * @param userDefinedFields the fields to set, keyed {@code quell:...}
 */
public record FindingChange(WorkflowStatus status, String note, Map<String, String> userDefinedFields) {

    /** The value of the note's {@code UpdatedBy}. */
    public static final String UPDATED_BY = "quell";

    /** Security Hub's maximum length of a note's text. */
    public static final int NOTE_LIMIT = 512;

    /** The only workflow status the responders' Security Hub rule accepts, so that Quell's update is ignored. */
    public static final String RESPONDER_RULE_WORKFLOW_STATUS = "NEW";

    /** The maximum length of a user-defined field's value that Quell writes; ids and timestamps are far shorter. */
    private static final int FIELD_LIMIT = 256;

    public FindingChange {
        userDefinedFields = Map.copyOf(userDefinedFields);
    }

    /**
     * Returns the change for a result.
     *
     * @param resolveWhenVerified whether a verified containment resolves the finding instead of marking it notified
     */
    public static FindingChange of(ResponseResult result, boolean resolveWhenVerified) {
        boolean verified = result.outcome() == Outcome.CONTAINED && "verified".equals(result.verification());
        WorkflowStatus status = resolveWhenVerified && verified ? WorkflowStatus.RESOLVED : WorkflowStatus.NOTIFIED;
        return new FindingChange(status, note(result), fields(result));
    }

    /** Returns why the finding is left alone, or {@code null} when Quell may update it. */
    public static String reasonToSkip(ResponseResult result) {
        Finding finding = result.finding();
        String workflow = finding.workflowStatus() == null ? "" : finding.workflowStatus().toUpperCase(Locale.ROOT);
        if (workflow.equals("SUPPRESSED") || workflow.equals("RESOLVED")) {
            return "the finding's workflow status is " + workflow + ", which Quell leaves as it is";
        }
        if (result.outcome() == Outcome.ALREADY_HANDLED) {
            return "an earlier response already updated the finding";
        }
        return null;
    }

    /** Returns the note: the action and outcome, then the steps by status, within Security Hub's 512 characters. */
    static String note(ResponseResult result) {
        StringBuilder note = new StringBuilder("Quell ").append(result.action() == null ? "response" : result.action())
                .append(": ").append(outcomeWord(result)).append('.');
        appendSteps(note, result.steps(), StepStatus.DONE, "Done");
        appendSteps(note, result.steps(), StepStatus.FAILED, "Failed");
        appendSteps(note, result.steps(), StepStatus.PLANNED, "Planned");
        appendSteps(note, result.steps(), StepStatus.SKIPPED, "Skipped");
        boolean changed = result.outcome() == Outcome.CONTAINED || result.outcome() == Outcome.PARTIAL
                || result.outcome() == Outcome.FAILED;
        if (changed && result.finding().id() != null) {
            note.append(" Release: quell release ").append(result.finding().id()).append('.');
        }
        if (note.length() <= NOTE_LIMIT) {
            return note.toString();
        }
        return note.substring(0, NOTE_LIMIT - 1) + "…";
    }

    private static String outcomeWord(ResponseResult result) {
        if (result.outcome() == null) {
            return "outcome not reported";
        }
        String word = result.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (result.outcome() == Outcome.CONTAINED && result.verification() != null) {
            return word + " (" + ("verified".equals(result.verification()) ? "verified" : "not verified") + ")";
        }
        return word;
    }

    private static void appendSteps(StringBuilder note, List<StepResult> steps, StepStatus status, String label) {
        List<String> names = new ArrayList<>();
        for (StepResult step : steps) {
            if (step.status() == status && step.name() != null) {
                names.add(step.failed() && step.errorCode() != null ? step.name() + " (" + step.errorCode() + ")"
                        : step.name());
            }
        }
        if (!names.isEmpty()) {
            note.append(' ').append(label).append(": ").append(String.join(", ", names)).append('.');
        }
    }

    private static Map<String, String> fields(ResponseResult result) {
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "quell:action", result.action());
        put(fields, "quell:outcome", result.outcome() == null ? null : result.outcome().name());
        put(fields, "quell:resourceId", result.resourceId());
        put(fields, "quell:respondedAt", result.finishedAt() == null ? null : result.finishedAt().toString());
        return fields;
    }

    private static void put(Map<String, String> fields, String key, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(key, value.length() > FIELD_LIMIT ? value.substring(0, FIELD_LIMIT) : value);
        }
    }
}
