package dev.quell.core.decision;

import static dev.quell.core.decision.CredentialFindings.ACCOUNT;
import static dev.quell.core.decision.CredentialFindings.INSIDE_AWS;
import static dev.quell.core.decision.CredentialFindings.MALICIOUS_CALLER;
import static dev.quell.core.decision.CredentialFindings.OUTSIDE_AWS;
import static dev.quell.core.decision.CredentialFindings.finding;
import static dev.quell.core.decision.CredentialFindings.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.quell.core.decision.CredentialRoute.Response;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.policy.Policy;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialRouterTest {

    private static final String QUARANTINE = CredentialRouter.QUARANTINE_KEY;
    private static final String ROLE_SESSIONS = CredentialRouter.REVOKE_ROLE_SESSIONS;
    private static final String INSTANCE = CredentialRouter.REVOKE_INSTANCE_CREDENTIALS;
    private static final String USER_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SESSION_KEY = "ASIAIOSFODNN7EXAMPLE";
    private static final String ROLE_ID = "AROAJQABLZS4A3QDU576Q";
    private static final String USER_ID = "AIDAJQABLZS4A3QDU576Q";

    private final Policy policy = CredentialFindings.policy("enforce", null, 5);

    static Stream<Arguments> routes() {
        return Stream.of(
                arguments("IAM user with AKIA key", finding(MALICIOUS_CALLER,
                        key("IAMUser", USER_KEY, USER_ID, "alice")), Response.QUARANTINE_KEY, QUARANTINE,
                        "IAM user alice used long-term access key " + USER_KEY),
                arguments("IAM user with ASIA key", finding(MALICIOUS_CALLER,
                        key("IAMUser", SESSION_KEY, USER_ID, "alice")), Response.ESCALATE, QUARANTINE,
                        "GetSessionToken"),
                arguments("IAM user without key id", finding(MALICIOUS_CALLER,
                        key("IAMUser", null, USER_ID, "alice")), Response.ESCALATE, QUARANTINE,
                        "no access key id"),
                arguments("IAM user with unknown prefix", finding(MALICIOUS_CALLER,
                        key("IAMUser", "GeneratedFindingAccessKeyId", USER_ID, "alice")), Response.ESCALATE,
                        QUARANTINE, "neither an AKIA nor an ASIA key"),
                arguments("assumed role session", finding(MALICIOUS_CALLER,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":deploy-42", "deployer")),
                        Response.REVOKE_ROLE_SESSIONS, ROLE_SESSIONS, "role deployer (deploy-42)"),
                arguments("assumed role with AKIA key", finding(MALICIOUS_CALLER,
                        key("AssumedRole", USER_KEY, ROLE_ID + ":deploy-42", "deployer")), Response.ESCALATE,
                        ROLE_SESSIONS, "inconsistent"),
                arguments("assumed role without name", finding(MALICIOUS_CALLER,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":deploy-42", null)), Response.ESCALATE,
                        ROLE_SESSIONS, "not the role name"),
                arguments("root user", finding(MALICIOUS_CALLER, key("Root", SESSION_KEY, ACCOUNT, "Root")),
                        Response.ESCALATE, QUARANTINE, "root user"),
                arguments("root user without type", finding(MALICIOUS_CALLER, key(null, USER_KEY, ACCOUNT, null)),
                        Response.ESCALATE, QUARANTINE, "root user"),
                arguments("user inferred from AIDA", finding(MALICIOUS_CALLER, key(null, USER_KEY, USER_ID, "bob")),
                        Response.QUARANTINE_KEY, QUARANTINE, "IAM user bob"),
                arguments("role inferred from AROA", finding(MALICIOUS_CALLER,
                        key(null, SESSION_KEY, ROLE_ID + ":s1", "deployer")), Response.REVOKE_ROLE_SESSIONS,
                        ROLE_SESSIONS, "role deployer"),
                arguments("federated user", finding(MALICIOUS_CALLER,
                        key("FederatedUser", SESSION_KEY, ACCOUNT + ":carol", "carol")), Response.ESCALATE,
                        QUARANTINE, "GetFederationToken"),
                arguments("AWS service", finding(MALICIOUS_CALLER, key("AWSService", null, null, null)),
                        Response.ESCALATE, QUARANTINE, "principal type AWSService"),
                arguments("service-linked role", finding(MALICIOUS_CALLER,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":s1", "AWSServiceRoleForSupport")),
                        Response.ESCALATE, ROLE_SESSIONS, "service-linked"),
                arguments("Identity Center role", finding(MALICIOUS_CALLER,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":carol@example.com",
                                "AWSReservedSSO_AdministratorAccess_0123456789abcdef")),
                        Response.ESCALATE, ROLE_SESSIONS, "IAM Identity Center"),
                arguments("protected role", finding(MALICIOUS_CALLER,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":s1", "OrganizationAccountAccessRole")),
                        Response.ESCALATE, ROLE_SESSIONS, "\"OrganizationAccountAccessRole\""),
                arguments("protected role other case", finding(MALICIOUS_CALLER,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":s1", "organizationaccountaccessrole")),
                        Response.ESCALATE, ROLE_SESSIONS, "protectedPrincipals"),
                arguments("protected role by wildcard", finding(MALICIOUS_CALLER,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":s1", "quell-responder")),
                        Response.ESCALATE, ROLE_SESSIONS, "\"quell-*\""),
                arguments("protected user", finding(MALICIOUS_CALLER,
                        key("IAMUser", USER_KEY, USER_ID, "break-glass")), Response.ESCALATE, QUARANTINE,
                        "IAM user break-glass matches"),
                arguments("exfiltration outside AWS", finding(OUTSIDE_AWS,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":i-0123456789abcdef0", "web")),
                        Response.REVOKE_INSTANCE_CREDENTIALS, INSTANCE, "issued to instance i-0123456789abcdef0"),
                arguments("exfiltration inside AWS", finding(INSIDE_AWS,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":i-0123456789abcdef0", "web")),
                        Response.REVOKE_INSTANCE_CREDENTIALS, INSTANCE, "role web"),
                arguments("exfiltration without instance id", finding(OUTSIDE_AWS,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":botocore-session", "web")),
                        Response.ESCALATE, INSTANCE, "neither its resources nor the session name"),
                arguments("exfiltration from service-linked role", finding(OUTSIDE_AWS,
                        key("AssumedRole", SESSION_KEY, ROLE_ID + ":i-0123456789abcdef0",
                                "AWSServiceRoleForECS")), Response.ESCALATE, INSTANCE, "service-linked"),
                arguments("ASFF role", finding(MALICIOUS_CALLER, new AffectedResource.Role("AwsIamRole", "deployer",
                        "arn:aws:iam::" + ACCOUNT + ":role/deployer")), Response.REVOKE_ROLE_SESSIONS,
                        ROLE_SESSIONS, "role deployer"),
                arguments("ASFF role on service-linked path", finding(MALICIOUS_CALLER,
                        new AffectedResource.Role("AwsIamRole", "custom-name",
                                "arn:aws:iam::" + ACCOUNT + ":role/aws-service-role/ssm.amazonaws.com/custom-name")),
                        Response.ESCALATE, ROLE_SESSIONS, "service-linked"),
                arguments("ASFF role on Identity Center path", finding(MALICIOUS_CALLER,
                        new AffectedResource.Role("AwsIamRole", "custom-name", "arn:aws:iam::" + ACCOUNT
                                + ":role/aws-reserved/sso.amazonaws.com/eu-west-1/custom-name")),
                        Response.ESCALATE, ROLE_SESSIONS, "IAM Identity Center"),
                arguments("ASFF user without key", finding(MALICIOUS_CALLER,
                        new AffectedResource.User("AwsIamUser", "alice", "arn:aws:iam::" + ACCOUNT + ":user/alice")),
                        Response.ESCALATE, QUARANTINE, "no access key id"),
                arguments("instance only", finding(MALICIOUS_CALLER,
                        new AffectedResource.Instance("Instance", "i-0123456789abcdef0", null, null, null)),
                        Response.ESCALATE, QUARANTINE, "names no IAM principal (resource types: Instance)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void route_byPrincipal(String name, Finding finding, Response response, String action, String reason) {
        CredentialRoute route = CredentialRouter.route(finding, policy);

        assertThat(route.response()).as(route.reason()).isEqualTo(response);
        assertThat(route.action()).isEqualTo(action);
        assertThat(route.reason()).contains(reason);
    }

    @Test
    void route_takesInstanceFromResource() {
        Finding finding = finding(INSIDE_AWS,
                key("AssumedRole", SESSION_KEY, ROLE_ID + ":not-an-instance", "web"),
                new AffectedResource.Instance("Instance", "i-0fedcba9876543210", null, null, null));

        CredentialRoute route = CredentialRouter.route(finding, policy);

        assertThat(route.response()).isEqualTo(Response.REVOKE_INSTANCE_CREDENTIALS);
        assertThat(route.instanceId()).isEqualTo("i-0fedcba9876543210");
    }

    @Test
    void instanceIsolation_addsInstanceWhenPlaybookMatches() {
        Finding finding = finding(OUTSIDE_AWS, key("AssumedRole", SESSION_KEY, ROLE_ID + ":i-0123456789abcdef0",
                "web"));

        Finding handed = CredentialRouter.instanceIsolation(finding, policy).orElseThrow();

        assertThat(handed.id()).isEqualTo(finding.id());
        assertThat(handed.resource(AffectedResource.Instance.class)).get()
                .extracting(AffectedResource.Instance::instanceId).isEqualTo("i-0123456789abcdef0");
        assertThat(handed.resource(AffectedResource.AccessKey.class)).isPresent();
    }

    @Test
    void instanceIsolation_emptyWithoutPlaybook() {
        Finding inside = finding(INSIDE_AWS, key("AssumedRole", SESSION_KEY, ROLE_ID + ":i-0123456789abcdef0",
                "web"));
        Finding session = finding(MALICIOUS_CALLER, key("AssumedRole", SESSION_KEY, ROLE_ID + ":i-0123456789abcdef0",
                "web"));

        assertThat(CredentialRouter.instanceIsolation(inside, policy)).isEmpty();
        assertThat(CredentialRouter.instanceIsolation(session, policy)).isEmpty();
    }

    @Test
    void principal_pathOfArn() {
        Map<String, String> paths = Map.of(
                "arn:aws:iam::123456789012:role/app", "/",
                "arn:aws:iam::123456789012:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForSSM",
                "/aws-service-role/ssm.amazonaws.com/",
                "arn:aws-cn:iam::123456789012:user/division/team/alice", "/division/team/");

        paths.forEach((arn, path) -> assertThat(IamPrincipal.pathOf(arn)).as(arn).isEqualTo(path));
        assertThat(IamPrincipal.pathOf(null)).isNull();
        assertThat(IamPrincipal.pathOf("arn:aws:iam::123456789012:root")).isNull();
    }
}
