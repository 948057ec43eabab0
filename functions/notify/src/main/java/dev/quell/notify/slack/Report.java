package dev.quell.notify.slack;

import dev.quell.core.decision.Decision;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.core.response.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The facts of one response, collected once so that the Block Kit message and the plain text carry the same facts.
 * Every text here is raw, because the renderers escape it for their medium. No value is {@code null}: a fact the
 * result does not carry is left out.
 */
final class Report {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The command that undoes a response, followed by the finding id. */
    static final String RELEASE_COMMAND = "quell release";

    /** One labelled fact, with one or more values. */
    record Fact(String label, List<Value> values) {
    }

    /**
     * One value of a fact: an identifier shown as code, and an optional note in prose.
     *
     * @param kind what the value is, for example {@code EC2 instance}, or empty
     */
    record Value(String kind, String code, String note) {
    }

    /** One console link. */
    record Link(String label, String url) {
    }

    private final ResponseResult result;
    private final Finding finding;
    private final Map<String, String> accountAliases;

    private Report(ResponseResult result, Map<String, String> accountAliases) {
        this.result = result;
        this.finding = result.finding();
        this.accountAliases = accountAliases;
    }

    static Report of(ResponseResult result, Map<String, String> accountAliases) {
        if (result.finding() == null) {
            throw new IllegalArgumentException("the response result carries no finding");
        }
        return new Report(result, accountAliases == null ? Map.of() : accountAliases);
    }

    /** Returns the marks that show nothing real happened: {@code DRY RUN} for a plan, {@code SAMPLE}. */
    List<String> marks() {
        List<String> marks = new ArrayList<>();
        if (result.outcome() == Outcome.PLANNED) {
            marks.add("DRY RUN");
        }
        if (finding.sample()) {
            marks.add("SAMPLE");
        }
        return marks;
    }

    String severityLabel() {
        return finding.severity() == null ? "UNKNOWN SEVERITY" : finding.severity().label();
    }

    String title() {
        return firstPresent(finding.title(), finding.type()).orElse("Untitled finding");
    }

    /** Returns the headline: marks, severity label and title. */
    String headline() {
        StringBuilder line = new StringBuilder();
        for (String mark : marks()) {
            line.append('[').append(mark).append("] ");
        }
        return line.append(severityLabel()).append(": ").append(title()).toString();
    }

    /** Returns what happened, in a few words, for example {@code Contained}. */
    String outcomeText() {
        if (result.outcome() == null) {
            return "Outcome not reported";
        }
        return switch (result.outcome()) {
            case CONTAINED -> "Contained";
            case PARTIAL -> "Partly contained: some steps failed";
            case FAILED -> "Containment failed";
            case PLANNED -> "Planned only: nothing was changed";
            case IGNORED -> "Ignored: nothing was changed";
            case ALREADY_HANDLED -> "Already handled: nothing was changed now";
        };
    }

    /** Returns an emoji for the outcome, for Slack. */
    String outcomeEmoji() {
        if (result.outcome() == null) {
            return "\u2754";
        }
        return switch (result.outcome()) {
            case CONTAINED -> "\u2705";
            case PARTIAL -> "\u26A0\uFE0F";
            case FAILED -> "\u274C";
            case PLANNED -> "\uD83D\uDCDD";
            case IGNORED -> "\u23ED\uFE0F";
            case ALREADY_HANDLED -> "\uD83D\uDD01";
        };
    }

    Optional<String> action() {
        return present(result.action());
    }

    /** Returns the resource the response acted on, for example an instance id. */
    Optional<String> actedOn() {
        return present(result.resourceId());
    }

    /** Returns the decision's reason, with the playbook when one matched. */
    Optional<String> reason() {
        Decision decision = result.decision();
        if (decision == null) {
            return Optional.empty();
        }
        Optional<String> reason = present(decision.reason());
        Optional<String> playbook = present(decision.playbook());
        if (reason.isPresent() && playbook.isPresent() && !reason.get().contains(playbook.get())) {
            return Optional.of(reason.get() + " (playbook " + playbook.get() + ")");
        }
        return reason.or(() -> playbook.map(name -> "playbook " + name));
    }

    Optional<String> verification() {
        return present(result.verification());
    }

    /** Returns the facts about the finding, in display order. */
    List<Fact> facts() {
        List<Fact> facts = new ArrayList<>();
        present(finding.accountId()).ifPresent(account -> facts.add(single("Account", account,
                accountAliases.get(account))));
        present(finding.region()).ifPresent(region -> facts.add(single("Region", region, null)));
        present(finding.type()).ifPresent(type -> facts.add(single("Finding type", type, null)));
        if (finding.severity() != null) {
            facts.add(single("Severity", String.format(Locale.ROOT, "%.1f", finding.severity().score()),
                    finding.severity().label()));
        }
        if (finding.count() > 0) {
            facts.add(single("Occurrences", Integer.toString(finding.count()), null));
        }
        time(finding.firstSeen(), finding.createdAt()).ifPresent(first -> facts.add(single("First seen", first,
                null)));
        time(finding.lastSeen(), finding.updatedAt()).ifPresent(last -> facts.add(single("Last seen", last, null)));
        List<Value> resources = resources();
        if (!resources.isEmpty()) {
            facts.add(new Fact(resources.size() == 1 ? "Resource" : "Resources", resources));
        }
        direction().ifPresent(direction -> facts.add(single("Connection", direction, null)));
        facts.add(single("Finding id", present(finding.id()).orElse("not reported"), source()));
        return facts;
    }

