package dev.quell.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Writes a session's figures as Markdown between the result markers of the output page. The rest of the page is
 * kept as it is, and a page without the markers gets them appended.
 */
final class Report {

    static final String BEGIN = "<!-- bench:results:begin -->";
    static final String END = "<!-- bench:results:end -->";

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Report() {
    }

    /**
     * One cold run of one participant.
     *
     * @param readyMillis from process start to the handler's constructor returning; {@code null} for the peer
     * @param path the critical path through the latency proxy; {@code null} when the run went to moto direct
     * @param initCalls AWS calls Quell made before the handler received the event (priming)
     * @param peerCalls the number of AWS calls the peer reported; {@code null} for Quell
     */
    record ColdSample(String participant, Harness.Mode mode, int run, Double readyMillis, double isolatedMillis,
            double endMillis, double exitMillis, CriticalPath path, int initCalls, boolean contained,
            Integer peerCalls) {
    }

    /**
     * The warm figures of one participant.
     *
     * @param perFindingMillis time per finding over fresh instances, from the handler's call to its return, for
     *     the findings whose handler returned
     * @param toIsolationMillis time per finding over fresh instances to network isolation
     * @param contained Quell's findings that ended contained; {@code null} for the peer, which reports no outcome
     * @param findings how many warm findings each session covers (the process's first, cold, finding is left out)
     * @param repeatMedianMillis the median time to handle the same finding again
     * @param repeatP90Millis its 90th percentile, when known
     */
    record Warm(List<Double> perFindingMillis, List<Double> toIsolationMillis, Integer contained, int findings,
            Double repeatMedianMillis, Double repeatP90Millis) {

        Warm withRepeats(Double median, Double p90) {
            return new Warm(perFindingMillis, toIsolationMillis, contained, findings, median, p90);
        }
    }

    static void write(Options options, Harness.Results results) throws IOException {
        String section = render(options, results);
        Path out = options.out();
        String page = Files.isRegularFile(out) ? Files.readString(out) : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        if (begin < 0 || end < begin) {
            page = page + "\n" + BEGIN + "\n" + END + "\n";
            begin = page.indexOf(BEGIN);
            end = page.indexOf(END);
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, page.substring(0, begin + BEGIN.length()) + "\n" + section + page.substring(end));
    }

    static String render(Options options, Harness.Results results) {
        StringBuilder text = new StringBuilder();
        machine(text, options, results);
        for (Harness.Mode mode : Harness.Mode.values()) {
            cold(text, options, results, mode);
        }
        warm(text, results);
        size(text, options, results);
        everyRun(text, results);
        return text.toString();
    }

    private static void machine(StringBuilder text, Options options, Harness.Results results) {
        Machine machine = results.before();
        text.append("## Session of ").append(UTC.format(Instant.ofEpochMilli(results.startedEpochMillis())))
                .append("\n\n");
        text.append("Command: `").append(options.command()).append("`\n\n");
        text.append("| machine | |\n| --- | --- |\n");
        row(text, "processors (`nproc`)", Integer.toString(machine.processors()));
        row(text, "CPU", machine.cpuModel());
        row(text, "memory", machine.memory());
        row(text, "JDK", machine.jdk());
        row(text, "moto", machine.moto());
        row(text, "Python", machine.python());
        row(text, "load average (1, 5, 15 min) at start", machine.loadAverage());
        row(text, "load average at end", results.after().loadAverage());
        row(text, "duration", (results.endedEpochMillis() - results.startedEpochMillis()) / 60_000 + " min");
        text.append("\nThe machine is shared with other work, so the figures are noisy; the participants ran "
                + "interleaved, in an order that rotated every run, so the load fell on all of them alike.\n\n");
        text.append("Quell's times run from the moment the harness started its JVM. The peer's own times run from "
                + "the first line of its script, which leaves out the interpreter's start-up; its process exit "
                + "time runs from the moment the harness started it.\n\n");
    }

