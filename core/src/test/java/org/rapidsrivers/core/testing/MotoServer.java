package org.rapidsrivers.core.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Understands the AWS-compatible emulator the integration tests run against: moto's server from the
 * project's .venv (installed by make test), run by emulator/moto-server (DynamoDB's conditions made atomic),
 * started on a port the system picks on 127.0.0.1 (read back from what it prints, so no other process can
 * take it in between) and stopped after. It fails with
 * what to do when moto is not installed, rather than letting the tests pass unrun.
 */
public final class MotoServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Running on (http://127\\.0\\.0\\.1:\\d+)");
    private final Process process;
    private final Path log;
    private URI endpoint;

    private MotoServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static MotoServer start() {
        Path moto = Path.of(System.getProperty("rr.moto", "emulator/moto-server")).toAbsolutePath().normalize();
        if (!Files.isExecutable(moto)) {
            throw new IllegalStateException("the emulator is not installed at " + moto
                    + ": run make test (it installs moto into .venv first), or make emulator");
        }
        try {
            Path log = Files.createTempFile("moto-", ".log");
            Process process = new ProcessBuilder(moto.toString(), "-H", "127.0.0.1", "-p", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoServer server = new MotoServer(process, log);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + moto, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Stops the server and removes its log (what a failed start logged is in that failure's message). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a log left in the temporary directory harms nothing
        }
    }

    /** Waits until moto says where it listens and answers there. */
    private void awaitReady(Duration timeout) throws IOException {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreException(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("moto server exited: " + Files.readString(log));
                        }
                        Matcher listening = LISTENING.matcher(Files.readString(log));
                        if (!listening.find()) {
                            return false;
                        }
                        endpoint = URI.create(listening.group(1));
                        HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                        connection.setConnectTimeout(500);
                        connection.setReadTimeout(2000);
                        return connection.getResponseCode() == 200;
                    });
        } catch (ConditionTimeoutException notReady) {
            String said = Files.readString(log);
            close();
            throw new IllegalStateException("moto server did not answer within " + timeout.toSeconds() + " s: " + said);
        }
    }
}
