package dev.quell.core.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.json.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * Structured JSON logs, one object a line, with the finding id as correlation id. Lambda sends standard output
 * to CloudWatch Logs, so no logging framework is needed, and none adds to cold start.
 *
 * <p>Callers pass fields explicitly. Never pass a whole event, a secret or a request body: findings carry
 * sensitive data, and log readers are a wider audience than responders.
 */
public final class Log {

    private static volatile PrintStream out = System.out;
    private static volatile boolean infoEnabled = true;

    private final String logger;

    private Log(String logger) {
        this.logger = logger;
    }

    public static Log of(Class<?> owner) {
        return new Log(owner.getSimpleName());
    }

    /** Sends logs to another stream; the command line sends them to standard error. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    /** Turns INFO lines on or off; the command line turns them off unless asked to be verbose. */
    public static void infoEnabled(boolean enabled) {
        infoEnabled = enabled;
    }

    public void info(String message, String correlationId, Map<String, ?> fields) {
        if (!infoEnabled) {
            return;
        }
        write("INFO", message, correlationId, fields, null);
    }

    public void warn(String message, String correlationId, Map<String, ?> fields) {
        write("WARN", message, correlationId, fields, null);
    }

    public void error(String message, String correlationId, Map<String, ?> fields, Throwable error) {
        write("ERROR", message, correlationId, fields, error);
    }

    private void write(String level, String message, String correlationId, Map<String, ?> fields, Throwable error) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("logger", logger);
        line.put("message", message);
        if (correlationId != null) {
            line.put("correlation_id", correlationId);
        }
        fields.forEach((key, value) -> line.set(key, Json.mapper().valueToTree(value)));
        if (error != null) {
            line.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        }
        try {
            out.println(Json.mapper().writeValueAsString(line));
        } catch (JsonProcessingException e) {
            out.println("{\"level\":\"ERROR\",\"message\":\"log line could not be written as JSON\"}");
        }
    }
}
