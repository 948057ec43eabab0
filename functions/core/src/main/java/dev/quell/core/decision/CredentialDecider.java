package dev.quell.core.decision;

import dev.quell.core.finding.Finding;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Playbook;
import dev.quell.core.policy.Policy;
import java.util.Optional;

/**
 * Decides whether a credential action acts on a finding. Pure: the same finding, policy and state always give the
 * same decision.
 *
 * <p>{@link #screen} needs only the finding and runs before any API call; {@link #decide} runs after the responder
 * re-read the user or role from IAM. Both expect a finding that {@link CredentialRouter} routes to the action.
 */
public final class CredentialDecider {

    private CredentialDecider() {
    }

    /**
     * Decides from the finding alone. Returns {@code empty} when the finding passes and the decision needs the
     * principal's live state.
     *
     * @param action the credential action deciding, one of the {@link CredentialRouter} action names
     */
    public static Optional<Decision> screen(Finding finding, Policy policy, String action) {
        if (finding.archived()) {
            return Optional.of(Decision.ignore(Reasons.archived()));
        }
        CredentialRoute route = CredentialRouter.route(finding, policy);
        if (!route.action().equals(action)) {
            return Optional.of(Decision.ignore(Reasons.handledByOtherAction(describe(route), route.action(),
                    action)));
        }
        if (policy.exemptions().accounts().contains(finding.accountId())) {
            return Optional.of(Decision.ignore(Reasons.exemptAccount(finding.accountId())));
        }
        Optional<Playbook> playbook = policy.playbookFor(action, finding.type(), CredentialRouter.RESOURCE_TYPE);
        if (playbook.isEmpty()) {
            return Optional.of(Decision.ignore(Reasons.noPlaybook(finding.type(), action)));
        }
        String name = playbook.get().name();
        if (finding.severity().score() < playbook.get().minimumSeverity()) {
            return Optional.of(Decision.ignore(Reasons.belowSeverity(finding.severity().score(),
                    playbook.get().minimumSeverity(), name), name));
        }
        if (route.escalates()) {
            return Optional.of(Decision.ignore(route.reason(), name));
        }
        if (finding.sample()) {
            return Optional.of(Decision.plan(Reasons.sample(), name));
        }
        return Optional.empty();
    }

    /** Decides from the finding and the user or role as IAM returned it. */
    public static Decision decide(Finding finding, Policy policy, String action, PrincipalState state) {
        Optional<Decision> screened = screen(finding, policy, action);
        if (screened.isPresent()) {
            return screened.get();
        }
        Playbook playbook = policy.playbookFor(action, finding.type(), CredentialRouter.RESOURCE_TYPE).orElseThrow();
        IamPrincipal principal = CredentialRouter.route(finding, policy).principal();
        String described = principal.describe();
        ResourceState resource = state.resource();

        if (!resource.exists()) {
            return Decision.ignore(Reasons.resourceGone(described, resource.state()), playbook.name());
        }
        Optional<String> excluded = CredentialRouter.pathExclusion(principal.name(), IamPrincipal.pathOf(
                resource.arn()));
        if (excluded.isPresent()) {
            return Decision.ignore(excluded.get(), playbook.name());
        }

        if (policy.exemptions().exemptsTags(resource.tags())) {
            return Decision.ignore(Reasons.exemptTag(described, policy.exemptions().tagKey(),
                    resource.tags().get(policy.exemptions().tagKey())), playbook.name());
        }
        if (policy.exemptions().resourceArns().contains(resource.arn())) {
            return Decision.ignore(Reasons.exemptArn(resource.arn()), playbook.name());
        }
        if (state.accessKeyIds() != null && !state.accessKeyIds().contains(principal.accessKeyId())) {
            return Decision.ignore(Reasons.keyNotFound(principal.accessKeyId(), principal.name(),
                    state.accessKeyIds()), playbook.name());
        }

        if (policy.modeOf(playbook) == Mode.DRY_RUN) {
            return Decision.plan(Reasons.dryRun(playbook.name()), playbook.name());
        }
        Optional<Decision> gated = gateOnBlastRadius(policy, playbook, principal.name(), state.blastRadius());
        return gated.orElseGet(() -> Decision.act(Reasons.act(playbook.name()), playbook.name()));
    }

    /**
     * Plans instead of acting when the role is used by more resources than {@code credentials.maxRoleBlastRadius},
     * or when the count is incomplete, unless the playbook itself sets mode {@code enforce}. A global mode of
     * enforce is not enough, because denying a widely used role's sessions interrupts every one of its users.
     */
    private static Optional<Decision> gateOnBlastRadius(Policy policy, Playbook playbook, String role,
            BlastRadius radius) {
        if (radius == null || playbook.mode() == Mode.ENFORCE) {
            return Optional.empty();
        }
        if (!radius.complete()) {
            return Optional.of(Decision.plan(Reasons.blastRadiusUnknown(role, radius, playbook.name()),
                    playbook.name()));
        }
        int maximum = policy.credentials().maxRoleBlastRadius();
        if (radius.total() > maximum) {
            return Optional.of(Decision.plan(Reasons.blastRadiusTooLarge(role, radius, maximum, playbook.name()),
                    playbook.name()));
        }
        return Optional.empty();
    }

    private static String describe(CredentialRoute route) {
        return route.principal() == null ? "missing from the finding" : route.principal().describe();
    }
}
