package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Understands services run as a user runs them, each an rr service process of its own on one stage:
 * started (optionally under another command, such as faketime), awaited until it says it started,
 * everything it prints kept for the test to read, killed with SIGKILL or stopped with SIGTERM.
 */
final class ServiceProcesses implements AutoCloseable {
    private final Path workDir;
    private final List<String> options;
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, StringBuffer> printed = new LinkedHashMap<>();

    ServiceProcesses(Path workDir, List<String> globalOptions) {
        this.workDir = workDir;
        this.options = List.copyOf(globalOptions);
    }

    /** Starts rr service NAME (with the arguments) and waits until it says it has started. */
    Process start(String name, String... arguments) throws IOException {
        return start(name, List.of(), Map.of(), arguments);
    }

    /** The same, under {@code prefix} (a command that runs rr) and with more environment. */
    Process start(String name, List<String> prefix, Map<String, String> env, String... arguments) throws IOException {
        return startAs(name, name, prefix, env, arguments);
    }

    /** One more instance of a service, known here by {@code label} (such as "location#2"). */
    Process instance(String label, String name, String... arguments) throws IOException {
        return startAs(label, name, List.of(), Map.of(), arguments);
    }

    private Process startAs(String label, String name, List<String> prefix, Map<String, String> env, String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(RrProcess.launcher().toString());
        command.addAll(options);
        command.addAll(List.of("service", name));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        running.put(label, process);
        StringBuffer output = new StringBuffer();
        printed.put(label, output);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("service " + name + " started")) {
            output.append(line).append('\n');
            System.out.println(label + ": " + line);
        }
        assertThat(line).as("rr service " + name + " started; it said:\n" + output).isNotNull();
        output.append(line).append('\n');
        Thread pump = new Thread(() -> {
            try {
                out.lines().forEach(l -> {
                    output.append(l).append('\n');
                    System.out.println(label + ": " + l);
                });
            } catch (UncheckedIOException closed) {
                // the process was stopped
            }
        });
        pump.setDaemon(true);
        pump.start();
        return process;
    }

    Process process(String name) {
        return running.get(name);
    }

    /** Everything the service printed so far. */
    String printed(String name) {
        return printed.get(name).toString();
    }

    void kill(String name) throws InterruptedException {
        running.get(name).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Kills every service and waits until each has gone (so its files can be removed). */
    @Override
    public void close() {
        running.values().forEach(Process::destroyForcibly);
        for (Process process : running.values()) {
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
