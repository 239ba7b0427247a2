package org.rapidsrivers.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.provision.AwsProvisioner;
import org.rapidsrivers.cli.session.GlobalOptions;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.cli.session.TemporaryDirectory;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.data.lambda.FanOutHandler;
import org.rapidsrivers.embedded.EmbeddedBackend;
import org.rapidsrivers.hosts.PlaneHost;
import org.rapidsrivers.hosts.aws.AwsPlaneHosts;
import org.rapidsrivers.hosts.aws.S3Archive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Understands how to run the benchmark from the command line. On the embedded backend it works in a
 * fresh temporary data directory, so it never touches the user's rivers. On AWS (an emulator, with
 * the planes hosted here) it counts every API call by operation and runs the same load twice: with
 * this project's fan-out (PublishBatch) and with the original example's (one Publish per event).
 */
@Command(name = "bench", abbreviateSynopsis = true,
        description = "Measure publish and end-to-end throughput, latency, loss and duplication on this backend")
public final class BenchCommand implements Callable<Integer> {
    private static final int STARTUP_RUNS = 7;
    private final Session session;
    private ModelledRoundTrip roundTrip;
    /** A stage of a thousand rivers and more: five SNS topics and more at the default quota. */
    static final int MAX_STATUS_RIVERS = 2_000;

    @Option(names = "--events", paramLabel = "<n>",
            description = "Events to publish in bulk (default: 20000 embedded, 2000 on aws).")
    Integer events;

    @Option(names = "--rivers", paramLabel = "<m>", defaultValue = "10", description = "Rivers subscribed to the events (default: ${DEFAULT-VALUE}).")
    int rivers;

    @Option(names = "--rate", paramLabel = "<events/s>", description = "Steady rate of the latency phase (default: 500 embedded, 50 on aws).")
    Integer rate;

    @Option(names = "--latency-seconds", paramLabel = "<s>", defaultValue = "5", description = "Length of the latency phase (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--readers", paramLabel = "<threads>",
            description = "Consumer threads (default: 1 embedded, reading round-robin; one per river on aws, long-polling).")
    Integer readers;

    @Option(names = "--monitors", paramLabel = "<n>", defaultValue = "0",
            description = "Embedded: run the monitor service beside the benchmark with this many monitors over its events, 0-20"
                    + " (what the monitors cost end to end; default: ${DEFAULT-VALUE}).")
    int monitors;

    @Option(names = "--filtered", description = "Each river takes its events through a content filter of two conditions"
            + " (phase=bulk,latency and n>=0, which every event meets): what filtering costs against type-only rivers.")
    boolean filtered;

    @Option(names = "--rtt", paramLabel = "<round trip>",
            description = "On aws: add a modelled round trip to every AWS call, e.g. 20ms or sqs=20ms,sns=15ms (what a region adds).")
    String rtt;

    @Option(names = "--status", description = "Instead: make a stage of --rivers rivers (up to 2000), check 50 of them"
            + " receive exactly their events end to end, then time rr status and rr topology, counting status's API calls.")
    boolean status;

    @Option(names = "--archive", description = "Instead: fill an embedded archive with --events events (chains of ten) and time"
            + " a trace, a replay of up to 100,000 of them into one river, and the archive's summary.")
    boolean archive;

    @Option(names = "--load", paramLabel = "<events/s>", defaultValue = "0",
            description = "With --status: events a second flowing meanwhile, routed by the planes this process hosts.")
    int load;

    public BenchCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws IOException {
        boolean aws = session.options().backend() == GlobalOptions.BackendKind.aws;
        BenchSettings settings = new BenchSettings(orDefault(events, aws ? 2_000 : 20_000), rivers,
                orDefault(rate, aws ? 50 : 500), latencySeconds, orDefault(readers, aws ? rivers : 1), aws ? 100 : 10, filtered);
        if (settings.events() < 1 || rivers < 1 || rivers > (status ? MAX_STATUS_RIVERS : 100) || settings.rate() < 1
                || latencySeconds < 1 || settings.readers() < 1) {
            throw new InvalidInput("bench needs --events >= 1, --rivers 1-100 (1-" + MAX_STATUS_RIVERS + " with --status),"
                    + " --rate >= 1, --latency-seconds >= 1 and --readers >= 1");
        }
        if (monitors < 0 || monitors > 20 || (monitors > 0 && aws)) {
            throw new InvalidInput("--monitors is 0-20 and measures the embedded backend (the monitor service in this process)");
        }
        if (status) {
            return statusBench(aws);
        }
        if (archive) {
            return archiveBench(settings.events());
        }
        return aws ? onAws(settings) : embedded(settings);
    }

