package dev.quell.core.policy;

/**
 * Options of the credential actions.
 *
 * @param removeConsoleLogin delete the user's console password when quarantining a key (off by default)
 * @param maxRoleBlastRadius a role used by more resources than this is only planned unless its playbook enforces
 */
public record CredentialOptions(Boolean removeConsoleLogin, Integer maxRoleBlastRadius) {

    public static final CredentialOptions DEFAULT = new CredentialOptions(false, 5);

    public CredentialOptions {
        removeConsoleLogin = removeConsoleLogin != null && removeConsoleLogin;
        maxRoleBlastRadius = maxRoleBlastRadius == null ? 5 : maxRoleBlastRadius;
    }
}
