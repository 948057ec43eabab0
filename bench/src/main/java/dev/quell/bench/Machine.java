package dev.quell.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a session ran on, read from {@code /proc} and the tools' own version output.
 *
 * @param loadAverage the 1, 5 and 15 minute load averages from {@code /proc/loadavg}
 */
record Machine(int processors, String cpuModel, String memory, String jdk, String moto, String python,
        String loadAverage) {

    static Machine describe() {
        String python = System.getenv().getOrDefault("QUELL_PYTHON", "python3");
        return new Machine(Runtime.getRuntime().availableProcessors(),
                firstValue(Path.of("/proc/cpuinfo"), "model name"),
                firstValue(Path.of("/proc/meminfo"), "MemTotal"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                output(python, "-c", "import moto; print(moto.__version__)"),
                output(python, "--version"),
                currentLoadAverage());
    }

    /** Returns the first three fields of {@code /proc/loadavg}, or "unknown". */
    static String currentLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(line -> line.startsWith(key)).map(line -> line.substring(
                    line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String output(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? text : "unknown (" + text + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