    private static void cold(StringBuilder text, Options options, Harness.Results results, Harness.Mode mode) {
        List<ColdSample> samples = results.cold().stream().filter(sample -> sample.mode() == mode).toList();
        boolean delayed = mode == Harness.Mode.DELAYED;
        text.append(delayed ? "### Cold start, every AWS call delayed by " + options.delayMillis() + " ms\n\n"
                : "### Cold start, moto direct\n\n");
        text.append(options.runs()).append(" runs per participant; median / p90 in milliseconds from process start. ")
                .append("Each run isolates a fresh web instance (Auto Scaling group, target group, instance profile,")
                .append(" one interface, one volume) in a freshly seeded account, so each responder also creates")
                .append(" its isolation group(s) in the new VPC.\n\n");
        text.append("| participant | handler ready | network isolated | response end | process exit | contained |");
        if (delayed) {
            text.append(" round trips to isolation | calls to isolation | calls in response | calls at init |");
        }
        text.append("\n| --- | --- | --- | --- | --- | --- |").append(delayed ? " --- | --- | --- | --- |" : "")
                .append("\n");
        for (String name : names(samples)) {
            List<ColdSample> all = samples.stream().filter(sample -> sample.participant().equals(name)).toList();
            List<ColdSample> mine = finished(all);
            if (mine.isEmpty()) {
                text.append("| ").append(name).append(" | every run failed |\n");
                continue;
            }
            text.append("| ").append(name).append(" | ")
                    .append(mine.get(0).readyMillis() == null ? "n/a" : medianP90(mine, s -> s.readyMillis()))
                    .append(" | ").append(medianP90(mine, ColdSample::isolatedMillis))
                    .append(" | ").append(medianP90(mine, ColdSample::endMillis))
                    .append(" | ").append(medianP90(mine, ColdSample::exitMillis))
                    .append(" | ").append(all.stream().filter(ColdSample::contained).count()).append("/")
                    .append(all.size()).append(" |");
            if (delayed) {
                text.append(" ").append(range(mine, sample -> sample.path().depth()))
                        .append(" | ").append(range(mine, sample -> sample.path().callsToIsolation()))
                        .append(" | ").append(range(mine, sample -> sample.peerCalls() != null ? sample.peerCalls()
                                : sample.path().calls()))
                        .append(" | ").append(range(mine, ColdSample::initCalls)).append(" |");
            }
            text.append("\n");
        }
        ratios(text, samples);
        if (delayed) {
            text.append("\nRound trips to isolation: the longest chain of calls, each starting after the previous "
                    + "one ended, up to the last `ModifyNetworkInterfaceAttribute`, counted from the proxy's record "
                    + "of the response (median, then min-max); Quell's calls at init are priming calls.\n");
        }
        text.append("\n");
    }

    private static void ratios(StringBuilder text, List<ColdSample> samples) {
        List<ColdSample> peer = finished(samples.stream().filter(sample -> sample.participant().equals("peer"))
                .toList());
        if (peer.isEmpty()) {
            return;
        }
        text.append("\nQuell / peer, medians:\n\n");
        for (String name : names(samples)) {
            if (name.equals("peer")) {
                continue;
            }
            List<ColdSample> mine = finished(samples.stream().filter(sample -> sample.participant().equals(name))
                    .toList());
            text.append("- ").append(name).append(": network isolated ")
                    .append(ratio(mine, peer, ColdSample::isolatedMillis)).append(", response end ")
                    .append(ratio(mine, peer, ColdSample::endMillis)).append(", process exit ")
                    .append(ratio(mine, peer, ColdSample::exitMillis)).append("\n");
        }
    }

