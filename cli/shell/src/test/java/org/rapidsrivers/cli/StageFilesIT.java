package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage's files under faults, through the real ./rr: a write-ahead log removed under a running sender
 * refuses the sender's next send in one line, and every send acknowledged before it is still there.
 */
class StageFilesIT {
    @TempDir
    Path workDir;

    @Test
    void aLogRemovedUnderASenderRefusesItsNextSendAndKeepsWhatWasAcknowledged() throws Exception {
        Process sender = new ProcessBuilder(RrProcess.launcher().toString(), "--stage", "files").directory(workDir.toFile()).start();
        List<String> ids = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> new BufferedReader(new InputStreamReader(
                sender.getInputStream(), StandardCharsets.UTF_8)).lines().filter(l -> l.matches("[0-9a-f-]{36}")).forEach(ids::add));
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(sender.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try (PrintWriter in = new PrintWriter(sender.getOutputStream(), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 25; i++) {
                in.println("send Sent S '{\"n\":" + i + "}'");
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> ids.size() == 25);
            Path wal = workDir.resolve(".rapids/files.db-wal");
            assertThat(wal).exists();
            Files.delete(wal);
            // a send within the guard's look (10 ms) may still be acknowledged, into the removed log, and kept;
            // each send here waits for the one before, so the second at the latest is refused
            for (int i = 25; i < 30 && sender.isAlive(); i++) {
                int before = ids.size();
                in.println("send Sent S '{\"n\":" + i + "}'");
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> ids.size() > before || !sender.isAlive());
            }
        }
        assertThat(sender.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reading.get(10, TimeUnit.SECONDS);
        String said = errors.get(10, TimeUnit.SECONDS);

        assertThat(sender.exitValue()).as(said).isEqualTo(1);
        assertThat(ids.size()).as("refused at the second send after the log went, at the latest").isBetween(25, 26);
        assertThat(said.lines().filter(l -> l.startsWith("error: ")).toList()).singleElement().asString()
                .contains("the stage's write-ahead log ", "files.db-wal was removed under this process: writes are refused from now",
                        "stop every process of the stage");
        assertThat(said).contains("rr: copied the removed log's commits (");

        RrProcess.Result tail = RrProcess.run(workDir, null, "--stage", "files", "tail", "--type", "Sent", "-n", "100");
        assertThat(tail.exitCode()).as(tail.stderr()).isZero();
        assertThat(tail.stdout().lines().toList()).as("every acknowledged send is kept").hasSize(ids.size())
                .allMatch(line -> ids.stream().anyMatch(line::contains));
    }

    @Test
    void aDataDirectoryItsOwnerMadeReadOnlyIsReadAndNeverWrittenOrChmodedBack() throws Exception {
        RrProcess.Result sent = RrProcess.run(workDir, "subscribe r Sent\nsend Sent S '{\"n\":1}'\n", "--stage", "ro");
        assertThat(sent.exitCode()).as(sent.stderr()).isZero();
        Path dataDir = workDir.resolve(".rapids");
        try (var files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
            }
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("r-x------"));
        try {
            RrProcess.Result tail = RrProcess.run(workDir, null, "--stage", "ro", "tail", "--type", "Sent");
            assertThat(tail.exitCode()).as(tail.stderr()).isZero();
            assertThat(tail.stdout()).contains("  Sent  ", "{\"n\":1}");

            RrProcess.Result refused = RrProcess.run(workDir, null, "--stage", "ro", "send", "Sent", "S", "{}");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errors()).contains("error: data directory .rapids is read-only (its owner's write permission is"
                    + " off): reads work, writes are refused; chmod u+w the directory and its files to write there again");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                    .as("never chmod-ed back").isEqualTo("r-x------");
            try (var files = Files.list(dataDir)) {
                assertThat(files.toList()).allSatisfy(file -> assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(file))).isEqualTo("r--------"));
            }
        } finally {
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
