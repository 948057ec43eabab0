package dev.quell.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.decision.Decision;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.finding.Severity;
import dev.quell.core.json.Json;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Findings and results built in code, as the parsers and responders produce them. */
public final class Results {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "eu-west-1";
    public static final String FINDING_ID = "60b8f2f1d3a4e5c6b7a8091a2b3c4d5e";
    public static final String DETECTOR = "12abc34d567e8fa901bc2d34e56789f0";
    public static final String GUARDDUTY_ARN = "arn:aws:guardduty:" + REGION + ":" + ACCOUNT + ":detector/" + DETECTOR
            + "/finding/" + FINDING_ID;
    public static final Instant STARTED = Instant.parse("2026-12-01T10:05:01Z");

    private Results() {
    }

    /** Returns a GuardDuty command-and-control finding on an instance, with every optional field present. */
    public static Finding instanceFinding() {
        var instance = new AffectedResource.Instance("Instance", "i-0abc1234def567890",
                "arn:aws:iam::" + ACCOUNT + ":instance-profile/app", List.of(), Map.of("Name", "web-1", "team",
                "payments"));
        return finding(FINDING_ID, Finding.Source.GUARDDUTY, "Backdoor:EC2/C&CActivity.B!DNS",
                "Command and Control server domain name queried by EC2 instance i-0abc1234def567890.",
                "EC2 instance i-0abc1234def567890 is querying a domain name associated with a known Command & Control"
                        + " server.", List.of(instance),
                new Indicators(List.of("198.51.100.7", "203.0.113.9"), List.of("c2.example.com"), List.of(53, 443)),
                false, null);
    }

    /** Returns a finding with the given resources and indicators and otherwise complete fields. */
    public static Finding finding(String id, Finding.Source source, String type, String title, String description,
            List<AffectedResource> resources, Indicators indicators, boolean sample, String workflowStatus) {
        return new Finding(id, source, type, title, description, Severity.of(8), ACCOUNT, REGION, "aws",
                Instant.parse("2026-12-01T09:00:00Z"), Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T08:59:00Z"), Instant.parse("2026-12-01T09:58:00Z"), 3, false, sample,
                workflowStatus, source == Finding.Source.GUARDDUTY ? GUARDDUTY_ARN : null, null, "OUTBOUND", "ACTOR",
                resources, indicators);
    }

    /** Returns a finding whose optional fields are all null or empty. */
    public static Finding bareFinding() {
        return new Finding("bare-finding", null, null, null, null, null, null, null, null, null, null, null, null, 0,
                false, false, null, null, null, null, null, null, null);
    }

    /** Returns the result of an isolation that contained the threat, with every step done. */
    public static ResponseResult contained(Finding finding) {
        return new ResponseResult(finding, "isolate-instance", "i-0abc1234def567890",
                Decision.act("playbook isolate-compromised-instance matched", "isolate-compromised-instance"),
                Outcome.CONTAINED, List.of(
                        StepResult.done("protect-instance", "termination protection on", 120),
                        StepResult.done("swap-security-groups", "moved eni-1 to sg-isolation", 850),
                        StepResult.skipped("detach-auto-scaling", "no Auto Scaling group: nothing to detach"),
                        StepResult.done("revoke-instance-credentials", "denied credentials issued before now", 300),
                        StepResult.failed("snapshot-volumes", "CreateSnapshot was throttled",
                                "RequestLimitExceeded", 2000)),
                preState(), "verified", STARTED, STARTED.plusMillis(3400));
    }

    /** Returns a result with the given outcome and no steps. */
    public static ResponseResult withOutcome(Finding finding, Outcome outcome) {
        Decision decision = switch (outcome) {
            case PLANNED -> Decision.plan("dry run: playbook isolate-compromised-instance matched, and the policy"
                    + " mode is dry-run", "isolate-compromised-instance");
            case IGNORED -> Decision.ignore("instance i-1 carries the exemption tag quell:exempt=true");
            default -> Decision.act("playbook isolate-compromised-instance matched", "isolate-compromised-instance");
        };
        List<StepResult> steps = outcome == Outcome.PLANNED
                ? List.of(StepResult.planned("swap-security-groups", "would move [eni-1] to the isolation group"))
                : List.of();
        return new ResponseResult(finding, "isolate-instance", "i-0abc1234def567890", decision, outcome, steps,
                outcome == Outcome.IGNORED ? null : preState(), null, STARTED, STARTED.plusSeconds(2));
    }

    /** Returns an instance pre-state as the isolation responder records it. */
    public static ObjectNode preState() {
        ObjectNode state = Json.mapper().createObjectNode();
        state.put("instanceId", "i-0abc1234def567890");
        state.put("state", "running");
        state.putObject("interfaceGroups").putArray("eni-1").add("sg-111").add("sg-222");
        state.putNull("autoScaling");
        state.putArray("targetGroups");
        state.put("terminationProtection", false);
        state.put("shutdownBehavior", "terminate");
        state.putArray("volumeIds").add("vol-1").add("vol-2");
        return state;
    }
}
