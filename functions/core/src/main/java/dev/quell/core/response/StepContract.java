package dev.quell.core.response;

import java.util.List;
import java.util.TreeSet;

/**
 * What a containment step is: a stable name, the IAM actions it calls, and whether it changes anything. The CDK
 * app grants each function exactly the union of its steps' actions, and a test compares the two.
 *
 * @param name the stable name results and the ledger use
 * @param iamActions the IAM actions the step's API calls need, as {@code service:Action}
 * @param mutating whether the step changes a resource (a read-only step runs in plans too)
 * @param description what the step does, in a sentence
 */
public record StepContract(String name, List<String> iamActions, boolean mutating, String description) {

    public StepContract {
        iamActions = List.copyOf(iamActions);
    }

    /** Returns the sorted union of the IAM actions of the contracts, each action once. */
    public static List<String> actionsOf(List<StepContract> contracts) {
        TreeSet<String> actions = new TreeSet<>();
        contracts.forEach(contract -> actions.addAll(contract.iamActions()));
        return List.copyOf(actions);
    }
}
