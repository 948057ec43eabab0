package dev.quell.core.decision;

import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.finding.Severity;
import dev.quell.core.policy.Policy;
import java.time.Instant;
import java.util.List;

/** Credential findings and a policy with credential playbooks, built as the parser and a policy file would. */
final class CredentialFindings {

    static final String ACCOUNT = "123456789012";
    static final String MALICIOUS_CALLER = "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom";
    static final String OUTSIDE_AWS = "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS";
    static final String INSIDE_AWS = "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS";

    private CredentialFindings() {
    }

    static AffectedResource.AccessKey key(String principalType, String accessKeyId, String principalId,
            String userName) {
        return new AffectedResource.AccessKey("AccessKey", accessKeyId, principalId, userName, principalType);
    }

    static Finding finding(String type, AffectedResource... resources) {
        return finding(type, false, false, resources);
    }

    static Finding finding(String type, boolean archived, boolean sample, AffectedResource... resources) {
        return new Finding("0123456789abcdef0123456789abcdef", Finding.Source.GUARDDUTY, type, "Test finding",
                "A finding written for the test", Severity.of(8), ACCOUNT, "eu-west-1", "aws",
                Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:05:00Z"), null, null, 1,
                archived, sample, null, null, null, null, "TARGET", List.of(resources), Indicators.NONE);
    }

    /** Returns a policy in the given global mode with one playbook for each credential action. */
    static Policy policy(String mode, String roleSessionsMode, int maxBlastRadius) {
        String playbookMode = roleSessionsMode == null ? "" : ", \"mode\": \"" + roleSessionsMode + "\"";
        return Policy.parse("""
                {"mode": "%s",
                 "playbooks": [
                   {"name": "exfiltrated-instance-credentials", "action": "revoke-instance-credentials",
                    "resourceType": "AccessKey", "minimumSeverity": 5,
                    "findingTypes": ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.*"]},
                   {"name": "isolate-exfiltrating-instance", "action": "isolate-instance",
                    "resourceType": "Instance", "minimumSeverity": 5,
                    "findingTypes": ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"]},
                   {"name": "leaked-user-key", "action": "quarantine-access-key", "resourceType": "AccessKey",
                    "minimumSeverity": 5, "findingTypes": ["UnauthorizedAccess:IAMUser/*"]},
                   {"name": "hijacked-role-session", "action": "revoke-role-sessions", "resourceType": "AccessKey",
                    "minimumSeverity": 5, "findingTypes": ["UnauthorizedAccess:IAMUser/*"]%s}],
                 "protectedPrincipals": ["OrganizationAccountAccessRole", "quell-*", "break-glass"],
                 "credentials": {"maxRoleBlastRadius": %d}}
                """.formatted(mode, playbookMode, maxBlastRadius), "written for the test");
    }
}
