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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Understands services run as a user runs them, each an rr service process of its own on one stage:
 * started (optionally under another command, such as faketime; several side by side), awaited until it
 * says it started, everything it prints kept for the test to read, killed with SIGKILL or stopped with SIGTERM.
 */
final class ServiceProcesses implements AutoCloseable {
    private final Path workDir;
    private final List<String> options;
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, StringBuffer> printed = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<Boolean>> started = new LinkedHashMap<>();

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

    /**
     * Starts rr service NAME as {@code label} (such as "location#2") without waiting for it; {@link
     * #awaitStarted} waits for every one launched.
     */
    void launch(String label, String name, String... arguments) throws IOException {
        launchAs(label, name, List.of(), Map.of(), arguments);
    }

    /** Waits until every service launched has said it started (they start side by side). */
    void awaitStarted() throws IOException {
        for (String label : started.keySet()) {
            awaitStarted(label);
        }
    }

    private Process startAs(String label, String name, List<String> prefix, Map<String, String> env, String... arguments)
            throws IOException {
        launchAs(label, name, prefix, env, arguments);
        awaitStarted(label);
        return running.get(label);
    }

    private void launchAs(String label, String name, List<String> prefix, Map<String, String> env, String... arguments)
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
        CompletableFuture<Boolean> saidStarted = new CompletableFuture<>();
        started.put(label, saidStarted);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> {
            try {
                out.lines().forEach(line -> {
                    output.append(line).append('\n');
                    System.out.println(label + ": " + line);
                    if (line.startsWith("service " + name + " started")) {
                        saidStarted.complete(true);
                    }
                });
            } catch (UncheckedIOException closed) {
                // the process was stopped
            }
            saidStarted.complete(false);
        });
        pump.setDaemon(true);
        pump.start();
    }

    private void awaitStarted(String label) throws IOException {
        boolean said;
        try {
            said = started.get(label).get(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + label + " started", e);
        } catch (ExecutionException | TimeoutException e) {
            said = false;
        }
        assertThat(said).as("rr service " + label + " started; it said:\n" + printed.get(label)).isTrue();
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
