package org.rapidsrivers.cli;

import org.rapidsrivers.core.testing.Needed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * A stage survives a full disk and a jumping clock, through the real ./rr with the five offers services
 * as processes of their own: after the disk is freed, or after a clock jumped an hour ahead and its
 * process was killed, the scenario gives the exact bundle again, nothing sent before is lost, and the
 * processes recovered by themselves and said so.
 */
class FaultsIT {
    private static final List<String> SERVICES = List.of("segmentation", "membership", "location", "brand", "offer-engine");
    private static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
    private static final String OK = "ok: the bundle holds the five expected offers";

    @TempDir
    Path workDir;

    private ServiceProcesses services;
    private Path mounted;

    @AfterEach
    void stop() throws Exception {
        if (services != null) {
            services.close();
        }
        if (mounted != null) {
            bash("umount " + mounted + " || umount -l " + mounted);
        }
    }

    /** Mounting a small tmpfs needs root, as CI has; elsewhere this is skipped and says so. */
    @Test
    void afterAFullDiskIsFreedEveryProcessGoesOnByItselfAndNothingIsLost() throws Exception {
        Path mount = Files.createDirectories(workDir.resolve("small"));
        Needed.assume(bash("mount -t tmpfs -o size=24m tmpfs " + mount + " && echo mounted").contains("mounted"),
                "mounting a small tmpfs needs root");
        mounted = mount;
        List<String> stage = List.of("--data-dir", mount.resolve("data").toString(), "--stage", "dev");
        services = new ServiceProcesses(workDir, stage);
        // the first hosts the planes (it holds the streams' leases); the rest start side by side
        for (String name : SERVICES) {
            services.launch(name, name, name.equals("offer-engine") ? new String[] {"--visibility", "3s", "--set", "window=4s"}
                    : new String[] {"--visibility", "3s"});
            if (name.equals(SERVICES.get(0))) {
                services.awaitStarted();
            }
        }
        services.awaitStarted();
        assertThat(scenario(stage).stdout()).contains(OK);

        // a page view is under way when the disk fills up: its need is open in the engine's pond, and every
        // commit from here on needs new space (the log is pinned: see WalPin), so the processes' next writes
        // are refused for certain, not only those that happen to need a new block
        CompletableFuture<RrProcess.Result> underWay = CompletableFuture.supplyAsync(() -> scenario(stage));
        Path dataDir = mount.resolve("data");
        awaitOpenNeed(dataDir);
        try (WalPin pinned = WalPin.hold(dataDir, Stage.DEFAULT)) {
            bash("dd if=/dev/zero of=" + mount.resolve("filler") + " bs=64k 2>/dev/null; dd if=/dev/zero of="
                    + mount.resolve("filler2") + " bs=4k 2>/dev/null; sync");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> SERVICES.stream().anyMatch(name -> services.printed(name).contains("is full")));

            // full to the last block again (a reader may have given back the space kept in reserve for draining)
            bash("dd if=/dev/zero of=" + mount.resolve("filler3") + " bs=4k 2>/dev/null; sync");
            // SQLite reuses the free pages of its file first, so large sends may go on until one needs space
            // the disk no longer has; the script stops at that one
            String large = "send Large S '{\"filler\":\"" + "x".repeat(100_000) + "\"}'\n";
            RrProcess.Result refused = RrProcess.run(workDir, large.repeat(200), withStage(stage));
            assertThat(refused.exitCode()).as("a send while the disk is full is refused").isEqualTo(1);
            assertThat(refused.errors()).contains("the disk is full; free some space");
        }

        for (String filler : List.of("filler", "filler2", "filler3")) {
            Files.delete(mount.resolve(filler));
        }
        long freed = System.nanoTime();
        RrProcess.Result finished = underWay.get(120, TimeUnit.SECONDS);
        System.out.printf("disk freed: the page view under way got its bundle %d ms later%n",
                (System.nanoTime() - freed) / 1_000_000);

