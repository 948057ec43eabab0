package dev.quell.isolate;

import dev.quell.core.runtime.FunctionContext;

/** Builds the instance responder from a function context, for the Lambda handler and the command line alike. */
public final class IsolationFunction {

    private IsolationFunction() {
    }

    public static InstanceResponder responder(FunctionContext context) {
        return new InstanceResponder(context.clients(), context.ledger(), context.budget(), context.publisher(),
                context.settings().policy(), context.executor(), context.settings().lease(), context.clock());
    }
}
