package dev.quell.iam;

import dev.quell.core.response.StepContract;
import dev.quell.core.response.StepResult;
import java.util.concurrent.Callable;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one step and turns its outcome into a {@link StepResult}: the detail the body returns on success, or the AWS
 * error code and message on failure. {@link #run} catches every exception the body throws, so one failed step
 * cannot stop the steps that do not depend on it.
 */
public final class Steps {

    private Steps() {
    }

    /** Runs the body as the step the contract names. */
    public static StepResult run(StepContract step, Callable<String> body) {
        long start = System.nanoTime();
        try {
            return StepResult.done(step.name(), body.call(), elapsedMillis(start));
        } catch (Skip skip) {
            return StepResult.skipped(step.name(), skip.getMessage());
        } catch (SdkException e) {
            return StepResult.failed(step.name(), IamErrors.describe(e), IamErrors.errorCode(e),
                    elapsedMillis(start));
        } catch (Exception e) {
            return StepResult.failed(step.name(), e.getClass().getSimpleName() + ": " + e.getMessage(), null,
                    elapsedMillis(start));
        }
    }

    /** Returns whether a failed step's error is one a later retry may not meet. */
    public static boolean isTransient(StepResult result) {
        return result.failed() && IamErrors.isTransient(result.errorCode());
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Thrown by a step body that decides, after checking, that it has nothing to do; the message gives the reason. */
    public static final class Skip extends RuntimeException {

        public Skip(String reason) {
            super(reason, null, false, false);
        }
    }
}