    /** Returns the finding's description, or empty. */
    Optional<String> description() {
        return present(finding.description());
    }

    Indicators indicators() {
        return finding.indicators();
    }

    List<StepResult> steps() {
        return result.steps();
    }

    /** Returns one line per step: status, name, error code and detail. */
    List<String> stepLines() {
        List<String> lines = new ArrayList<>();
        for (StepResult step : result.steps()) {
            lines.add(stepLine(step));
        }
        return lines;
    }

    /** Returns the step's status word, for example {@code done}. */
    static String statusWord(StepResult step) {
        if (step.status() == null) {
            return "status not reported";
        }
        return switch (step.status()) {
            case DONE -> "done";
            case SKIPPED -> "skipped";
            case FAILED -> step.errorCode() == null || step.errorCode().isBlank() ? "failed"
                    : "failed with " + step.errorCode();
            case PLANNED -> "planned";
        };
    }

    /** Returns the heading of the pre-state: the state before a change, or the current state in a plan. */
    String preStateHeading() {
        return result.outcome() == Outcome.PLANNED || result.outcome() == Outcome.IGNORED
                ? "Current state" : "State before the change";
    }

    List<String> preStateLines() {
        return PreStateText.lines(result.preState());
    }

    /** Returns what the response leaves open, for a response that changed something; else empty. */
    List<String> notCovered() {
        return Coverage.gaps(result);
    }

    /** Returns the console links for the finding and its resources. */
    List<Link> links() {
        Optional<ConsoleLinks> console = ConsoleLinks.of(finding.partition(), finding.region());
        if (console.isEmpty()) {
            return List.of();
        }
        ConsoleLinks to = console.get();
        List<Link> links = new ArrayList<>();
        guardDutyId().ifPresent(id -> links.add(new Link("GuardDuty finding", to.guardDutyFinding(id))));
        securityHubId().ifPresent(id -> links.add(new Link("Security Hub finding", to.securityHubFinding(id))));
        for (AffectedResource resource : finding.resources()) {
            resourceLink(to, resource).ifPresent(links::add);
        }
        return links.stream().distinct().toList();
    }

    /** Returns the command that undoes the response, when the response may have changed something. */
    Optional<String> releaseCommand() {
        boolean changed = result.outcome() == Outcome.CONTAINED || result.outcome() == Outcome.PARTIAL
                || result.outcome() == Outcome.FAILED || result.outcome() == Outcome.ALREADY_HANDLED;
        return changed ? present(finding.id()).map(id -> RELEASE_COMMAND + " " + id) : Optional.empty();
    }

    /** Returns the closing line: the action, when the response started and how long it took. */
    String footer() {
        List<String> parts = new ArrayList<>();
        parts.add("Quell");
        action().ifPresent(parts::add);
        if (result.startedAt() != null) {
            parts.add("started " + TIME.format(result.startedAt()));
        }
        if (result.startedAt() != null && result.finishedAt() != null
                && !result.finishedAt().isBefore(result.startedAt())) {
            parts.add("took " + seconds(Duration.between(result.startedAt(), result.finishedAt())));
        }
        return String.join(" · ", parts);
    }

    /** Returns a one-line summary, for notifications and the fallback message. */
    String summary() {
        StringBuilder line = new StringBuilder(headline()).append(" — ").append(outcomeText());
        action().ifPresent(action -> line.append(" (").append(action)
                .append(actedOn().map(resource -> " on " + resource).orElse("")).append(')'));
        present(finding.accountId()).ifPresent(account -> line.append(", account ").append(account));
        present(finding.region()).ifPresent(region -> line.append(", ").append(region));
        return line.toString();
    }

    private static String stepLine(StepResult step) {
        StringBuilder line = new StringBuilder(present(step.name()).orElse("unnamed step")).append(": ")
                .append(statusWord(step));
        present(step.detail()).ifPresent(detail -> line.append(" — ").append(detail));
        if (step.status() == StepStatus.DONE && step.durationMillis() > 0) {
            line.append(" (").append(seconds(Duration.ofMillis(step.durationMillis()))).append(')');
        }
        return line.toString();
    }

    private List<Value> resources() {
        List<Value> values = new ArrayList<>();
        for (AffectedResource resource : finding.resources()) {
            describe(resource).ifPresent(values::add);
        }
        return values;
    }

