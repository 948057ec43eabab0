package dev.quell.notify.slack;

import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What a response leaves open, by action, so that nobody reads "contained" as "over". Only responses that
 * changed something (contained, partial, failed) have gaps to report; a plan or an ignore changed nothing.
 */
final class Coverage {

    private Coverage() {
    }

    static List<String> gaps(ResponseResult result) {
        Outcome outcome = result.outcome();
        if (outcome != Outcome.CONTAINED && outcome != Outcome.PARTIAL && outcome != Outcome.FAILED) {
            return List.of();
        }
        List<String> gaps = new ArrayList<>();
        if (result.anyStepFailed()) {
            gaps.add("The failed steps above did not take effect: fix the cause and run the response again, or"
                    + " finish those steps by hand.");
        }
        String action = result.action() == null ? "" : result.action();
        switch (action) {
            case "isolate-instance" -> isolation(result, gaps);
            case "revoke-instance-credentials" -> instanceCredentials(gaps);
            case "revoke-role-sessions" -> roleSessions(gaps);
            case "quarantine-access-key" -> accessKey(gaps);
            default -> gaps.add("Only the steps listed above ran; anything else the finding implies is not covered.");
        }
        return gaps;
    }

    private static void isolation(ResponseResult result, List<String> gaps) {
        gaps.add("The instance is still running: isolation keeps its memory and disks for forensics and does not"
                + " stop it.");
        if (stepDone(result, "revoke-instance-credentials")) {
            gaps.add("Credentials copied off the instance stay usable until IAM applies the deny, which is"
                    + " eventually consistent. Sessions already created from them (for example by sts:AssumeRole)"
                    + " are not revoked.");
        } else {
            gaps.add("The instance role's credentials already issued to this instance were not revoked: copies"
                    + " of them stay valid until they expire.");
        }
        gaps.add("Resources the attacker reached from the instance, and data already sent out, are not contained.");
    }

    private static void instanceCredentials(List<String> gaps) {
        gaps.add("Sessions already created from the instance's credentials (for example by sts:AssumeRole) are"
                + " not revoked.");
        gaps.add("The instance itself is not isolated, and actions already taken with the credentials are not"
                + " undone.");
    }

    private static void roleSessions(List<String> gaps) {
        gaps.add("Anyone who may still assume the role can start new sessions: the deny covers only sessions"
                + " issued before it.");
        gaps.add("Actions already taken with the role's sessions are not undone.");
    }

    private static void accessKey(List<String> gaps) {
        gaps.add("The user's other access keys are not touched, and the console password stays unless the policy"
                + " removes it.");
        gaps.add("Actions already taken with the key are not undone.");
    }

    private static boolean stepDone(ResponseResult result, String name) {
        for (StepResult step : result.steps()) {
            if (name.equals(step.name()) && step.status() == StepStatus.DONE) {
                return true;
            }
        }
        return false;
    }
}
