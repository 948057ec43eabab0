package dev.quell.core.decision;

import dev.quell.core.decision.CredentialRoute.Response;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Maps a credential finding to its response from the principal type, access key prefix and principal id the
 * finding reports. Pure: the same finding and policy always give the same route, and no API is called.
 *
 * <ul>
 *   <li>An IAM user with a long-term {@code AKIA} key: quarantine that key.</li>
 *   <li>A role session ({@code ASIA} key, principal id {@code AROA...:session}): revoke the role's sessions.</li>
 *   <li>Instance credentials used elsewhere ({@code InstanceCredentialExfiltration}): deny the role's
 *       credentials issued to that one instance.</li>
 *   <li>The root user, a service-linked role, an IAM Identity Center role, a protected principal, a federated
 *       user, or anything the finding leaves unclear: escalate, changing nothing.</li>
 * </ul>
 */
public final class CredentialRouter {

    public static final String QUARANTINE_KEY = "quarantine-access-key";
    public static final String REVOKE_ROLE_SESSIONS = "revoke-role-sessions";
    public static final String REVOKE_INSTANCE_CREDENTIALS = "revoke-instance-credentials";

    /** The resource type credential playbooks name, as GuardDuty spells it. */
    public static final String RESOURCE_TYPE = "AccessKey";

    private static final String EXFILTRATION_PREFIX = "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.";
    private static final String SERVICE_LINKED_PATH = "/aws-service-role/";
    private static final String IDENTITY_CENTER_PATH = "/aws-reserved/sso.amazonaws.com/";
    private static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");

    private CredentialRouter() {
    }

    /** Returns the response to a finding and the reason. */
    public static CredentialRoute route(Finding finding, Policy policy) {
        Optional<AffectedResource.AccessKey> key = finding.resource(AffectedResource.AccessKey.class);
        if (key.isPresent()) {
            return routeKey(finding, policy, IamPrincipal.of(key.get(), finding.accountId()));
        }
        Optional<AffectedResource.Role> role = finding.resource(AffectedResource.Role.class);
        if (role.isPresent()) {
            return routeRole(finding, policy, IamPrincipal.of(role.get()));
        }
        Optional<AffectedResource.User> user = finding.resource(AffectedResource.User.class);
        if (user.isPresent()) {
            IamPrincipal principal = IamPrincipal.of(user.get());
            return escalate(QUARANTINE_KEY, principal, Reasons.escalateUnknownKey(principal.name(), null));
        }
        return escalate(QUARANTINE_KEY, null, Reasons.noResource("IAM principal", "credential",
                resourceTypes(finding)));
    }

    /** Returns whether the finding type reports instance credentials used outside the instance. */
    public static boolean isInstanceCredentialExfiltration(String findingType) {
        return findingType != null && findingType.startsWith(EXFILTRATION_PREFIX);
    }

    /**
     * Returns the finding to hand to the {@code isolate-instance} action as well, when the route revokes an
     * instance's credentials and a playbook of the policy isolates instances for this finding type. The returned
     * finding names the instance as an {@link AffectedResource.Instance}, which GuardDuty's credential findings
     * lack, so the instance responder can act on it.
     */
    public static Optional<Finding> instanceIsolation(Finding finding, Policy policy) {
        CredentialRoute route = route(finding, policy);
        if (route.response() != Response.REVOKE_INSTANCE_CREDENTIALS
                || policy.playbookFor("isolate-instance", finding.type(), "Instance").isEmpty()) {
            return Optional.empty();
        }
        if (finding.resource(AffectedResource.Instance.class).isPresent()) {
            return Optional.of(finding);
        }
        List<AffectedResource> resources = new ArrayList<>(finding.resources());
        resources.add(new AffectedResource.Instance("Instance", route.instanceId(), null, List.of(), null));
        return Optional.of(new Finding(finding.id(), finding.source(), finding.type(), finding.title(),
                finding.description(), finding.severity(), finding.accountId(), finding.region(), finding.partition(),
                finding.createdAt(), finding.updatedAt(), finding.firstSeen(), finding.lastSeen(), finding.count(),
                finding.archived(), finding.sample(), finding.workflowStatus(), finding.arn(), finding.securityHub(),
                finding.connectionDirection(), finding.resourceRole(), resources, finding.indicators()));
    }

    private static CredentialRoute routeKey(Finding finding, Policy policy, IamPrincipal principal) {
        return switch (principal.kind()) {
            case ROOT -> escalate(QUARANTINE_KEY, principal, Reasons.escalateRoot());
            case FEDERATED_USER -> escalate(QUARANTINE_KEY, principal, Reasons.escalateFederatedUser(
                    principal.name() == null ? principal.principalId() : principal.name()));
            case OTHER -> escalate(QUARANTINE_KEY, principal, Reasons.escalateOtherPrincipal(principal.rawType()));
            case IAM_USER -> routeUser(policy, principal);
            case ASSUMED_ROLE, ROLE -> routeRole(finding, policy, principal);
        };
    }

