package dev.quell.bench;

import java.nio.file.Path;
import java.util.Map;

/** One responder that the harness runs on a finding: a configuration of Quell's function, or the peer. */
sealed interface Participant {

    String name();

    /**
     * Quell's isolation function from a deployment jar, in a fresh JVM per cold run.
     *
     * @param javaToolOptions the JVM options a Lambda function would set in {@code JAVA_TOOL_OPTIONS}, or empty
     * @param environment further environment variables of the function, such as {@code QUELL_PRIME=false}
     */
    record Quell(String name, Path jar, String javaToolOptions, Map<String, String> environment)
            implements Participant {
    }

    /**
     * The baseline responder, run as a whole process with {@code --endpoint-url URL --region REGION EVENT} appended
     * to its command.
     */
    record Peer(String command) implements Participant {

        @Override
        public String name() {
            return "peer";
        }
    }
}