    private static void warm(StringBuilder text, Harness.Results results) {
        if (results.warm().isEmpty()) {
            return;
        }
        text.append("### Warm, moto direct\n\n");
        text.append("Each participant handles its findings one after the other in one process; the first, cold, "
                + "finding is left out. Milliseconds from the handler's call to its return. *Fresh instances*: one "
                + "finding per web instance, all launched before the process started, so every finding is a full "
                + "containment; the peer runs through `bench/peer_warm.py`, which loads its script once and calls "
                + "its handler per event. *Same finding again*: the one event, handled again on the instance the "
                + "first pass isolated; the peer's figure is its own `--repeat` median, which runs its steps again, "
                + "while Quell finds the response in its ledger and changes nothing.\n\n");
        text.append("| participant | findings | fresh instances: per finding, median / p90 | fresh instances: to "
                + "network isolation, median / p90 | contained | same finding again: median / p90 |\n"
                + "| --- | --- | --- | --- | --- | --- |\n");
        Warm peer = null;
        for (var entry : results.warm().entrySet()) {
            Warm warm = entry.getValue();
            if (warm.contained() == null) {
                peer = warm;
            }
            text.append("| ").append(entry.getKey()).append(" | ").append(warm.findings()).append(" | ")
                    .append(medianAndP90(warm.perFindingMillis())).append(" | ")
                    .append(medianAndP90(warm.toIsolationMillis())).append(" | ")
                    .append(warm.contained() == null ? "n/a" : warm.contained() + "/" + warm.findings())
                    .append(" | ").append(formatKnown(warm.repeatMedianMillis())).append(" / ")
                    .append(formatKnown(warm.repeatP90Millis())).append(" |\n");
        }
        if (peer != null) {
            text.append("\nQuell / peer, medians:\n\n");
            for (var entry : results.warm().entrySet()) {
                Warm warm = entry.getValue();
                if (warm == peer) {
                    continue;
                }
                text.append("- ").append(entry.getKey()).append(": fresh instances, per finding ")
                        .append(ratio(median(warm.perFindingMillis()), median(peer.perFindingMillis())))
                        .append(", to network isolation ")
                        .append(ratio(median(warm.toIsolationMillis()), median(peer.toIsolationMillis())))
                        .append("; same finding again ").append(ratio(warm.repeatMedianMillis(),
                                peer.repeatMedianMillis())).append("\n");
            }
        }
        text.append("\n");
    }

    private static String formatKnown(Double millis) {
        return millis == null ? "n/a" : format(millis);
    }

    private static String medianAndP90(List<Double> values) {
        return values.isEmpty() ? "n/a" : format(Stats.median(values)) + " / " + format(Stats.p90(values));
    }

    private static Double median(List<Double> values) {
        return values.isEmpty() ? null : Stats.median(values);
    }

    private static String ratio(Double mine, Double theirs) {
        return mine == null || theirs == null || theirs == 0 || mine.isNaN() || theirs.isNaN() ? "n/a"
                : String.format(Locale.ROOT, "%.2f", mine / theirs);
    }

    private static void size(StringBuilder text, Options options, Harness.Results results) {
        text.append("### Size\n\n| jar | size |\n| --- | --- |\n");
        List<Path> jars = new ArrayList<>();
        options.variants().forEach(variant -> jars.add(variant.jar()));
        try (Stream<Path> functions = Files.list(options.repo().resolve("functions"))) {
            functions.map(module -> module.resolve("target")).filter(Files::isDirectory).forEach(target -> {
                try (Stream<Path> files = Files.list(target)) {
                    files.filter(file -> file.getFileName().toString().endsWith("-lambda.jar")).forEach(jars::add);
                } catch (IOException e) {
                    // A module without a build output has no jar to list.
                }
            });
        } catch (IOException e) {
            // No functions directory: only the variants' jars are listed.
        }
        jars.stream().map(Path::toAbsolutePath).distinct().forEach(jar -> row(text,
                "`" + options.repo().relativize(jar) + "`", megabytes(jar)));
        if (results.classes().isEmpty()) {
            return;
        }
        text.append("\nClasses loaded by the first response (from `-Xlog:class+load`, up to the launcher's mark):\n\n"
                + "| variant | loaded | by source |\n| --- | --- | --- |\n");
        results.classes().forEach((name, summary) -> text.append("| ").append(name).append(" | ")
                .append(summary.loaded()).append(" | ").append(summary.bySource().toString()).append(" |\n"));
        results.classes().forEach((name, summary) -> {
            text.append("\n<details><summary>").append(name)
                    .append(": classes loaded from the jar, by package</summary>\n\n")
                    .append("| package | classes |\n| --- | --- |\n");
            summary.byPackageGroup().entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(entry -> row(text, entry.getKey(), entry.getValue().toString()));
            text.append("\n</details>\n");
        });
        text.append("\n");
    }