    private static CredentialRoute routeUser(Policy policy, IamPrincipal principal) {
        String user = principal.name();
        switch (principal.keyKind()) {
            case TEMPORARY:
                return escalate(QUARANTINE_KEY, principal, Reasons.escalateUserTemporaryKey(user,
                        principal.accessKeyId()));
            case UNKNOWN:
                return escalate(QUARANTINE_KEY, principal, Reasons.escalateUnknownKey(user, principal.accessKeyId()));
            default:
                break;
        }
        if (user == null) {
            return escalate(QUARANTINE_KEY, principal, Reasons.escalateUnknownKey(
                    "(name not in the finding)", principal.accessKeyId()));
        }
        Optional<String> pattern = policy.protectedPattern(user);
        if (pattern.isPresent()) {
            return escalate(QUARANTINE_KEY, principal, Reasons.escalateProtected(principal.describe(),
                    pattern.get()));
        }
        return new CredentialRoute(Response.QUARANTINE_KEY, QUARANTINE_KEY, principal, null,
                Reasons.quarantineKey(user, principal.accessKeyId()));
    }

    private static CredentialRoute routeRole(Finding finding, Policy policy, IamPrincipal principal) {
        boolean exfiltration = isInstanceCredentialExfiltration(finding.type());
        String action = exfiltration ? REVOKE_INSTANCE_CREDENTIALS : REVOKE_ROLE_SESSIONS;
        String role = principal.name();
        if (principal.keyKind() == IamPrincipal.KeyKind.LONG_TERM) {
            return escalate(action, principal, Reasons.escalateLongTermKeyOnRole(
                    role == null ? "(name not in the finding)" : role, principal.accessKeyId()));
        }
        if (role == null) {
            return escalate(action, principal, Reasons.escalateMissingRoleName(principal.principalId()));
        }
        Optional<String> excluded = roleExclusion(policy, principal);
        if (excluded.isPresent()) {
            return escalate(action, principal, excluded.get());
        }
        if (!exfiltration) {
            return new CredentialRoute(Response.REVOKE_ROLE_SESSIONS, action, principal, null,
                    Reasons.revokeRoleSessions(role, principal.sessionName()));
        }
        Optional<String> instanceId = instanceIdOf(finding, principal);
        if (instanceId.isEmpty()) {
            return escalate(action, principal, Reasons.escalateNoInstance(role));
        }
        return new CredentialRoute(Response.REVOKE_INSTANCE_CREDENTIALS, action, principal, instanceId.get(),
                Reasons.revokeInstanceCredentials(role, instanceId.get()));
    }

    /**
     * Returns the reason a role must not be changed, if one applies. Service-linked roles live under
     * {@code /aws-service-role/} and are named {@code AWSServiceRoleFor*}; IAM Identity Center's roles live under
     * {@code /aws-reserved/sso.amazonaws.com/} and are named {@code AWSReservedSSO_*}. The name alone decides
     * when the finding carries no ARN; the responders check the live path again.
     */
    static Optional<String> roleExclusion(Policy policy, IamPrincipal principal) {
        String role = principal.name();
        String path = principal.pathFromArn();
        if (role.startsWith("AWSServiceRoleFor") || path != null && path.startsWith(SERVICE_LINKED_PATH)) {
            return Optional.of(Reasons.escalateServiceLinkedRole(role));
        }
        if (role.startsWith("AWSReservedSSO_") || path != null && path.startsWith(IDENTITY_CENTER_PATH)) {
            return Optional.of(Reasons.escalateIdentityCenterRole(role));
        }
        return policy.protectedPattern(role).map(pattern -> Reasons.escalateProtected("role " + role, pattern));
    }

    /** Returns the reason a role at this live path must not be changed, if one applies. */
    static Optional<String> pathExclusion(String role, String path) {
        if (path != null && path.startsWith(SERVICE_LINKED_PATH)) {
            return Optional.of(Reasons.escalateServiceLinkedRole(role));
        }
        if (path != null && path.startsWith(IDENTITY_CENTER_PATH)) {
            return Optional.of(Reasons.escalateIdentityCenterRole(role));
        }
        return Optional.empty();
    }

    /**
     * Returns the instance whose credentials were taken: the finding's instance resource when it has one, else the
     * role session name, which EC2 sets to the instance id for instance profile credentials.
     */
    private static Optional<String> instanceIdOf(Finding finding, IamPrincipal principal) {
        Optional<String> named = finding.resource(AffectedResource.Instance.class)
                .map(AffectedResource.Instance::instanceId)
                .filter(id -> id != null && INSTANCE_ID.matcher(id).matches());
        if (named.isPresent()) {
            return named;
        }
        String session = principal.sessionName();
        return session != null && INSTANCE_ID.matcher(session).matches() ? Optional.of(session) : Optional.empty();
    }

    private static CredentialRoute escalate(String action, IamPrincipal principal, String reason) {
        return new CredentialRoute(Response.ESCALATE, action, principal, null, reason);
    }

    static String resourceTypes(Finding finding) {
        String types = finding.resources().stream()
                .map(AffectedResource::rawType)
                .filter(Objects::nonNull)
                .distinct()
                .collect(Collectors.joining(", "));
        return types.isEmpty() ? "none" : types;
    }
}
