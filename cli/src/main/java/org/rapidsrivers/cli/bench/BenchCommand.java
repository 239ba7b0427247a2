package org.rapidsrivers.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.local.EmbeddedBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Understands how to run the benchmark from the command line: on the embedded backend it works in
 * a fresh temporary data directory, so it never touches the user's rivers.
 */
@Command(name = "bench", abbreviateSynopsis = true,
        description = "Measure publish and end-to-end throughput, latency, loss and duplication on this backend")
public final class BenchCommand implements Callable<Integer> {
    private static final int STARTUP_RUNS = 7;
    private final Session session;

    @Option(names = "--events", paramLabel = "<n>", defaultValue = "20000", description = "Events to publish in bulk (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--rivers", paramLabel = "<m>", defaultValue = "10", description = "Rivers subscribed to the events (default: ${DEFAULT-VALUE}).")
    int rivers;

    @Option(names = "--rate", paramLabel = "<events/s>", defaultValue = "500", description = "Steady rate of the latency phase (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--latency-seconds", paramLabel = "<s>", defaultValue = "5", description = "Length of the latency phase (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--readers", paramLabel = "<threads>", defaultValue = "1",
            description = "Consumer threads reading the rivers round-robin (default: ${DEFAULT-VALUE}).")
    int readers;

    public BenchCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws IOException {
        if (events < 1 || rivers < 1 || rivers > 100 || rate < 1 || latencySeconds < 1 || readers < 1) {
            throw new InvalidInput("bench needs --events >= 1, --rivers 1-100, --rate >= 1, --latency-seconds >= 1"
                    + " and --readers >= 1");
        }
        BenchSettings settings = new BenchSettings(events, rivers, rate, latencySeconds, readers);
        Path dataDir = Files.createTempDirectory("rr-bench-");
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.of("bench"))) {
            backend.hostPlanes();
            BenchReport report = new Benchmark(backend, settings, session.output().out()).run()
                    .withStartup(StartupTimer.medianTopicsMillis(STARTUP_RUNS, dataDir.resolve("startup")));
            report.print("embedded", session.output().out());
            return report.lost() == 0 && report.duplicated() == 0 ? 0 : 1;
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
