package org.rapidsrivers.cli;

import java.io.IOException;
import org.rapidsrivers.cli.session.TemporaryDirectory;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Understands the few commands the launcher's recording run does before the user's own, so the class
 * data it records (cli/target/rr.jsa) holds the classes of both backends whichever command runs first
 * after a build. Before, an archive recorded by an embedded command left every AWS command to load the
 * SDK's classes from the jar (0.6-0.9 s of CPU each, measured on moto), and the other way round. Here:
 * an embedded stage of its own in a temporary directory (subscribe, send, read, status), and the AWS
 * backend against a local port nothing listens on (its clients built, a request made and refused).
 * Nothing is printed, nothing is left behind, and a failure here never touches the user's command.
 */
final class ClassDataTraining {
    /** The system property the launcher sets on the run that records. */
    static final String PROPERTY = "rr.classDataTraining";

    private ClassDataTraining() {
    }

    static void runIfAsked() {
        if (!Boolean.getBoolean(PROPERTY)) {
            return;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("rr-training");
            String[] embedded = {"--data-dir", dir.toString(), "--stage", "training"};
            quietly(embedded, "subscribe", "training", "Training");
            quietly(embedded, "send", "Training", "training", "{\"n\":1}");
            quietly(embedded, "readfrom", "training", "--max", "1");
            quietly(embedded, "status");
            quietly(new String[] {"--backend", "aws", "--emulator", "--endpoint-url", "http://127.0.0.1:" + closedPort(),
                    "--stage", "training", "--data-dir", dir.toString()}, "status");
        } catch (IOException | RuntimeException | LinkageError ignored) {
            // only the archive is the poorer for it
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static void quietly(String[] global, String... command) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        Rr.run(Stream.concat(Stream.of(global), Stream.of(command)).toArray(String[]::new), nowhere, nowhere);
    }

    /** A local port that was free a moment ago: a request to it is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try {
            TemporaryDirectory.delete(dir);
        } catch (IOException ignored) {
            // a temporary directory: the system clears it in the end
        }
    }
}
