package dev.quell.core.policy;

import java.util.Set;

/**
 * Options of the instance isolation action.
 *
 * @param twoStepSwap move each interface to an all-allow group before the isolation group, which turns tracked
 *     connections untracked so that the isolation group cuts them; turn off only for testing
 * @param autoScaling {@code detach} to detach the instance from its Auto Scaling group (the group launches a
 *     replacement), {@code standby} to move it to standby (the group keeps its capacity and launches none)
 * @param snapshots snapshot every attached EBS volume
 * @param revokeInstanceCredentials deny the instance's role credentials already handed to this instance, and
 *     disassociate its instance profile
 */
public record IsolationOptions(
        Boolean twoStepSwap, String autoScaling, Boolean snapshots, Boolean revokeInstanceCredentials) {

    public static final IsolationOptions DEFAULT = new IsolationOptions(true, "detach", true, true);

    public IsolationOptions {
        twoStepSwap = twoStepSwap == null || twoStepSwap;
        autoScaling = autoScaling == null ? "detach" : autoScaling;
        snapshots = snapshots == null || snapshots;
        revokeInstanceCredentials = revokeInstanceCredentials == null || revokeInstanceCredentials;
    }

    void validate(String origin) {
        Policy.require(Set.of("detach", "standby").contains(autoScaling),
                "policy " + origin + ": isolation.autoScaling must be \"detach\" or \"standby\"");
    }
}