    private static void everyRun(StringBuilder text, Harness.Results results) {
        text.append("<details><summary>Every cold run</summary>\n\n")
                .append("| run | mode | participant | ready | isolated | end | exit | round trips | calls |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (ColdSample sample : results.cold()) {
            text.append("| ").append(sample.run() + 1).append(" | ")
                    .append(sample.mode().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(sample.participant()).append(" | ")
                    .append(sample.readyMillis() == null ? "" : format(sample.readyMillis())).append(" | ")
                    .append(format(sample.isolatedMillis())).append(" | ").append(format(sample.endMillis()))
                    .append(" | ").append(format(sample.exitMillis())).append(" | ")
                    .append(sample.path() == null ? "" : Integer.toString(sample.path().depth())).append(" | ")
                    .append(sample.peerCalls() != null ? sample.peerCalls().toString()
                            : sample.path() == null ? "" : Integer.toString(sample.path().calls()))
                    .append(" |\n");
        }
        text.append("\n</details>\n");
    }

    /** Returns the samples of runs that ran to the end of the response; a failed run's times are NaN. */
    private static List<ColdSample> finished(List<ColdSample> samples) {
        return samples.stream().filter(sample -> !Double.isNaN(sample.endMillis())).toList();
    }

    private static List<String> names(List<ColdSample> samples) {
        return samples.stream().map(ColdSample::participant).distinct().toList();
    }

    private static String medianP90(List<ColdSample> samples, ToDoubleFunction<ColdSample> value) {
        List<Double> values = values(samples, value);
        return format(Stats.median(values)) + " / " + format(Stats.p90(values));
    }

    private static String range(List<ColdSample> samples, ToDoubleFunction<ColdSample> value) {
        List<Double> values = values(samples, value);
        return format(Stats.median(values)) + " (" + format(Stats.percentile(values, 0)) + "-"
                + format(Stats.percentile(values, 100)) + ")";
    }

    private static String ratio(List<ColdSample> mine, List<ColdSample> peer, ToDoubleFunction<ColdSample> value) {
        double quell = Stats.median(values(mine, value));
        double theirs = Stats.median(values(peer, value));
        return String.format(Locale.ROOT, "%.2f", quell / theirs);
    }

    /** Returns the value of each sample that has one; a figure the run did not reach is NaN and left out. */
    private static List<Double> values(List<ColdSample> samples, ToDoubleFunction<ColdSample> value) {
        return samples.stream().map(sample -> value.applyAsDouble(sample)).filter(number -> !number.isNaN())
                .toList();
    }

    private static String format(double millis) {
        return Double.isNaN(millis) ? "n/a" : String.format(Locale.ROOT, "%.0f", millis);
    }

    private static String megabytes(Path jar) {
        try {
            return String.format(Locale.ROOT, "%.1f MB (%d bytes)", Files.size(jar) / 1_000_000.0, Files.size(jar));
        } catch (IOException e) {
            return "missing";
        }
    }

    private static void row(StringBuilder text, String name, String value) {
        text.append("| ").append(Objects.requireNonNullElse(name, "")).append(" | ").append(value).append(" |\n");
    }
}