    private int statusBench(boolean aws) throws IOException {
        CallCounter calls = new CallCounter();
        if (aws) {
            AwsSettings settings = session.awsSettings(session.stageOr("bench"));
            try (AwsBackend backend = AwsBackend.open(settings, List.of(calls))) {
                if (settings.endpoint().isPresent()) {
                    new AwsProvisioner(backend.clients(), settings).provision(1);
                }
                // the planes route the end-to-end check's events, and the load's
                try (PlaneHost planes = PlaneHost.start(backend)) {
                    return StatusBench.run(backend, rivers, load, calls, out());
                }
            }
        }
        Path dataDir = Files.createTempDirectory("rr-bench-");
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.of("bench"));
             PlaneHost planes = PlaneHost.start(backend)) {
            return StatusBench.run(backend, rivers, load, calls, out());
        } finally {
            TemporaryDirectory.delete(dataDir);
        }
    }

    private int archiveBench(int events) throws IOException {
        Path dataDir = Files.createTempDirectory("rr-bench-");
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.of("bench"))) {
            return ArchiveBench.run(backend, events, Math.min(events, 100_000), out());
        } finally {
            TemporaryDirectory.delete(dataDir);
        }
    }

    private int embedded(BenchSettings settings) throws IOException {
        Path dataDir = Files.createTempDirectory("rr-bench-");
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.of("bench"));
             PlaneHost planes = PlaneHost.start(backend)) {
            Benchmark benchmark = new Benchmark(backend, settings, out(), new CallCounter());
            BenchReport report;
            try (MonitorLoad load = MonitorLoad.start(backend, benchmark.tick(), monitors, out())) {
                report = benchmark.run();
            }
            report = report.withStartup(StartupTimer.medianTopicsMillis(STARTUP_RUNS, dataDir.resolve("startup")));
            report.print("embedded", out());
            out().println(Json.compact(report.toJson("embedded")));
            out().flush();
            return report.lost() == 0 && report.duplicated() == 0 ? 0 : 1;
        } finally {
            TemporaryDirectory.delete(dataDir);
        }
    }

    private int onAws(BenchSettings settings) {
        if (!session.options().hostPlanes()) {
            throw new InvalidInput("bench on --backend aws needs --host-planes: it measures the planes in this process");
        }
        AwsSettings aws = session.awsSettings(session.stageOr("bench"));
        if (aws.endpoint().isPresent()) {
            try (AwsBackend provisioning = AwsBackend.open(aws)) {
                new AwsProvisioner(provisioning.clients(), aws).provision(2);
                // archived meanwhile, as a deployed stage is: by the stand-in here, with clients of its own, so the
                // calls counted below are the toolkit's (on AWS a delivery stream archives, with no call of rr's)
                out().println("# " + S3Archive.provision(provisioning));
            }
        }
        ModelledRoundTrip roundTrip = rtt == null ? null : ModelledRoundTrip.parse(rtt);
        if (roundTrip != null) {
            out().println("# every AWS call waits a modelled round trip first: " + roundTrip.describe() + " ms");
        }
        this.roundTrip = roundTrip;
        out().println("# fan-out with SNS PublishBatch (this project)");
        BenchReport batched = runOnAws(aws, settings, false);
        batched.print("aws", out());
        out().println("# fan-out with one SNS Publish per event (the original example)");
        BenchReport naive = runOnAws(aws, settings, true);
        naive.print("aws, naive fan-out", out());
        ObjectNode json = batched.toJson("aws");
        ObjectNode naiveJson = naive.toJson("aws-naive");
        List.of("backend", "events", "rivers", "readers").forEach(naiveJson::remove);
        json.set("naive", naiveJson);
        json.put("e2e_speedup_vs_naive", Math.round(batched.endToEndEps() / naive.endToEndEps() * 10) / 10.0);
        if (roundTrip != null) {
            ObjectNode modelled = json.putObject("rtt_ms");
            roundTrip.describe().forEach(modelled::put);
        }
        out().println(Json.compact(json));
        out().flush();
        return batched.lost() + batched.duplicated() + naive.lost() + naive.duplicated() == 0 ? 0 : 1;
    }

    private BenchReport runOnAws(AwsSettings aws, BenchSettings settings, boolean naive) {
        CallCounter calls = new CallCounter();
        AwsBackend backend = AwsBackend.open(aws, roundTrip == null ? List.of(calls) : List.of(calls, roundTrip));
        try (backend; PlaneHost planes = AwsPlaneHosts.startOn(backend, null, naive ? new FanOutHandler(
                new NaiveSnsRouter(backend.clients().sns(), backend.rapidsTopicArn()), backend.fanOutDeadLetters(),
                backend.traffic(), PlaneLog.of(backend.stage().value(), Plane.FANOUT.consumer())) : null)) {
            return new Benchmark(backend, settings, out(), calls).run();
        }
    }

    private PrintWriter out() {
        return session.output().out();
    }

    private static int orDefault(Integer given, int fallback) {
        return given != null ? given : fallback;
    }
}