    private static Optional<Value> describe(AffectedResource resource) {
        if (resource instanceof AffectedResource.Instance instance) {
            Optional<String> name = present(instance.tags().get("Name")).map(value -> "Name: " + value);
            return present(instance.instanceId()).map(id -> new Value("EC2 instance", id, name.orElse(null)));
        }
        if (resource instanceof AffectedResource.AccessKey key) {
            return describeKey(key);
        }
        if (resource instanceof AffectedResource.Role role) {
            return firstPresent(role.roleName(), role.arn()).map(name -> new Value("IAM role", name, null));
        }
        if (resource instanceof AffectedResource.User user) {
            return firstPresent(user.userName(), user.arn()).map(name -> new Value("IAM user", name, null));
        }
        if (resource instanceof AffectedResource.Bucket bucket) {
            return firstPresent(bucket.bucketName(), bucket.arn()).map(name -> new Value("S3 bucket", name, null));
        }
        AffectedResource.Other other = (AffectedResource.Other) resource;
        return firstPresent(other.identifier(), other.rawType())
                .map(id -> new Value(present(other.rawType()).orElse("resource"), id, null));
    }

    private static Optional<Value> describeKey(AffectedResource.AccessKey key) {
        List<String> notes = new ArrayList<>();
        present(key.userName()).ifPresent(user -> notes.add("user " + user));
        present(key.principalType()).ifPresent(type -> notes.add(type));
        String note = notes.isEmpty() ? null : String.join(", ", notes);
        Optional<String> id = present(key.accessKeyId()).map(SlackEscape::lastFour);
        if (id.isPresent()) {
            return Optional.of(new Value("access key", id.get(), note));
        }
        return firstPresent(key.userName(), key.principalId()).map(name -> new Value("IAM principal", name,
                present(key.principalType()).orElse(null)));
    }

    private Optional<String> direction() {
        List<String> parts = new ArrayList<>();
        present(finding.connectionDirection()).ifPresent(parts::add);
        present(finding.resourceRole()).ifPresent(role -> parts.add("resource is the " + role));
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
    }

    private String source() {
        if (finding.source() == null) {
            return null;
        }
        return switch (finding.source()) {
            case GUARDDUTY -> "from GuardDuty";
            case GUARDDUTY_VIA_SECURITY_HUB -> "from GuardDuty through Security Hub";
            case SECURITY_HUB -> "from Security Hub";
            case OCSF -> "from Security Hub (OCSF)";
        };
    }

    private Optional<String> guardDutyId() {
        boolean guardDuty = finding.source() == Finding.Source.GUARDDUTY
                || finding.source() == Finding.Source.GUARDDUTY_VIA_SECURITY_HUB;
        return guardDuty ? present(finding.id()) : Optional.empty();
    }

    private Optional<String> securityHubId() {
        if (finding.securityHub() != null && present(finding.securityHub().id()).isPresent()) {
            return Optional.of(finding.securityHub().id());
        }
        return finding.source() == Finding.Source.GUARDDUTY ? present(finding.arn()) : Optional.empty();
    }

    private static Optional<Link> resourceLink(ConsoleLinks to, AffectedResource resource) {
        if (resource instanceof AffectedResource.Instance instance) {
            return present(instance.instanceId()).map(id -> new Link("EC2 instance " + id, to.ec2Instance(id)));
        }
        if (resource instanceof AffectedResource.AccessKey key) {
            return iamPrincipal(to, key.principalType(), key.userName());
        }
        if (resource instanceof AffectedResource.Role role) {
            return present(role.roleName()).map(name -> new Link("IAM role " + name, to.iamRole(name)));
        }
        if (resource instanceof AffectedResource.User user) {
            return present(user.userName()).map(name -> new Link("IAM user " + name, to.iamUser(name)));
        }
        return Optional.empty();
    }

    /** Links an access key's principal: its user, or for an assumed role the role named before the session. */
    private static Optional<Link> iamPrincipal(ConsoleLinks to, String principalType, String userName) {
        Optional<String> name = present(userName);
        if (name.isEmpty() || "Root".equals(principalType)) {
            return Optional.empty();
        }
        if ("AssumedRole".equals(principalType) || "Role".equals(principalType)) {
            String role = name.get().contains("/") ? name.get().substring(0, name.get().indexOf('/')) : name.get();
            return Optional.of(new Link("IAM role " + role, to.iamRole(role)));
        }
        return Optional.of(new Link("IAM user " + name.get(), to.iamUser(name.get())));
    }

    private static Fact single(String label, String code, String note) {
        return new Fact(label, List.of(new Value("", code, present(note).orElse(null))));
    }

    private static Optional<String> time(Instant preferred, Instant fallback) {
        Instant value = preferred != null ? preferred : fallback;
        return value == null ? Optional.empty() : Optional.of(TIME.format(value));
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /**
     * Returns the value stripped, or empty when it is missing, blank, or one of the words a serializer writes for
     * a missing value ({@code null}, {@code undefined}, {@code NaN}).
     */
    static Optional<String> present(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String stripped = value.strip();
        boolean placeholder = stripped.equalsIgnoreCase("null") || stripped.equalsIgnoreCase("undefined")
                || stripped.equalsIgnoreCase("nan");
        return placeholder ? Optional.empty() : Optional.of(stripped);
    }

    private static Optional<String> firstPresent(String first, String second) {
        return present(first).or(() -> present(second));
    }
}
