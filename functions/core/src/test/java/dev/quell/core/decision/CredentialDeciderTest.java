package dev.quell.core.decision;

import static dev.quell.core.decision.CredentialFindings.ACCOUNT;
import static dev.quell.core.decision.CredentialFindings.MALICIOUS_CALLER;
import static dev.quell.core.decision.CredentialFindings.finding;
import static dev.quell.core.decision.CredentialFindings.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.core.decision.Decision.Outcome;
import dev.quell.core.finding.Finding;
import dev.quell.core.policy.Policy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialDeciderTest {

    private static final String QUARANTINE = CredentialRouter.QUARANTINE_KEY;
    private static final String ROLE_SESSIONS = CredentialRouter.REVOKE_ROLE_SESSIONS;
    private static final String USER_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String USER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/deployer";

    private final Policy enforce = CredentialFindings.policy("enforce", null, 2);
    private final Finding userFinding = finding(MALICIOUS_CALLER, key("IAMUser", USER_KEY, "AIDA1", "alice"));
    private final Finding roleFinding = finding(MALICIOUS_CALLER,
            key("AssumedRole", "ASIAIOSFODNN7EXAMPLE", "AROA1:s1", "deployer"));

    @Test
    void userKey_acts() {
        Decision decision = CredentialDecider.decide(userFinding, enforce, QUARANTINE, user(USER_KEY, "AKIAOTHER"));

        assertThat(decision.outcome()).isEqualTo(Outcome.ACT);
        assertThat(decision.playbook()).isEqualTo("leaked-user-key");
    }

    @Test
    void keyNotUsers_isIgnored() {
        Decision decision = CredentialDecider.decide(userFinding, enforce, QUARANTINE, user("AKIAOTHER"));

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("is not one of IAM user alice's access keys", "AKIAOTHER");
    }

    @Test
    void missingUser_isIgnored() {
        Decision decision = CredentialDecider.decide(userFinding, enforce, QUARANTINE,
                PrincipalState.missing(USER_ARN));

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("IAM user alice no longer exists");
    }

    @Test
    void exemptTag_isIgnored() {
        PrincipalState state = new PrincipalState(new ResourceState(true, USER_ARN, "exists",
                Map.of("quell:exempt", "TRUE")), List.of(USER_KEY), null);

        Decision decision = CredentialDecider.decide(userFinding, enforce, QUARANTINE, state);

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("quell:exempt");
    }

    @Test
    void dryRun_plans() {
        Policy dryRun = CredentialFindings.policy("dry-run", null, 2);

        Decision decision = CredentialDecider.decide(userFinding, dryRun, QUARANTINE, user(USER_KEY));

        assertThat(decision.outcome()).isEqualTo(Outcome.PLAN);
        assertThat(decision.reason()).startsWith("dry run");
    }

    @Test
    void sampleAndArchived_screenedBeforeState() {
        Finding sample = finding(MALICIOUS_CALLER, false, true, key("IAMUser", USER_KEY, "AIDA1", "alice"));
        Finding archived = finding(MALICIOUS_CALLER, true, false, key("IAMUser", USER_KEY, "AIDA1", "alice"));

        assertThat(CredentialDecider.screen(sample, enforce, QUARANTINE)).get()
                .extracting(Decision::outcome).isEqualTo(Outcome.PLAN);
        assertThat(CredentialDecider.screen(archived, enforce, QUARANTINE)).get()
                .extracting(Decision::outcome).isEqualTo(Outcome.IGNORE);
        assertThat(CredentialDecider.screen(userFinding, enforce, QUARANTINE)).isEmpty();
    }

    @Test
    void otherAction_isIgnoredWithOwner() {
        Decision decision = CredentialDecider.screen(roleFinding, enforce, QUARANTINE).orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("revoke-role-sessions action responds");
    }

    @Test
    void escalation_isIgnoredWithPlaybook() {
        Finding root = finding(MALICIOUS_CALLER, key("Root", "ASIAIOSFODNN7EXAMPLE", ACCOUNT, "Root"));

        Decision decision = CredentialDecider.screen(root, enforce, QUARANTINE).orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).startsWith("escalate: ");
        assertThat(decision.playbook()).isEqualTo("leaked-user-key");
    }

    @Test
    void roleWithinBlastRadius_acts() {
        Decision decision = CredentialDecider.decide(roleFinding, enforce, ROLE_SESSIONS, role(radius(1, 1, 0)));

        assertThat(decision.outcome()).isEqualTo(Outcome.ACT);
    }

    @Test
    void roleOverBlastRadius_plans() {
        Decision decision = CredentialDecider.decide(roleFinding, enforce, ROLE_SESSIONS, role(radius(1, 2, 1)));

        assertThat(decision.outcome()).isEqualTo(Outcome.PLAN);
        assertThat(decision.reason()).contains("used by 3 resource(s)", "maxRoleBlastRadius (2)");
    }

    @Test
    void roleOverBlastRadius_actsWhenPlaybookEnforces() {
        Policy playbookEnforces = CredentialFindings.policy("dry-run", "enforce", 2);

        Decision decision = CredentialDecider.decide(roleFinding, playbookEnforces, ROLE_SESSIONS,
                role(radius(1, 2, 1)));

        assertThat(decision.outcome()).isEqualTo(Outcome.ACT);
    }

    @Test
    void roleWithUnreadRegion_plans() {
        BlastRadius partial = new BlastRadius(0, 0, 0, List.of(), List.of("ap-east-1"));

        Decision decision = CredentialDecider.decide(roleFinding, enforce, ROLE_SESSIONS, role(partial));

        assertThat(decision.outcome()).isEqualTo(Outcome.PLAN);
        assertThat(decision.reason()).contains("[ap-east-1]");
    }

    @Test
    void serviceLinkedPath_isIgnored() {
        String arn = "arn:aws:iam::" + ACCOUNT + ":role/aws-service-role/ssm.amazonaws.com/deployer";
        PrincipalState state = new PrincipalState(new ResourceState(true, arn, "exists", Map.of()), null,
                radius(0, 0, 0));

        Decision decision = CredentialDecider.decide(roleFinding, enforce, ROLE_SESSIONS, state);

        assertThat(decision.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(decision.reason()).contains("service-linked");
    }

    private static PrincipalState user(String... keys) {
        return new PrincipalState(new ResourceState(true, USER_ARN, "exists", Map.of()), List.of(keys), null);
    }

    private static PrincipalState role(BlastRadius radius) {
        return new PrincipalState(new ResourceState(true, ROLE_ARN, "exists", Map.of()), null, radius);
    }

    private static BlastRadius radius(int profiles, int instances, int functions) {
        return new BlastRadius(profiles, instances, functions, List.of(), List.of());
    }
}
