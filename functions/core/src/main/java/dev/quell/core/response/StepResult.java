package dev.quell.core.response;

/**
 * One step's outcome.
 *
 * @param name the step's stable name, as its contract declares it
 * @param detail what the step did or why it did not, in a sentence
 * @param errorCode the AWS error code when the step failed on an AWS call, else {@code null}
 * @param durationMillis wall-clock time the step took
 */
public record StepResult(String name, StepStatus status, String detail, String errorCode, long durationMillis) {

    public static StepResult done(String name, String detail, long durationMillis) {
        return new StepResult(name, StepStatus.DONE, detail, null, durationMillis);
    }

    public static StepResult skipped(String name, String detail) {
        return new StepResult(name, StepStatus.SKIPPED, detail, null, 0);
    }

    public static StepResult planned(String name, String detail) {
        return new StepResult(name, StepStatus.PLANNED, detail, null, 0);
    }

    public static StepResult failed(String name, String detail, String errorCode, long durationMillis) {
        return new StepResult(name, StepStatus.FAILED, detail, errorCode, durationMillis);
    }

    public boolean failed() {
        return status == StepStatus.FAILED;
    }
}
