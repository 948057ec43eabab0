package dev.quell.iam;

import dev.quell.core.events.ResultPublisher;
import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.Indicators;
import dev.quell.core.finding.Severity;
import dev.quell.core.ledger.Ledger;
import dev.quell.core.policy.Policy;
import dev.quell.testkit.MotoServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A fresh ledger table and event bus on the shared moto server, with recording clients and a clock the test sets,
 * wired as a credential function wires them.
 */
public final class LocalCredentials implements AutoCloseable {

    public static final String REGION = "eu-west-1";
    public static final String ACCOUNT = SeededIam.ACCOUNT;
    public static final String MALICIOUS_CALLER = "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom";
    public static final String OUTSIDE_AWS = "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS";

    /** The clients the code under test uses, which record its calls. */
    public final RecordingClients clients = new RecordingClients(MotoServer.shared().endpoint());
    /** Seeding and checking go through clients of their own, so their calls stay out of the record. */
    public final SeededIam seeded = new SeededIam(new RecordingClients(MotoServer.shared().endpoint()));
    public final ExecutorService executor = Executors.newFixedThreadPool(8);
    public final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    public final Ledger ledger = new Ledger(clients.client(DynamoDbClient::builder, ACCOUNT, Region.of(REGION)),
            "ledger-" + UUID.randomUUID(), clock);
    public final ResultPublisher publisher = new ResultPublisher(clients.client(EventBridgeClient::builder, ACCOUNT,
            Region.of(REGION)), "quell-" + UUID.randomUUID());

    public LocalCredentials() {
        ledger.createTableIfMissing();
        publisher.createBusIfMissing();
        clients.clear();
    }

    /** Returns a policy with one playbook per credential action, as a policy file would give it. */
    public static Policy policy(String mode, String roleSessionsMode, int maxBlastRadius, boolean removeConsoleLogin) {
        String playbookMode = roleSessionsMode == null ? "" : ", \"mode\": \"" + roleSessionsMode + "\"";
        return Policy.parse("""
                {"mode": "%s",
                 "playbooks": [
                   {"name": "exfiltrated-instance-credentials", "action": "revoke-instance-credentials",
                    "resourceType": "AccessKey", "minimumSeverity": 5,
                    "findingTypes": ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.*"]},
                   {"name": "leaked-user-key", "action": "quarantine-access-key", "resourceType": "AccessKey",
                    "minimumSeverity": 5, "findingTypes": ["UnauthorizedAccess:IAMUser/*"]},
                   {"name": "hijacked-role-session", "action": "revoke-role-sessions", "resourceType": "AccessKey",
                    "minimumSeverity": 5, "findingTypes": ["UnauthorizedAccess:IAMUser/*"]%s}],
                 "protectedPrincipals": ["OrganizationAccountAccessRole", "quell-*", "break-glass*"],
                 "credentials": {"maxRoleBlastRadius": %d, "removeConsoleLogin": %b}}
                """.formatted(mode, playbookMode, maxBlastRadius, removeConsoleLogin), "written for the test");
    }

    /** Returns a GuardDuty access key resource as the parser produces it. */
    public static AffectedResource.AccessKey accessKey(String principalType, String accessKeyId, String principalId,
            String userName) {
        return new AffectedResource.AccessKey("AccessKey", accessKeyId, principalId, userName, principalType);
    }

    /** Returns a finding with a new id on the resources. */
    public Finding finding(String type, AffectedResource... resources) {
        return finding(UUID.randomUUID().toString().replace("-", ""), type, false, false, resources);
    }

    /** Returns a finding with the given id on the resources. */
    public Finding finding(String id, String type, boolean archived, boolean sample, AffectedResource... resources) {
        return new Finding(id, Finding.Source.GUARDDUTY, type, "Test finding", "A finding written for the test",
                Severity.of(8), ACCOUNT, REGION, "aws", Instant.parse("2026-12-01T09:55:00Z"),
                Instant.parse("2026-12-01T09:58:00Z"), null, null, 1, archived, sample, null, null, null, null,
                "TARGET", List.of(resources), Indicators.NONE);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** A clock that stays where the test sets it. */
    public static final class MutableClock extends Clock {

        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
