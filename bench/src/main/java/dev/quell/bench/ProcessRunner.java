package dev.quell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one participant as a process on one or more findings and reads its milestones from its output. Every time
 * is in wall-clock epoch milliseconds, and Quell's are measured from the moment the harness started the process.
 */
final class ProcessRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HANDLER = "dev.quell.isolate.IsolateInstanceHandler";
    private static final String LAUNCHER = "dev.quell.bench.launch.LambdaLauncher";
    private static final long TIMEOUT_SECONDS = 600;

    private final Path launcherJar;
    private final String policyJson;

    ProcessRunner(Path launcherJar, String policyJson) {
        this.launcherJar = launcherJar;
        this.policyJson = policyJson;
    }

    /**
     * One response of Quell's function, as the launcher and the responder's log line reported it.
     *
     * @param output the handler's output, or empty when it threw
     * @param error the exception the handler threw, or {@code null}
     */
    record Response(long startMillis, long endMillis, Long networkIsolatedMillis, String output, String error) {

        boolean contained() {
            return error == null && output.contains("\"CONTAINED\"");
        }
    }

    /** A Quell process: when it started, when the handler was ready, each response, and when it exited. */
    record QuellRun(long spawnMillis, long readyMillis, List<Response> responses, long exitMillis, String stderr) {
    }

    /** A peer process: its own JSON line (seconds from its interpreter's start) and its wall time. */
    record PeerRun(long spawnMillis, long exitMillis, double networkIsolatedSeconds, double doneSeconds,
            int awsCalls, Double warmMedianSeconds) {
    }

    /**
     * Runs Quell's function on the events in one JVM.
     *
     * @param classLog where to write the JVM's class loading log, or {@code null} for none
     */
    QuellRun runQuell(Participant.Quell quell, URI endpoint, List<Path> events, Path classLog) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp",
                launcherJar + java.io.File.pathSeparator + quell.jar()));
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.add(LAUNCHER);
        command.add(HANDLER);
        events.forEach(event -> command.add(event.toString()));

        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = cleanEnvironment(builder);
        env.put("QUELL_ENDPOINT_URL", endpoint.toString());
        env.put("QUELL_HOME_ACCOUNT", dev.quell.testkit.SeededAccount.ACCOUNT);
        env.put("QUELL_LEDGER_TABLE", BenchAccount.LEDGER_TABLE);
        env.put("QUELL_EVENT_BUS", BenchAccount.EVENT_BUS);
        env.put("QUELL_POLICY", policyJson);
        env.putAll(quell.environment());

        if (!quell.javaToolOptions().isBlank()) {
            env.put("JAVA_TOOL_OPTIONS", quell.javaToolOptions());
        }
        Execution execution = execute(builder);

        long ready = 0;
        List<Response> responses = new ArrayList<>();
        List<Long> isolations = new ArrayList<>();
        for (String line : execution.stdout()) {
            JsonNode node = parse(line);
            if (node == null) {
                continue;
            }
            if ("ready".equals(node.path("bench").asText())) {
                ready = node.get("readyEpochMillis").asLong();
            } else if ("response".equals(node.path("bench").asText())) {
                Long isolated = isolations.size() > responses.size() ? isolations.get(responses.size()) : null;
                responses.add(new Response(node.get("startEpochMillis").asLong(), node.get("endEpochMillis").asLong(),
                        isolated, node.has("output") ? node.get("output").toString() : "",
                        node.has("error") ? node.get("error").asText() : null));
            } else if ("network isolated".equals(node.path("message").asText())) {
                while (isolations.size() < responses.size()) {
                    isolations.add(null);
                }
                isolations.add(node.get("networkIsolatedAtEpochMillis").asLong());
            }
        }
        if (execution.exitCode() != 0 || responses.size() != events.size()) {
            throw new IllegalStateException("Quell (" + quell.name() + ") exited with code " + execution.exitCode()
                    + " after " + responses.size() + " of " + events.size() + " responses; its standard error:\n"
                    + execution.stderr());
        }
        return new QuellRun(execution.spawnMillis(), ready, responses, execution.exitMillis(), execution.stderr());
    }

    /** Runs the peer's command on one event, handled {@code repeat} times. */
    PeerRun runPeer(Participant.Peer peer, URI endpoint, Path event, int repeat) {
        String script = "exec " + peer.command() + " --endpoint-url \"$1\" --region \"$2\" --repeat \"$3\" \"$4\"";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script, "peer", endpoint.toString(),
                BenchAccount.REGION, Integer.toString(repeat), event.toString());
        cleanEnvironment(builder);
        Execution execution = execute(builder);
        JsonNode result = execution.stdout().stream().map(ProcessRunner::parse)
                .filter(node -> node != null && node.has("network_isolated_s")).reduce((a, b) -> b).orElse(null);
        if (execution.exitCode() != 0 || result == null) {
            throw new IllegalStateException("the peer exited with code " + execution.exitCode()
                    + " without its JSON line; its standard error:\n" + execution.stderr());
        }
        return new PeerRun(execution.spawnMillis(), execution.exitMillis(), result.get("network_isolated_s").asDouble(),
                result.get("response_done_s").asDouble(), result.path("aws_calls").asInt(),
                result.has("warm_median_s") ? result.get("warm_median_s").asDouble() : null);
    }

    /**
     * The peer's warm run over several events in one process, through {@code bench/peer_warm.py}: seconds per
     * event after the first, to its return and to network isolation, and how many events raised.
     */
    record PeerWarmRun(List<Double> perEventSeconds, List<Double> networkIsolatedSeconds, int failed) {
    }

    /**
     * Runs the peer's script through the warm driver, which loads it as a module and calls its handler once per
     * event, as a warm Lambda environment would. Returns {@code null} when the peer's command names no
     * {@code .py} script.
     */
    PeerWarmRun runPeerWarm(Participant.Peer peer, Path driver, URI endpoint, List<Path> events) {
        String[] words = peer.command().trim().split("\\s+");
        String script = null;
        for (String word : words) {
            if (word.endsWith(".py")) {
                script = word;
            }
        }
        if (script == null) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of(words[0], driver.toString(), script, "--endpoint-url",
                endpoint.toString(), "--region", BenchAccount.REGION));
        events.forEach(event -> command.add(event.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        cleanEnvironment(builder);
        Execution execution = execute(builder);
        JsonNode result = execution.stdout().stream().map(ProcessRunner::parse)
                .filter(node -> node != null && node.has("per_event_s")).reduce((a, b) -> b).orElse(null);
        if (execution.exitCode() != 0 || result == null) {
            throw new IllegalStateException("the peer's warm driver exited with code " + execution.exitCode()
                    + " without its JSON line; its standard error:\n" + execution.stderr());
        }
        return new PeerWarmRun(doubles(result.get("per_event_s")), doubles(result.get("network_isolated_s")),
                result.path("failed").asInt());
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asDouble()));
        return values;
    }

    private static Map<String, String> cleanEnvironment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("QUELL_")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("_JAVA_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_REGION", BenchAccount.REGION);
        env.put("AWS_DEFAULT_REGION", BenchAccount.REGION);
        return env;
    }

    private record Execution(long spawnMillis, long exitMillis, int exitCode, List<String> stdout, String stderr) {
    }

    private static Execution execute(ProcessBuilder builder) {
        try {
            Path errors = Files.createTempFile("quell-bench-stderr", ".txt");
            builder.redirectError(errors.toFile());
            long spawn = System.currentTimeMillis();
            Process process = builder.start();
            Thread watchdog = new Thread(() -> {
                if (!waitQuietly(process)) {
                    process.destroyForcibly();
                }
            }, "bench-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("process " + builder.command().get(0) + " timed out after "
                        + TIMEOUT_SECONDS + " s");
            }
            long exit = System.currentTimeMillis();
            String stderr = Files.readString(errors);
            Files.delete(errors);
            return new Execution(spawn, exit, process.exitValue(), lines, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + builder.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + builder.command().get(0), e);
        }
    }

    /** Returns whether the process exited within the timeout. */
    private static boolean waitQuietly(Process process) {
        try {
            return process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
