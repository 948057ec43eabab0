package dev.quell.isolate;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a handler as the Lambda Java runtime does: through the no-arg constructor of the named class, then one
 * {@code handleRequest} per event file, with no {@code Context}. It prints each response on standard output. It
 * refers to nothing but the Lambda interface, so a JVM can run it with only a deployment jar on the class path.
 *
 * <p>Usage: {@code LambdaMain HANDLER_CLASS EVENT_FILE...}
 */
public final class LambdaMain {

    private LambdaMain() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        for (int i = 1; i < args.length; i++) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (InputStream input = Files.newInputStream(Path.of(args[i]))) {
                handler.handleRequest(input, output, null);
            }
            System.out.println(output.toString(StandardCharsets.UTF_8));
        }
        // The handler's executor threads are daemons; exit at once, as the runtime freezes the process.
        System.exit(0);
    }
}
