package org.rapidsrivers.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Understands how long a one-shot command takes a user: it runs the ./rr launcher (named by
 * RR_LAUNCHER, which the launcher sets) with {@code topics} several times in a fresh data directory,
 * with the launcher's own JVM options, and takes the median wall time.
 */
final class StartupTimer {
    private StartupTimer() {
    }

    /** The median in milliseconds, or -1 when rr was not started through its launcher. */
    static double medianTopicsMillis(int runs, Path dataDir) throws IOException {
        String launcher = System.getenv("RR_LAUNCHER");
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
            return -1;
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(launcher, "--stage", "bench",
                    "--data-dir", dataDir.toString(), "topics")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().remove("RR_JAVA_OPTS");
            long start = System.nanoTime();
            Process process = builder.start();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    return -1;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[runs / 2];
    }
}
