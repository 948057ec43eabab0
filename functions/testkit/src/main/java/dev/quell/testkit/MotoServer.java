package dev.quell.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A {@code moto_server} process on a free loopback port, started through a launcher that makes moto report each
 * network interface's own security groups, as EC2 does.
 *
 * <p>The Python interpreter is {@code python3} unless the {@code QUELL_PYTHON} environment variable names another.
 */
public final class MotoServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static MotoServer shared;

    private final Process process;
    private final URI endpoint;
    private final Path launcher;

    private MotoServer(Process process, URI endpoint, Path launcher) {
        this.process = process;
        this.endpoint = endpoint;
        this.launcher = launcher;
    }

    /**
     * Starts a server and waits until it answers HTTP.
     *
     * @throws IllegalStateException when moto is not installed or does not start within 60 seconds
     */
    public static MotoServer start() {
        Path launcher = extractLauncher();
        int port = freePort();
        String python = System.getenv().getOrDefault("QUELL_PYTHON", "python3");
        ProcessBuilder builder = new ProcessBuilder(List.of(python, launcher.toString(), Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + python + " to start moto_server; install Python 3"
                    + " and moto[server] 5.2, or set QUELL_PYTHON", e);
        }
        MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port), launcher);
        server.awaitReady();
        return server;
    }

    /** Returns one server for the whole JVM, started on first use and stopped when the JVM exits. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Deletes every resource in every account and region, through moto's own reset API. */
    public void reset() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL()
                    .openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.getOutputStream().close();
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset returned HTTP " + connection.getResponseCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto reset failed at " + endpoint, e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(launcher);
        } catch (IOException ignored) {
            // A leftover launcher in the temporary directory is harmless.
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with code " + process.exitValue()
                        + " before it was ready; check that `python3 -c 'import moto.server'` works");
            }
            if (answers()) {
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        close();
        throw new IllegalStateException("moto_server did not answer at " + endpoint + " within " + START_TIMEOUT);
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL()
                    .openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path extractLauncher() {
        try (InputStream in = MotoServer.class.getResourceAsStream("moto_launcher.py")) {
            if (in == null) {
                throw new IllegalStateException("moto_launcher.py is missing from the class path");
            }
            Path file = Files.createTempFile("quell-moto-launcher", ".py");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the moto launcher to the temporary directory", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for moto_server", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto_server", e);
        }
    }
}