        assertThat(finished.exitCode()).as(finished.stderr()).isZero();
        assertThat(finished.stdout()).as("the page view that was under way got its bundle").contains(OK);
        assertThat(scenario(stage).stdout()).as("and the next one too").contains(OK);
        for (String name : SERVICES) {
            assertThat(services.process(name).isAlive()).as(name + " still runs, never restarted").isTrue();
            // said once per time the disk filled (the test fills it twice; space given back for draining, or a
            // page SQLite frees, can let a write through in between, each time the service's own), and once when
            // there was room again: never a line per write (dozens of writes are refused meanwhile)
            String said = services.printed(name);
            long full = said.lines().filter(l -> l.contains("is full: writes are refused")).count();
            assertThat(full).as(name + ": " + said).isBetween(0L, 5L);
            assertThat(said.lines().filter(l -> l.contains("there is room again")).count()).as(name + ": " + said)
                    .isEqualTo(full);
        }
    }

    /** faketime from Debian (make test installs it where it runs as root); elsewhere this is skipped and says so. */
    @Test
    void aClockThatJumpsAnHourAheadHoldsNothingUpAndAKilledHolderIsTakenOverInOneTimeToLive() throws Exception {
        Needed.assume(Files.isReadable(LIBFAKETIME), "needs Debian's faketime (make test installs it where apt-get may run)");
        List<String> stage = List.of("--data-dir", workDir.resolve("data").toString(), "--stage", "dev");
        Path clock = workDir.resolve("engine-clock");
        Files.writeString(clock, "+0\n");
        Map<String, String> underFaketime = Map.of("LD_PRELOAD", LIBFAKETIME.toString(), "FAKETIME_TIMESTAMP_FILE",
                clock.toString(), "FAKETIME_NO_CACHE", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1");
        services = new ServiceProcesses(workDir, stage);
        // the engine starts first, so it hosts the planes and holds both streams' leases
        Process engine = services.start("offer-engine", List.of(), underFaketime, "--set", "window=3s", "--visibility", "3s");
        for (String name : SERVICES.subList(0, 4)) {
            services.start(name, "--visibility", "3s");
        }
        assertThat(scenario(stage).stdout()).contains(OK);

        Files.writeString(clock, "+1h\n");
        String ahead = "ahead by pid " + engine.pid();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> RrProcess.run(workDir, null, withStage(stage, "status")).stdout(), shown -> shown.contains(ahead));
        assertThat(scenario(stage).stdout()).as("with the planes' host an hour ahead").contains(OK);

        services.kill("offer-engine");
        long killed = System.nanoTime();
        services.start("offer-engine", "--set", "window=3s", "--visibility", "3s");
        RrProcess.Result afterKill = scenario(stage);
        System.out.printf("holder an hour ahead killed: the next page view had its bundle %d ms later%n",
                (System.nanoTime() - killed) / 1_000_000);

        assertThat(afterKill.exitCode()).as(afterKill.stderr()).isZero();
        assertThat(afterKill.stdout()).as("the leases it held an hour ahead were taken over").contains(OK);
    }

    private RrProcess.Result scenario(List<String> stage) {
        return RrProcess.run(workDir, null, withStage(stage, "scenario", "offers", "--no-services", "--window", "4s",
                "--timeout", "90s"));
    }

    private static String[] withStage(List<String> stage, String... command) {
        return Stream.concat(stage.stream(), Stream.of(command)).toArray(String[]::new);
    }

    /** Waits until the engine's pond holds a need it opened (a page view under way). */
    private static void awaitOpenNeed(Path dataDir) {
        try (EmbeddedBackend stage = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            Pond needs = stage.pond("offer-engine");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> needs.withPrefix("need/").values().stream()
                            .anyMatch(need -> need.path("state").asText().equals("OPEN")));
        }
    }

    private static String bash(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
