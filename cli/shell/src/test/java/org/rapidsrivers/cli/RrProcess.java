package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Understands how a test runs the real ./rr launcher as a user would: arguments, standard input, exit code, output. */
final class RrProcess {
    private static final Path LAUNCHER = Path.of(System.getProperty("rr.launcher", "../../rr")).toAbsolutePath().normalize();

    private RrProcess() {
    }

    static Path launcher() {
        return LAUNCHER;
    }

    /**
     * The launcher, and before it what a process needs to stop on Ctrl-C when this build was started with
     * SIGINT ignored (a shell that starts a job in the background without job control ignores SIGINT for it,
     * every child inherits that, and a JVM never handles a signal ignored at its start): GNU env puts SIGINT
     * back to its default. Nothing where SIGINT is handled as usual.
     */
    static List<String> launcherWithCtrlC() {
        List<String> command = new ArrayList<>();
        if (sigintIgnoredHere()) {
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.add(LAUNCHER.toString());
        return command;
    }

    /** Whether this JVM was started with SIGINT ignored (SigIgn in /proc/self/status, bit 2 for signal 2). */
    static boolean sigintIgnoredHere() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2) != 0;
                }
            }
        } catch (IOException | NumberFormatException noProc) {
            // no /proc: nothing to tell
        }
        return false;
    }

    static Result run(Path workDir, String stdin, String... args) {
        return run(workDir, stdin, Map.of(), args);
    }

    static Result run(Path workDir, String stdin, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().remove("RR_DATA_DIR");
        // an empty value removes the variable: to run as on a machine without it
        env.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            Process process = builder.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread outPump = pump(process.getInputStream(), out);
            Thread errPump = pump(process.getErrorStream(), err);
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException stoppedReading) {
                // a script that stops at a failing line reads no further: its exit code says why
            }
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("rr finished within 120 s").isTrue();
            outPump.join();
            errPump.join();
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Thread pump(InputStream from, ByteArrayOutputStream to) {
        Thread thread = new Thread(() -> {
            try {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the process went away: what was read is what there is
            }
        });
        thread.start();
        return thread;
    }

    /** Understands what one run of rr left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        /** Event ids and timestamps change every run; everything else must not. */
        String normalizedStdout() {
            return stdout.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>")
                    .replaceAll("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z", "<timestamp>");
        }

        /** Standard error without the notice about the default stage. */
        String errors() {
            return stderr.replace("stage not specified - default to dev\n", "");
        }
    }
}
