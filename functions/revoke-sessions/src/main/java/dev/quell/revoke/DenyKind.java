package dev.quell.revoke;

import dev.quell.core.decision.CredentialRouter;
import dev.quell.iam.PolicyDocuments;

/** The two denies this function writes on a role: every older session, or one instance's credentials. */
enum DenyKind {

    /** Denies every session of the role issued before the response, under one name so a repeat replaces it. */
    ROLE_SESSIONS(CredentialRouter.REVOKE_ROLE_SESSIONS, RoleSessionStep.DENY_OLDER_SESSIONS, true) {
        @Override
        String policyName(String instanceId) {
            return "quell-revoke-older-sessions";
        }

        @Override
        String document(RolePreState pre) {
            return PolicyDocuments.denySessionsIssuedBefore("QuellRevokeOlderSessions", pre.cutoff());
        }

        @Override
        String describe(RolePreState pre) {
            return "every session of role " + pre.roleName() + " issued before "
                    + (pre.cutoff() == null ? "the response time" : pre.cutoff().toString());
        }
    },

    /**
     * Denies the role's credentials issued to one instance, under a name per instance. The role's other instances
     * and services keep working, so the role's blast radius does not gate this deny.
     */
    INSTANCE_CREDENTIALS(CredentialRouter.REVOKE_INSTANCE_CREDENTIALS, RoleSessionStep.DENY_INSTANCE_CREDENTIALS,
            false) {
        @Override
        String policyName(String instanceId) {
            return "quell-revoke-instance-" + instanceId;
        }

        @Override
        String document(RolePreState pre) {
            return PolicyDocuments.denyInstanceCredentials(pre.partition(), pre.account(), pre.instanceId());
        }

        @Override
        String describe(RolePreState pre) {
            return "role " + pre.roleName() + "'s credentials issued to instance " + pre.instanceId();
        }
    };

    private final String action;
    private final RoleSessionStep step;
    private final boolean gatedByBlastRadius;

    DenyKind(String action, RoleSessionStep step, boolean gatedByBlastRadius) {
        this.action = action;
        this.step = step;
        this.gatedByBlastRadius = gatedByBlastRadius;
    }

    String action() {
        return action;
    }

    RoleSessionStep step() {
        return step;
    }

    /** Returns whether a role used by more than {@code credentials.maxRoleBlastRadius} resources is only planned. */
    boolean gatedByBlastRadius() {
        return gatedByBlastRadius;
    }

    /** Returns the inline policy name the deny goes into. */
    abstract String policyName(String instanceId);

    /** Returns the deny's document, the same on every run of one response. */
    abstract String document(RolePreState pre);

    /** Returns what the deny covers, in words for results. */
    abstract String describe(RolePreState pre);
}
