package dev.quell.iam;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** IAM's error codes and the tests on them that the credential steps need. */
public final class IamErrors {

    /** The error code recorded when the SDK gave up without a response from AWS (timeouts, refused connections). */
    public static final String NO_ANSWER = "ClientTimeoutOrIOError";

    private IamErrors() {
    }

    /** Returns the AWS error code, {@code HTTP <status>} when AWS sent none, or {@link #NO_ANSWER}. */
    public static String errorCode(SdkException e) {
        if (e instanceof AwsServiceException service) {
            if (service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null) {
                return service.awsErrorDetails().errorCode();
            }
            return "HTTP " + service.statusCode();
        }
        return NO_ANSWER;
    }

    /** Returns whether IAM reported that the user, role, policy or key does not exist. */
    public static boolean isNoSuchEntity(SdkException e) {
        return "NoSuchEntity".equals(errorCode(e));
    }

    /** Returns whether IAM rejected the call because a quota is full, such as the inline policy size quota. */
    public static boolean isLimitExceeded(SdkException e) {
        return "LimitExceeded".equals(errorCode(e));
    }

    /** Returns whether an error code is one a later retry may not meet: throttling, a 5xx, or no response. */
    public static boolean isTransient(String code) {
        return code != null && (code.equals(NO_ANSWER) || code.startsWith("HTTP 5") || code.contains("Throttl")
                || code.equals("RequestLimitExceeded") || code.equals("ServiceUnavailable")
                || code.equals("ServiceFailure") || code.equals("InternalError") || code.equals("InternalFailure")
                || code.equals("RequestExpired"));
    }

    /** Returns AWS's error message and the HTTP status, or the exception's message. */
    public static String describe(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String message = service.awsErrorDetails() == null ? service.getMessage()
                    : service.awsErrorDetails().errorMessage();
            return (message == null ? "" : message) + " (HTTP " + service.statusCode() + ")";
        }
        return "no response from AWS: " + e.getMessage();
    }
}
