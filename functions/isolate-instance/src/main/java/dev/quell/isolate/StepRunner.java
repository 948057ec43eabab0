package dev.quell.isolate;

import dev.quell.core.response.StepResult;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one step and turns its outcome into a {@link StepResult}: the detail it returns on success, or the AWS
 * error code and message on failure. A step never throws out of here, so one failure cannot stop the steps that
 * do not depend on it.
 */
final class StepRunner {

    private StepRunner() {
    }

    static StepResult run(IsolationStep step, Callable<String> body) {
        return run(step.stepName(), body);
    }

    static StepResult run(String name, Callable<String> body) {
        long start = System.nanoTime();
        try {
            String detail = body.call();
            return StepResult.done(name, detail, elapsedMillis(start));
        } catch (Exception e) {
            return failure(name, unwrap(e), start);
        }
    }

    private static StepResult failure(String name, Throwable error, long start) {
        if (error instanceof SkipStep skip) {
            return StepResult.skipped(name, skip.getMessage());
        }
        if (error instanceof AwsServiceException e) {
            return StepResult.failed(name, describe(e), errorCode(e), elapsedMillis(start));
        }
        if (error instanceof SdkClientException e) {
            return StepResult.failed(name, "no response from AWS: " + e.getMessage(), TRANSIENT_CLIENT_ERROR,
                    elapsedMillis(start));
        }
        return StepResult.failed(name, error.getClass().getSimpleName() + ": " + error.getMessage(), null,
                elapsedMillis(start));
    }

    /**
     * Returns the error behind the wrappers of a failed {@code CompletableFuture}, such as the isolation groups a
     * step waits for, so the step records the AWS error code and not the wrapper's class name.
     */
    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The error code recorded when the SDK gave up without a response from AWS (timeouts, refused connections). */
    static final String TRANSIENT_CLIENT_ERROR = "ClientTimeoutOrIOError";

    /**
     * Error codes of throttling and server-side failures in the services a response calls, as their API
     * references list them: EC2 ({@code RequestLimitExceeded}, {@code InternalError}, {@code Unavailable},
     * {@code ServiceUnavailable}, {@code RequestExpired}), IAM ({@code ServiceFailure}), the other Query APIs
     * ({@code InternalFailure}), DynamoDB ({@code InternalServerError}, {@code
     * ProvisionedThroughputExceededException}) and EventBridge ({@code InternalException}). Any code that contains
     * {@code Throttl} is transient too.
     */
    private static final Set<String> TRANSIENT_CODES = Set.of(TRANSIENT_CLIENT_ERROR, "RequestLimitExceeded",
            "ServiceUnavailable", "Unavailable", "InternalError", "InternalFailure", "ServiceFailure",
            "InternalServerError", "InternalException", "RequestExpired", "ProvisionedThroughputExceededException");

    /** Returns whether a failed step's error is one a later retry may not meet: throttling, 5xx, no response. */
    static boolean isTransient(StepResult result) {
        return result.failed() && isTransientCode(result.errorCode());
    }

    /** Returns whether an error outside the steps is one a later retry may not meet. */
    static boolean isTransient(SdkException error) {
        return isTransientCode(errorCode(error));
    }

    private static boolean isTransientCode(String code) {
        return code != null
                && (TRANSIENT_CODES.contains(code) || code.startsWith("HTTP 5") || code.contains("Throttl"));
    }

    static String errorCode(SdkException e) {
        if (e instanceof AwsServiceException service) {
            if (service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null) {
                return service.awsErrorDetails().errorCode();
            }
            return "HTTP " + service.statusCode();
        }
        return TRANSIENT_CLIENT_ERROR;
    }

    private static String describe(AwsServiceException e) {
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return (message == null ? "" : message) + " (HTTP " + e.statusCode() + ")";
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Thrown by a step body that decides, after checking, that it has nothing to do; the message gives the reason. */
    static final class SkipStep extends RuntimeException {

        SkipStep(String reason) {
            super(reason, null, false, false);
        }
    }
}
