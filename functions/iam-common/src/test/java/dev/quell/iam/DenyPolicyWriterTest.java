package dev.quell.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quell.testkit.MotoServer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.IamException;

class DenyPolicyWriterTest {

    private static final String POLICY = "quell-test-deny";

    private final RecordingClients clients = new RecordingClients(MotoServer.shared().endpoint());
    private final SeededIam seeded = new SeededIam(clients);
    private final DenyPolicyWriter writer = new DenyPolicyWriter(seeded.iam(), "aws", SeededIam.ACCOUNT);
    private final PrincipalPolicies policies = new PrincipalPolicies(seeded.iam());

    @Test
    void put_writesInlinePolicy() {
        IamTarget role = IamTarget.role(seeded.role(SeededIam.unique("inline"), "ec2.amazonaws.com").name());
        String document = deny("2026-12-01T10:00:00Z");

        DenyPolicyWriter.Applied applied = writer.put(role, POLICY, document);

        assertThat(applied.mechanism()).isEqualTo(DenyPolicyWriter.Mechanism.INLINE);
        assertThat(policies.inlineNames(role)).containsExactly(POLICY);
        assertThat(writer.mismatch(role, POLICY, document)).isEmpty();
    }

    @Test
    void put_repeatReplacesInlinePolicy() {
        IamTarget role = IamTarget.role(seeded.role(SeededIam.unique("repeat"), "ec2.amazonaws.com").name());
        writer.put(role, POLICY, deny("2026-12-01T10:00:00Z"));
        String later = deny("2026-12-01T11:00:00Z");

        writer.put(role, POLICY, later);

        assertThat(policies.inlineNames(role)).containsExactly(POLICY);
        assertThat(writer.mismatch(role, POLICY, later)).isEmpty();
        assertThat(writer.mismatch(role, POLICY, deny("2026-12-01T10:00:00Z"))).get().asString()
                .contains("differs from the deny Quell wrote");
    }

    @Test
    void put_fullQuotaFallsBackToManaged() {
        String name = SeededIam.unique("full");
        IamTarget role = IamTarget.role(seeded.role(name, "ec2.amazonaws.com").name());
        seeded.fillInlineQuota(IamTarget.role(name), 100);
        String document = deny("2026-12-01T10:00:00Z");

        DenyPolicyWriter.Applied applied = writer.put(role, POLICY, document);

        assertThat(applied.mechanism()).isEqualTo(DenyPolicyWriter.Mechanism.MANAGED);
        assertThat(applied.policyArn()).isEqualTo("arn:aws:iam::" + SeededIam.ACCOUNT + ":policy/quell/" + POLICY
                + "-role-" + name);
        assertThat(policies.inlineNames(role)).doesNotContain(POLICY);
        assertThat(policies.attachedArns(role)).containsExactly(applied.policyArn());
        assertThat(writer.mismatch(role, POLICY, document)).isEmpty();
        assertThat(applied.describe()).contains("inline policy size quota was full");
    }

    @Test
    void put_repeatOnFullQuotaAddsVersion() {
        String name = SeededIam.unique("versions");
        IamTarget role = IamTarget.role(seeded.role(name, "ec2.amazonaws.com").name());
        seeded.fillInlineQuota(IamTarget.role(name), 100);
        for (int hour = 10; hour < 17; hour++) {
            writer.put(role, POLICY, deny("2026-12-01T" + hour + ":00:00Z"));
        }
        String last = deny("2026-12-01T17:00:00Z");

        DenyPolicyWriter.Applied applied = writer.put(role, POLICY, last);

        assertThat(policies.attachedArns(role)).containsExactly(applied.policyArn());
        assertThat(writer.mismatch(role, POLICY, last)).isEmpty();
    }

    @Test
    void quota_rejectsOversizedInlinePolicy() {
        String name = SeededIam.unique("quota");
        seeded.role(name, "ec2.amazonaws.com");
        seeded.fillInlineQuota(IamTarget.role(name), 100);

        assertThatThrownBy(() -> seeded.iam().putRolePolicy(request -> request.roleName(name).policyName("extra")
                .policyDocument(deny("2026-12-01T10:00:00Z"))))
                .isInstanceOf(IamException.class)
                .satisfies(e -> assertThat(IamErrors.isLimitExceeded((IamException) e)).isTrue());
    }

    @Test
    void remove_deletesInlineAndManaged() {
        String name = SeededIam.unique("remove");
        IamTarget role = IamTarget.role(seeded.role(name, "ec2.amazonaws.com").name());
        seeded.fillInlineQuota(IamTarget.role(name), 100);
        DenyPolicyWriter.Applied applied = writer.put(role, POLICY, deny("2026-12-01T10:00:00Z"));

        String detail = writer.remove(role, POLICY, deny("2026-12-01T10:00:00Z"), null);

        assertThat(detail).contains("detached", "deleted " + applied.policyArn());
        assertThat(policies.attachedArns(role)).isEmpty();
        assertThat(policies.managedDocument(applied.policyArn())).isEmpty();
        assertThat(writer.remove(role, POLICY, deny("2026-12-01T10:00:00Z"), null))
                .startsWith("no Quell deny was left");
        assertThat(writer.mismatch(role, POLICY, deny("2026-12-01T10:00:00Z"))).get().asString()
                .startsWith("neither inline policy " + POLICY);
    }

    @Test
    void remove_restoresEarlierDocument() {
        IamTarget user = IamTarget.user(seeded.user(SeededIam.unique("restore+=,.@_-"), 0).name());
        String earlier = deny("2026-11-01T10:00:00Z");
        writer.put(user, POLICY, earlier);
        writer.put(user, POLICY, deny("2026-12-01T10:00:00Z"));

        writer.remove(user, POLICY, deny("2026-12-01T10:00:00Z"), earlier);

        assertThat(policies.inlineDocument(user, POLICY)).get()
                .satisfies(document -> assertThat(PolicyDocuments.same(document, earlier)).isTrue());
    }

    @Test
    void remove_leavesLaterResponsesDeny() {
        IamTarget role = IamTarget.role(seeded.role(SeededIam.unique("later"), "ec2.amazonaws.com").name());
        String first = deny("2026-12-01T10:00:00Z");
        String later = deny("2026-12-01T11:00:00Z");
        writer.put(role, POLICY, first);
        writer.put(role, POLICY, later);

        String detail = writer.remove(role, POLICY, first, null);

        assertThat(detail).contains("which holds another response's deny");
        assertThat(writer.mismatch(role, POLICY, later)).isEmpty();
    }

    private static String deny(String cutoff) {
        return PolicyDocuments.denySessionsIssuedBefore("QuellTest", Instant.parse(cutoff));
    }
}
