package dev.quell.core.decision;

import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Playbook;
import dev.quell.core.policy.Policy;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether to isolate the instance a finding names. Pure: the same finding, policy and state always give
 * the same decision.
 *
 * <p>{@link #screen} needs only the finding and runs before any API call; {@link #decide} runs after the
 * responder re-read the instance.
 */
public final class InstanceDecider {

    public static final String ACTION = "isolate-instance";

    private InstanceDecider() {
    }

    /**
     * Decides from the finding alone. Returns {@code empty} when the finding passes and the decision needs the
     * instance's live state.
     */
    public static Optional<Decision> screen(Finding finding, Policy policy) {
        if (finding.archived()) {
            return Optional.of(Decision.ignore(Reasons.archived()));
        }
        if (finding.resource(AffectedResource.Instance.class).isEmpty()) {
            return Optional.of(Decision.ignore(Reasons.noResource("EC2 instance", ACTION, resourceTypes(finding))));
        }
        if (policy.exemptions().accounts().contains(finding.accountId())) {
            return Optional.of(Decision.ignore(Reasons.exemptAccount(finding.accountId())));
        }
        Optional<Playbook> playbook = policy.playbookFor(ACTION, finding.type(), "Instance");
        if (playbook.isEmpty()) {
            return Optional.of(Decision.ignore(Reasons.noPlaybook(finding.type(), ACTION)));
        }
        return screenAgainst(finding, playbook.get());
    }

    /** Decides from the finding and the instance as EC2 returned it. */
    public static Decision decide(Finding finding, Policy policy, ResourceState instance) {
        Optional<Decision> screened = screen(finding, policy);
        if (screened.isPresent()) {
            return screened.get();
        }
        Playbook playbook = policy.playbookFor(ACTION, finding.type(), "Instance").orElseThrow();
        String instanceId = finding.resource(AffectedResource.Instance.class).orElseThrow().instanceId();
        if (!instance.exists()) {
            return Decision.ignore(Reasons.resourceGone("instance " + instanceId, instance.state()), playbook.name());
        }
        if (policy.exemptions().exemptsTags(instance.tags())) {
            return Decision.ignore(Reasons.exemptTag("instance " + instanceId, policy.exemptions().tagKey(),
                    instance.tags().get(policy.exemptions().tagKey())), playbook.name());
        }
        if (policy.exemptions().resourceArns().contains(instance.arn())) {
            return Decision.ignore(Reasons.exemptArn(instance.arn()), playbook.name());
        }
        if (policy.modeOf(playbook) == Mode.DRY_RUN) {
            return Decision.plan(Reasons.dryRun(playbook.name()), playbook.name());
        }
        return Decision.act(Reasons.act(playbook.name()), playbook.name());
    }

    private static Optional<Decision> screenAgainst(Finding finding, Playbook playbook) {
        String required = playbook.connectionDirection();
        if (required != null && !required.equals(finding.connectionDirection())) {
            return Optional.of(Decision.ignore(Reasons.wrongDirection(finding.type(),
                    finding.connectionDirection(), playbook.name(), required), playbook.name()));
        }
        if (finding.severity().score() < playbook.minimumSeverity()) {
            return Optional.of(Decision.ignore(Reasons.belowSeverity(finding.severity().score(),
                    playbook.minimumSeverity(), playbook.name()), playbook.name()));
        }
        if (finding.sample()) {
            return Optional.of(Decision.plan(Reasons.sample(), playbook.name()));
        }
        return Optional.empty();
    }

    private static String resourceTypes(Finding finding) {
        String types = finding.resources().stream()
                .map(AffectedResource::rawType)
                .filter(Objects::nonNull)
                .distinct()
                .collect(Collectors.joining(", "));
        return types.isEmpty() ? "none" : types;
    }
}
