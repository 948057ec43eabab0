package dev.quell.bench.launch;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a Lambda handler the way the Java runtime does, in a JVM whose class path holds only this class and the
 * deployment jar: it instantiates the handler class through its no-arg constructor, then passes each event file to
 * {@code handleRequest} in turn, with no {@code Context}.
 *
 * <p>It prints one JSON line per milestone on standard output, with wall-clock epoch milliseconds:
 * {@code {"bench":"ready",...}} when the constructor returned, and {@code {"bench":"response",...}} with the start
 * and end of each event, with the handler's output or, when it threw, the exception (the runtime would report it and
 * the event would be retried; the launcher goes on with the next event). After the first response it loads
 * {@link FirstResponse}, so that a class loading log
 * ({@code -Xlog:class+load}) shows which classes the first response needed: those logged before that class.
 *
 * <p>Usage: {@code java -cp launcher.jar:function.jar dev.quell.bench.launch.LambdaLauncher HANDLER EVENT...}
 */
public final class LambdaLauncher {

    private LambdaLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LambdaLauncher HANDLER_CLASS EVENT_FILE [EVENT_FILE...]");
            System.exit(2);
        }
        long mainEntered = System.currentTimeMillis();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        long ready = System.currentTimeMillis();
        System.out.println("{\"bench\":\"ready\",\"mainEpochMillis\":" + mainEntered + ",\"readyEpochMillis\":"
                + ready + "}");
        for (int i = 1; i < args.length; i++) {
            byte[] event = Files.readAllBytes(Path.of(args[i]));
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            long start = System.currentTimeMillis();
            String result;
            try (InputStream input = new java.io.ByteArrayInputStream(event)) {
                handler.handleRequest(input, output, null);
                result = "\"output\":" + output.toString(java.nio.charset.StandardCharsets.UTF_8);
            } catch (Exception e) {
                result = "\"error\":\"" + escape(e.getClass().getName() + ": " + e.getMessage()) + "\"";
            }
            long end = System.currentTimeMillis();
            System.out.println("{\"bench\":\"response\",\"index\":" + (i - 1) + ",\"startEpochMillis\":" + start
                    + ",\"endEpochMillis\":" + end + "," + result + "}");
            if (i == 1) {
                FirstResponse.mark();
            }
        }
        System.out.flush();
        // The handler's executor threads are daemons; exit at once, as the runtime freezes the process.
        System.exit(0);
    }

    /** Returns the text as the inside of a JSON string. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The marker class in the class loading log; nothing else refers to it. */
    static final class FirstResponse {

        private FirstResponse() {
        }

        static void mark() {
            // Loading and initializing this class is the mark.
        }
    }
}
