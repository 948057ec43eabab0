package dev.quell.infra;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Token;

/**
 * A function's environment variables, with the size check Lambda applies at deploy: the keys and values of all
 * variables together may take at most 4 KB. Checking at synth turns a failed deploy into a clear message.
 */
public final class LambdaEnvironment {

    /** Lambda's limit on the total size of a function's environment variables, keys and values in bytes. */
    public static final int MAX_BYTES = 4096;

    private final String functionName;
    private final Map<String, String> values = new TreeMap<>();
    private int bytes;

    public LambdaEnvironment(String functionName) {
        this.functionName = functionName;
    }

    /**
     * Adds a variable whose value is known at synth.
     *
     * @throws IllegalArgumentException when the value is a token, whose size is unknown at synth
     */
    public LambdaEnvironment put(String key, String value) {
        if (Token.isUnresolved(value)) {
            throw new IllegalArgumentException("environment variable " + key + " of " + functionName
                    + " is only known at deploy; add it with putDeployTime and its maximum size");
        }
        return add(key, value, utf8Length(value));
    }

    /**
     * Adds a variable whose value is only known at deploy, such as an ARN, counted at its maximum size.
     *
     * @param maxBytes the largest size the value can have once deployed
     */
    public LambdaEnvironment putDeployTime(String key, String value, int maxBytes) {
        return add(key, value, maxBytes);
    }

    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Returns the size Lambda counts, keys and values in bytes, with deploy-time values at their maximum. */
    public int sizeInBytes() {
        return bytes;
    }

    private LambdaEnvironment add(String key, String value, int valueBytes) {
        int size = bytes + utf8Length(key) + valueBytes;
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("the environment of function " + functionName + " would take "
                    + size + " bytes with " + key + ", over Lambda's limit of " + MAX_BYTES + " bytes; "
                    + (key.equals(ResponderFunction.POLICY_VARIABLE)
                            ? "shorten the policy (fewer playbooks, patterns or exemptions)"
                            : "shorten the value of " + key));
        }
        values.put(key, value);
        bytes = size;
        return this;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
