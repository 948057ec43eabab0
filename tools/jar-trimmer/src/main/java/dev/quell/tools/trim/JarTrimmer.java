package dev.quell.tools.trim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Removes from a shaded Lambda jar the AWS SDK classes the function can never load: the async clients, async
 * paginators and waiters, and for every operation the function does not call, its marshaller, its response and
 * its builders. Model classes (shapes, enums, exceptions) stay only when a kept class refers to them. The request
 * class of every operation stays, because linking the sync client loads them all (see
 * {@link SdkEntries.Kind#LINK_ONLY}).
 *
 * <p>The operations the function calls are found in the jar itself: every operation whose request or response
 * class is named by a class outside the generated clients and models. A call through a client names the response
 * type in its method descriptor, so the function's own calls, and those of SDK helpers such as the STS
 * credential providers, are all found. {@code --operations} adds operations to keep beyond those.
 *
 * <p>Usage: {@code JarTrimmer --jar JAR --full-copy COPY [--operations SERVICE:Operation,...]}. The jar is
 * rewritten in place, after it was copied whole to {@code COPY}, so that a test can compare both. Services are
 * named by their SDK package ({@code ec2}, {@code elasticloadbalancingv2}).
 */
public final class JarTrimmer {

    private JarTrimmer() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        Path jar = Path.of(required(options, "--jar"));
        Path fullCopy = Path.of(required(options, "--full-copy"));
        String extra = options.get("--operations");
        Map<String, Set<String>> operations = extra == null || extra.isBlank() ? Map.of() : parseOperations(extra);
        Files.copy(jar, fullCopy, StandardCopyOption.REPLACE_EXISTING);
        Summary summary = trim(fullCopy, jar, operations);
        System.out.printf("jar-trimmer: %s: %d of %d entries kept, %d bytes (was %d); %d client methods of"
                + " uncalled operations removed; %d request classes kept only for linking; operations kept: %s%n",
                jar.getFileName(), summary.keptEntries(), summary.entries(), Files.size(jar), Files.size(fullCopy),
                summary.strippedMethods(), summary.linkOnly(), summary.called());
    }

    /** Counts of one trim, and the operations whose classes were kept, by service. */
    record Summary(int entries, int keptEntries, int linkOnly, int strippedMethods,
            Map<String, Set<String>> called) {
    }

    /**
     * Writes to {@code output} the entries of {@code input} that the function may load, in their original order.
     *
     * @param extra operations to keep beyond those the jar's classes call, by service
     * @throws IllegalArgumentException when an extra operation has no marshaller in the jar
     */
    static Summary trim(Path input, Path output, Map<String, Set<String>> extra) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, Long> times = new HashMap<>();
        readEntries(input, entries, times);
        Map<String, Set<String>> operations = operationsIn(entries.keySet());
        checkCalled(extra, operations);
        Map<String, Set<String>> called = calledOperations(entries, operations);
        extra.forEach((service, names) -> called.computeIfAbsent(service, ignored -> new TreeSet<>()).addAll(names));
        int strippedMethods = stripClients(entries, operations, called);
        Map<String, SdkEntries.Kind> kinds = new HashMap<>();
        entries.keySet().stream().filter(JarTrimmer::isClass)
                .forEach(name -> kinds.put(name, SdkEntries.classify(name, operations, called)));
        Set<String> kept = reachable(entries, kinds);
        int linkOnly = (int) kept.stream().filter(name -> kinds.get(name) == SdkEntries.Kind.LINK_ONLY).count();
        int written = 0;
        try (OutputStream file = Files.newOutputStream(output);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            for (var entry : entries.entrySet()) {
                if (isClass(entry.getKey()) && !kept.contains(entry.getKey())) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(entry.getKey());
                copy.setTime(times.get(entry.getKey()));
                zip.putNextEntry(copy);
                zip.write(entry.getValue());
                zip.closeEntry();
                written++;
            }
        }
        return new Summary(entries.size(), written, linkOnly, strippedMethods, called);
    }

    /**
     * Rewrites each sync client in place without the methods that name a class the trimmer removes or keeps only
     * for linking: the uncalled operations, and the waiters. Returns how many methods went.
     */
    private static int stripClients(Map<String, byte[]> entries, Map<String, Set<String>> operations,
            Map<String, Set<String>> called) {
        int removed = 0;
        for (var entry : entries.entrySet()) {
            if (!SdkEntries.isSyncClient(entry.getKey())) {
                continue;
            }
            ClientMethods.Stripped stripped = ClientMethods.strip(entry.getValue(), name -> {
                SdkEntries.Kind kind = SdkEntries.classify(name + ".class", operations, called);
                return kind == SdkEntries.Kind.LINK_ONLY || kind == SdkEntries.Kind.REMOVED;
            });
            entry.setValue(stripped.classFile());
            removed += stripped.removedMethods();
        }
        return removed;
    }

    /**
     * Returns the operations a class that may call a client names by more than the bare request class: by the
     * response (which a call names in its method descriptor), a builder, or the marshaller. Such a class is any
     * class except the services' generated clients, models, marshallers, paginators and waiters. A class that
     * names only a request class tests a request's type ({@code instanceof}), as EC2's timestamp interceptor does
     * for the Spot Fleet operations; the request class stays for it as a link-only class.
     */
    private static Map<String, Set<String>> calledOperations(Map<String, byte[]> entries,
            Map<String, Set<String>> operations) {
        Map<String, Set<String>> called = new TreeMap<>();
        entries.forEach((name, bytes) -> {
            if (!isClass(name) || SdkEntries.isGenerated(name)) {
                return;
            }
            for (String reference : ClassReferences.of(bytes)) {
                String entry = reference + ".class";
                SdkEntries.Operation operation = SdkEntries.operationClass(entry, operations);
                String marshalled = SdkEntries.marshalledOperation(entry);
                if (marshalled != null) {
                    operation = new SdkEntries.Operation(SdkEntries.serviceOf(entry), marshalled);
                } else if (operation != null && reference.endsWith("/model/" + operation.name() + "Request")) {
                    continue;
                }
                if (operation != null) {
                    called.computeIfAbsent(operation.service(), ignored -> new TreeSet<>()).add(operation.name());
                }
            }
        });
        return called;
    }

    /** Returns the roots and every class reachable from them, stopping at link-only and removed classes. */
    private static Set<String> reachable(Map<String, byte[]> entries, Map<String, SdkEntries.Kind> kinds) {
        Set<String> kept = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        kinds.forEach((name, kind) -> {
            if (kind == SdkEntries.Kind.ROOT) {
                pending.add(name);
            }
        });
        while (!pending.isEmpty()) {
            String name = pending.poll();
            if (!kept.add(name)) {
                continue;
            }
            SdkEntries.Kind kind = kinds.get(name);
            if (kind == SdkEntries.Kind.LINK_ONLY) {
                continue;
            }
            for (String reference : ClassReferences.of(entries.get(name))) {
                String entry = reference + ".class";
                SdkEntries.Kind referenced = kinds.get(entry);
                if (referenced != null && referenced != SdkEntries.Kind.REMOVED && !kept.contains(entry)) {
                    pending.add(entry);
                }
            }
        }
        return kept;
    }

    private static Map<String, Set<String>> operationsIn(Set<String> names) {
        Map<String, Set<String>> operations = new TreeMap<>();
        for (String name : names) {
            String operation = SdkEntries.marshalledOperation(name);
            if (operation != null) {
                String service = SdkEntries.serviceOf(name);
                operations.computeIfAbsent(service, ignored -> new TreeSet<>()).add(operation);
            }
        }
        return operations;
    }

    private static void checkCalled(Map<String, Set<String>> called, Map<String, Set<String>> operations) {
        List<String> missing = new ArrayList<>();
        called.forEach((service, names) -> names.forEach(name -> {
            if (!operations.getOrDefault(service, Set.of()).contains(name)) {
                missing.add(service + ":" + name);
            }
        }));
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no marshaller in the jar for " + missing + "; check the service"
                    + " package name and the operation's spelling, or add the service's SDK module");
        }
    }

    /** Parses {@code service:Operation} pairs separated by commas or white space. */
    static Map<String, Set<String>> parseOperations(String text) {
        Map<String, Set<String>> called = new TreeMap<>();
        for (String pair : text.trim().split("[,\\s]+")) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("operations must be SERVICE:Operation; got '" + pair + "'");
            }
            called.computeIfAbsent(pair.substring(0, colon), ignored -> new TreeSet<>())
                    .add(pair.substring(colon + 1));
        }
        return called;
    }

    /** Reads every entry's bytes and modification time, keeping the order, so the output is reproducible. */
    private static void readEntries(Path jar, Map<String, byte[]> entries, Map<String, Long> times)
            throws IOException {
        try (InputStream file = Files.newInputStream(jar);
                ZipInputStream zip = new ZipInputStream(file)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), zip.readAllBytes());
                times.put(entry.getName(), entry.getTime());
            }
        }
    }

    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing option " + name
                    + "; usage: JarTrimmer --jar JAR --full-copy COPY [--operations SERVICE:Operation,...]");
        }
        return value;
    }
}
