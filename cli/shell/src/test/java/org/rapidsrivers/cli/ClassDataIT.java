package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class data the launcher records after a build holds the classes of both backends, whichever
 * command ran first: an archive recorded by an embedded command serves an AWS command's SDK classes
 * (ClassDataTraining), where without the training it serves next to none of them.
 */
class ClassDataIT {
    private static final Path JAR = RrProcess.launcher().getParent().resolve("cli/target/rr.jar");

    @TempDir
    Path workDir;

    @Test
    void anArchiveRecordedByAnEmbeddedCommandServesTheAwsSdkToo() throws Exception {
        Path trained = workDir.resolve("trained.jsa");
        Path untrained = workDir.resolve("untrained.jsa");
        java(List.of("-XX:ArchiveClassesAtExit=" + trained, "-D" + ClassDataTraining.PROPERTY + "=true"), "topics");
        java(List.of("-XX:ArchiveClassesAtExit=" + untrained), "topics");

        assertThat(sdkClassesFromTheArchive(trained)).as("SDK classes served by the trained archive").isGreaterThan(500);
        assertThat(sdkClassesFromTheArchive(untrained)).as("by one recorded from the embedded command alone")
                .isLessThan(20);
    }

    /** How many AWS SDK classes an AWS command (against a port nothing answers) loads from the archive. */
    private long sdkClassesFromTheArchive(Path archive) throws Exception {
        String log = java(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"), "--backend", "aws",
                "--emulator", "--endpoint-url", "http://127.0.0.1:9", "--stage", "probe", "status");
        return log.lines().filter(line -> line.contains(" software.amazon.awssdk.") && line.contains("shared objects file"))
                .count();
    }

    private String java(List<String> options, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        command.addAll(options);
        command.addAll(List.of("-jar", JAR.toString(), "--data-dir", workDir.resolve("data").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(JAR)).isTrue();
        return output;
    }
}
