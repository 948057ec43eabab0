package dev.quell.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The harness's command-line options; {@link Harness#USAGE} describes them. */
record Options(Path repo, Path launcher, List<Participant.Quell> variants, String peerCommand, int runs, int warm,
        long delayMillis, Path out, String command, Path requestLog) {

    static final String TEMPLATE = "events/guardduty-crypto-mining.json";

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException naming the option that is missing or invalid
     */
    static Options parse(String[] args) {
        Path repo = null;
        Path launcher = null;
        List<Participant.Quell> variants = new ArrayList<>();
        String peer = null;
        int runs = 20;
        int warm = 200;
        long delay = 50;
        String out = "docs/benchmarks.md";
        String command = null;
        Path requestLog = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--repo" -> repo = Path.of(value).toAbsolutePath();
                case "--launcher" -> launcher = Path.of(value).toAbsolutePath();
                case "--variant" -> variants.add(variant(value));
                case "--peer" -> peer = value;
                case "--runs" -> runs = positive(name, value);
                case "--warm" -> warm = Integer.parseInt(value);
                case "--delay-ms" -> delay = positive(name, value);
                case "--out" -> out = value;
                case "--command" -> command = value;
                case "--request-log" -> requestLog = Path.of(value).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (repo == null || !Files.isRegularFile(repo.resolve(TEMPLATE))) {
            throw new IllegalArgumentException("--repo must name the repository root, which holds " + TEMPLATE);
        }
        if (launcher == null || !Files.isRegularFile(launcher)) {
            throw new IllegalArgumentException("--launcher must name the launcher jar; got " + launcher);
        }
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("give at least one --variant NAME=JAR");
        }
        if (warm == 1 || warm < 0) {
            throw new IllegalArgumentException("--warm must be 0 or at least 2; got " + warm);
        }
        return new Options(repo, launcher, List.copyOf(variants), peer, runs, warm, delay, repo.resolve(out),
                command == null ? String.join(" ", args) : command, requestLog);
    }

    /** Returns the variants, then the peer when there is one. */
    List<Participant> participants() {
        List<Participant> all = new ArrayList<>(variants);
        if (peerCommand != null && !peerCommand.isBlank()) {
            all.add(new Participant.Peer(peerCommand));
        }
        return all;
    }

    Path template() {
        return repo.resolve(TEMPLATE);
    }

    /** Parses {@code NAME=JAR[|JAVA_TOOL_OPTIONS[|KEY=VALUE...]]}; the environment pairs are space-separated. */
    static Participant.Quell variant(String spec) {
        int equals = spec.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--variant must be NAME=JAR[|JAVA_TOOL_OPTIONS[|KEY=VALUE...]]; got "
                    + spec);
        }
        String name = spec.substring(0, equals);
        String[] fields = spec.substring(equals + 1).split("\\|", -1);
        Path jar = Path.of(fields[0]).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("the jar of variant " + name + " does not exist: " + jar);
        }
        String javaOptions = fields.length > 1 ? fields[1].trim() : "";
        Map<String, String> environment = new LinkedHashMap<>();
        if (fields.length > 2) {
            for (String pair : fields[2].trim().split("\\s+")) {
                int at = pair.indexOf('=');
                if (at <= 0) {
                    throw new IllegalArgumentException("variant " + name + ": environment entries must be KEY=VALUE;"
                            + " got " + pair);
                }
                environment.put(pair.substring(0, at), pair.substring(at + 1));
            }
        }
        return new Participant.Quell(name, jar, javaOptions, Map.copyOf(environment));
    }

    private static int positive(String name, String value) {
        int parsed = Integer.parseInt(value);
        if (parsed <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number; got " + value);
        }
        return parsed;
    }
}
