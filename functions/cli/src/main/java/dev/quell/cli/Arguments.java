package dev.quell.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The command line, split into a command, positional arguments and {@code --option value} pairs. */
record Arguments(String command, List<String> positional, Map<String, String> options) {

    private static final Set<String> FLAGS = Set.of("--dry-run", "--help");
    private static final Set<String> VALUE_OPTIONS = Set.of("--endpoint-url", "--region", "--output", "--policy",
            "--account", "--ledger-table", "--event-bus", "--reason", "--slack-webhook", "--member-role");

    /**
     * Splits the arguments.
     *
     * @throws UsageException when an option that takes a value has none
     */
    static Arguments parse(String[] args) {
        if (args.length == 0) {
            throw new UsageException("missing command");
        }
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (FLAGS.contains(arg)) {
                options.put(arg, "true");
            } else if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("--")) {
                if (!VALUE_OPTIONS.contains(arg)) {
                    throw new UsageException("unknown option " + arg);
                }
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + arg + " needs a value");
                }
                options.put(arg, args[++i]);
            } else {
                positional.add(arg);
            }
        }
        return new Arguments(args[0], positional, options);
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /**
     * Returns {@code --endpoint-url} as an absolute {@code http} or {@code https} URL, when given.
     *
     * @throws UsageException when the value is not such a URL
     */
    Optional<URI> endpoint() {
        String value = options.get("--endpoint-url");
        if (value == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UsageException("--endpoint-url must be an http or https URL with a host, such as"
                + " http://127.0.0.1:5000; got " + value);
    }

    /** Rejects options the command does not know. */
    void allowOnly(Set<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new UsageException("unknown option " + name + " for " + command);
            }
        }
    }

    /** Raised for a command line Quell cannot run; the message says what was wrong. */
    static final class UsageException extends RuntimeException {

        UsageException(String message) {
            super(message);
        }
    }
}
