package dev.quell.bench;

import dev.quell.bench.ProcessRunner.PeerRun;
import dev.quell.bench.ProcessRunner.QuellRun;
import dev.quell.bench.ProcessRunner.Response;
import dev.quell.testkit.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the isolation benchmarks against a moto server on loopback and writes the figures to a Markdown page.
 *
 * <p>For each run and each latency mode (moto direct, and every call delayed by the latency proxy), every
 * participant isolates a fresh web instance in a freshly seeded account, in an order that rotates from run to run,
 * so the machine's changing load spreads over all participants alike. Then each participant handles a series of
 * findings in one process for the warm figures, and each Quell configuration runs once more with a class loading
 * log for the size figures. See {@link #USAGE} for the options.
 */
public final class Harness {

    static final String USAGE = """
            usage: Harness --repo DIR --launcher JAR --variant SPEC... [options]

              --repo DIR          the repository root: events/ is read from it, --out is relative to it
              --launcher JAR      the launcher jar (bench/target/quell-bench-*-launcher.jar)
              --variant SPEC      a Quell configuration, NAME=JAR[|JAVA_TOOL_OPTIONS[|KEY=VALUE...]]: a name,
                                  the deployment jar, the JVM options that a Lambda function would set in
                                  JAVA_TOOL_OPTIONS, and further environment variables of the function
                                  (space-separated); repeat to compare several. The option @cds stands
                                  for an application class data archive that a training run on one
                                  finding makes for this variant before the measured runs
              --peer COMMAND      the baseline responder's command; it gets --endpoint-url, --region, --repeat
                                  and the event file appended. Without it, only Quell runs
              --runs N            cold runs per participant and latency mode (default 20)
              --warm N            findings per warm process (default 200; 0 skips the warm figures)
              --delay-ms MS       the proxy's delay per AWS call, in milliseconds (default 50)
              --out FILE          the page to write (default docs/benchmarks.md); the text between its result
                                  markers is replaced, the rest is kept
              --command TEXT      the command line to record on the page (default: these arguments)
              --request-log FILE  append every request through the proxy to FILE, one line each: run,
                                  participant, operation, start and end in epoch microseconds, and
                                  whether it came before the event (init) or after (response)
            """;

    /** The placeholder in a variant's JVM options for an application class data archive made for it. */
    static final String CDS_TOKEN = "@cds";

    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("invalid arguments: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        Results results = new Harness.Session(options).run();
        Report.write(options, results);
        System.err.println("bench: wrote " + options.out());
    }

    /** Figures of one benchmark session. */
    record Results(Machine before, Machine after, List<Report.ColdSample> cold, Map<String, Report.Warm> warm,
            Map<String, ClassLog.Summary> classes, long startedEpochMillis, long endedEpochMillis) {
    }

    /** One benchmark session: the moto server, the proxy and the runs. */
    private static final class Session {

        private final Options options;
        private final ProcessRunner runner;
        private final Path work;

        Session(Options options) throws IOException {
            this.options = options;
            this.runner = new ProcessRunner(options.launcher(), Policies.enforce());
            this.work = Files.createTempDirectory("quell-bench");
        }

        Results run() throws IOException {
            long started = System.currentTimeMillis();
            Machine before = Machine.describe();
            List<Report.ColdSample> cold = new ArrayList<>();
            Map<String, Report.Warm> warm = new LinkedHashMap<>();
            Map<String, ClassLog.Summary> classes = new LinkedHashMap<>();
            try (MotoServer moto = MotoServer.start();
                    LatencyProxy proxy = LatencyProxy.start(moto.endpoint(), options.delayMillis())) {
                List<Participant> participants = withClassDataArchives(moto, options.participants());
                for (int run = 0; run < options.runs(); run++) {
                    for (Mode mode : Mode.values()) {
                        for (int i = 0; i < participants.size(); i++) {
                            Participant participant = participants.get((i + run) % participants.size());
                            URI endpoint = mode == Mode.DIRECT ? moto.endpoint() : proxy.endpoint();
                            cold.add(coldRunOrFailure(moto, proxy, endpoint, participant, mode, run));
                        }
                    }
                    System.err.printf("bench: cold run %d of %d done, load average %s%n", run + 1, options.runs(),
                            Machine.currentLoadAverage());
                }
                // The cold figures are on the page before the warm runs start, in case those fail.
                Report.write(options, new Results(before, Machine.describe(), cold, warm, classes, started,
                        System.currentTimeMillis()));
                if (options.warm() > 0) {
                    for (Participant participant : participants) {
                        warm.put(participant.name(), warmRunOrFailure(moto, participant));
                        System.err.println("bench: warm run of " + participant.name() + " done");
                    }
                }
                for (Participant participant : participants) {
                    if (participant instanceof Participant.Quell quell) {
                        classes.put(quell.name(), classRun(moto, quell));
                    }
                }
            }
            return new Results(before, Machine.describe(), cold, warm, classes, started, System.currentTimeMillis());
        }

        /**
         * Replaces {@code @cds} in each variant's JVM options with an application class data archive made for that
         * variant: a training run on one finding dumps the classes it loaded ({@code -XX:ArchiveClassesAtExit}),
         * and the measured runs map them ({@code -XX:SharedArchiveFile}).
         */
        private List<Participant> withClassDataArchives(MotoServer moto, List<Participant> participants)
                throws IOException {
            List<Participant> resolved = new ArrayList<>();
            for (Participant participant : participants) {
                if (participant instanceof Participant.Quell quell && quell.javaToolOptions().contains(CDS_TOKEN)) {
                    Path archive = work.resolve(quell.name() + ".jsa");
                    Files.deleteIfExists(archive);
                    moto.reset();
                    try (BenchAccount account = BenchAccount.seed(moto.endpoint())) {
                        Path event = account.writeEvent(options.template(), account.seeded.webInstanceIds().get(0),
                                work);
                        runner.runQuell(new Participant.Quell(quell.name(), quell.jar(), quell.javaToolOptions()
                                .replace(CDS_TOKEN, "-XX:ArchiveClassesAtExit=" + archive), quell.environment()),
                                moto.endpoint(), List.of(event), null);
                    }
                    if (!Files.isRegularFile(archive)) {
                        throw new IllegalStateException("the training run of " + quell.name() + " wrote no class"
                                + " data archive at " + archive);
                    }
                    System.err.printf("bench: %s: class data archive of %d MB%n", quell.name(),
                            Files.size(archive) / 1_000_000);
                    resolved.add(new Participant.Quell(quell.name(), quell.jar(), quell.javaToolOptions()
                            .replace(CDS_TOKEN, "-XX:SharedArchiveFile=" + archive), quell.environment()));
                } else {
                    resolved.add(participant);
                }
            }
            return resolved;
        }

        /** Runs one cold run, or records a failed sample when the run could not finish, and goes on. */
        private Report.ColdSample coldRunOrFailure(MotoServer moto, LatencyProxy proxy, URI endpoint,
                Participant participant, Mode mode, int run) {
            try {
                return coldRun(moto, proxy, endpoint, participant, mode, run);
            } catch (RuntimeException e) {
                System.err.printf("bench: cold run %d of %s (%s) failed: %s%n", run + 1, participant.name(),
                        mode, e.getMessage());
                return new Report.ColdSample(participant.name(), mode, run, null, Double.NaN, Double.NaN,
                        Double.NaN, null, 0, false, null);
            }
        }

        private Report.Warm warmRunOrFailure(MotoServer moto, Participant participant) {
            try {
                return warmRun(moto, participant);
            } catch (RuntimeException e) {
                System.err.printf("bench: warm run of %s failed: %s%n", participant.name(), e.getMessage());
                return new Report.Warm(List.of(), List.of(), 0, options.warm() - 1, null, null);
            }
        }

        private Report.ColdSample coldRun(MotoServer moto, LatencyProxy proxy, URI endpoint, Participant participant,
                Mode mode, int run) {
            moto.reset();
            try (BenchAccount account = BenchAccount.seed(moto.endpoint())) {
                String instance = account.seeded.webInstanceIds().get(0);
                Path event = account.writeEvent(options.template(), instance, work);
                proxy.drain();
                if (participant instanceof Participant.Quell quell) {
                    QuellRun result = runner.runQuell(quell, endpoint, List.of(event), null);
                    Response response = result.responses().get(0);
                    var requests = proxy.drain();
                    logRequests(run, quell.name(), requests, response.startMillis() * 1000);
                    CriticalPath path = mode == Mode.DIRECT ? null
                            : CriticalPath.of(requests, response.startMillis() * 1000);
                    int initCalls = mode == Mode.DIRECT ? 0 : (int) requests.stream()
                            .filter(request -> request.startMicros() < response.startMillis() * 1000).count();
                    long spawn = result.spawnMillis();
                    return new Report.ColdSample(quell.name(), mode, run, (double) (result.readyMillis() - spawn),
                            response.networkIsolatedMillis() == null ? Double.NaN
                                    : response.networkIsolatedMillis() - spawn,
                            response.endMillis() - spawn, result.exitMillis() - spawn, path, initCalls,
                            response.contained(), null);
                }
                Participant.Peer peer = (Participant.Peer) participant;
                PeerRun result = runner.runPeer(peer, endpoint, event, 1);
                var requests = proxy.drain();
                logRequests(run, peer.name(), requests, 0);
                CriticalPath path = mode == Mode.DIRECT ? null : CriticalPath.of(requests, 0);
                return new Report.ColdSample(peer.name(), mode, run, null, result.networkIsolatedSeconds() * 1000,
                        result.doneSeconds() * 1000, result.exitMillis() - result.spawnMillis(), path, 0, true,
                        result.awsCalls());
            }
        }

        private void logRequests(int run, String participant, List<LatencyProxy.Request> requests,
                long handlerStartMicros) {
            if (options.requestLog() == null || requests.isEmpty()) {
                return;
            }
            StringBuilder lines = new StringBuilder();
            for (LatencyProxy.Request request : requests) {
                lines.append(run + 1).append(',').append(participant).append(',').append(request.operation())
                        .append(',').append(request.startMicros()).append(',').append(request.endMicros())
                        .append(',').append(request.startMicros() >= handlerStartMicros ? "response" : "init")
                        .append('\n');
            }
            try {
                Files.writeString(options.requestLog(), lines, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not write the request log " + options.requestLog(), e);
            }
        }

        /**
         * Runs the two warm sessions of a participant: one finding per fresh web instance, and one finding handled
         * again and again (the peer's {@code --repeat}). The first finding of each process is the cold one and is
         * left out.
         */
        private Report.Warm warmRun(MotoServer moto, Participant participant) {
            Report.Warm fresh = freshWarmRun(moto, participant);
            moto.reset();
            try (BenchAccount account = BenchAccount.seed(moto.endpoint())) {
                String instance = account.launchWebInstances(1).get(0);
                Path event = account.writeEvent(options.template(), instance, work);
                if (participant instanceof Participant.Quell quell) {
                    QuellRun result = runner.runQuell(quell, moto.endpoint(),
                            java.util.Collections.nCopies(options.warm(), event), null);
                    List<Double> repeats = result.responses().subList(1, result.responses().size()).stream()
                            .filter(response -> response.error() == null)
                            .map(response -> (double) (response.endMillis() - response.startMillis())).toList();
                    return repeats.isEmpty() ? fresh : fresh.withRepeats(Stats.median(repeats), Stats.p90(repeats));
                }
                PeerRun result = runner.runPeer((Participant.Peer) participant, moto.endpoint(), event,
                        options.warm());
                return fresh.withRepeats(result.warmMedianSeconds() == null ? null
                        : result.warmMedianSeconds() * 1000, null);
            }
        }

        private Report.Warm freshWarmRun(MotoServer moto, Participant participant) {
            moto.reset();
            try (BenchAccount account = BenchAccount.seed(moto.endpoint())) {
                List<String> instances = account.launchWebInstances(options.warm());
                List<Path> events = account.writeEvents(options.template(), instances, work);
                List<Double> perFinding = new ArrayList<>();
                List<Double> toIsolation = new ArrayList<>();
                if (participant instanceof Participant.Quell quell) {
                    QuellRun result = runner.runQuell(quell, moto.endpoint(), events, null);
                    int contained = 0;
                    for (Response response : result.responses().subList(1, result.responses().size())) {
                        if (response.error() != null) {
                            continue;
                        }
                        perFinding.add((double) (response.endMillis() - response.startMillis()));
                        if (response.networkIsolatedMillis() != null) {
                            toIsolation.add((double) (response.networkIsolatedMillis() - response.startMillis()));
                        }
                        contained += response.contained() ? 1 : 0;
                    }
                    return new Report.Warm(perFinding, toIsolation, contained, options.warm() - 1, null, null);
                }
                ProcessRunner.PeerWarmRun result = runner.runPeerWarm((Participant.Peer) participant,
                        options.repo().resolve("bench/peer_warm.py"), moto.endpoint(), events);
                if (result == null) {
                    return new Report.Warm(List.of(), List.of(), null, options.warm() - 1, null, null);
                }
                result.perEventSeconds().forEach(seconds -> perFinding.add(seconds * 1000));
                result.networkIsolatedSeconds().forEach(seconds -> toIsolation.add(seconds * 1000));
                return new Report.Warm(perFinding, toIsolation, null, options.warm() - 1, null, null);
            }
        }

        private ClassLog.Summary classRun(MotoServer moto, Participant.Quell quell) throws IOException {
            moto.reset();
            try (BenchAccount account = BenchAccount.seed(moto.endpoint())) {
                Path event = account.writeEvent(options.template(), account.seeded.webInstanceIds().get(0), work);
                Path log = work.resolve("classes-" + quell.name() + ".log");
                runner.runQuell(quell, moto.endpoint(), List.of(event), log);
                return ClassLog.summarize(log);
            }
        }
    }

    /** The route from the function to moto. */
    enum Mode {
        /** Straight to the moto server: a few milliseconds per call. */
        DIRECT,
        /** Through the latency proxy, which delays every response by the configured time. */
        DELAYED
    }
}
