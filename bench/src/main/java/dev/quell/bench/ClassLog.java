package dev.quell.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a JVM class loading log ({@code -Xlog:class+load}) up to the launcher's first-response mark. */
final class ClassLog {

    private static final String MARK = "dev.quell.bench.launch.LambdaLauncher$FirstResponse";

    private ClassLog() {
    }

    /**
     * Classes loaded before the first response ended.
     *
     * @param loaded every class loaded before the mark
     * @param bySource the same count by where each class came from: the JDK's shared archive, the JDK's modules,
     *     or the jar
     * @param byPackageGroup the classes loaded from the jar, by the first four segments of their package
     */
    record Summary(int loaded, Map<String, Integer> bySource, Map<String, Integer> byPackageGroup) {
    }

    static Summary summarize(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the class loading log " + log, e);
        }
        int loaded = 0;
        Map<String, Integer> bySource = new TreeMap<>();
        Map<String, Integer> byPackage = new TreeMap<>();
        for (String line : lines) {
            int tagEnd = line.indexOf("] ", line.indexOf("class,load"));
            int sourceAt = line.indexOf(" source: ");
            if (tagEnd < 0 || sourceAt < 0) {
                continue;
            }
            String name = line.substring(tagEnd + 2, sourceAt);
            if (name.equals(MARK)) {
                break;
            }
            loaded++;
            String source = source(line.substring(sourceAt + " source: ".length()));
            bySource.merge(source, 1, Integer::sum);
            if (source.equals("jar")) {
                byPackage.merge(packageGroup(name), 1, Integer::sum);
            }
        }
        return new Summary(loaded, bySource, byPackage);
    }

    private static String source(String text) {
        if (text.startsWith("shared objects file")) {
            return text.contains("top") ? "application class data archive" : "JDK class data archive";
        }
        if (text.startsWith("jrt:/")) {
            return "JDK modules";
        }
        if (text.startsWith("file:") || text.startsWith("jar:")) {
            return "jar";
        }
        return "generated at run time";
    }

    private static String packageGroup(String className) {
        String[] parts = className.split("\\.");
        int keep = Math.min(parts.length - 1, className.startsWith("software.amazon.awssdk.services.") ? 5 : 4);
        return String.join(".", java.util.Arrays.copyOf(parts, keep));
    }
}
