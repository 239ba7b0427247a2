package org.rapidsrivers.cli;

import org.rapidsrivers.core.testing.Needed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell on a real pseudo-terminal, made by util-linux's script(1): the prompt,
 * tab completion of commands, rivers and topics, and history kept in the data directory.
 */
class InteractiveShellIT {
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @TempDir
    Path workDir;

    private Process shell;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private OutputStream keyboard;

    @BeforeEach
    void aStageWithARiver() {
        Needed.assume(Files.isExecutable(SCRIPT), "script(1) from util-linux is needed to make a pseudo-terminal");
        assertThat(RrProcess.run(workDir, "advertise ViewPage\nsubscribe offers ViewPage\n", "--stage", "dev").exitCode()).isZero();
    }

    /** Starts the shell on a pseudo-terminal; {@code pipeline} follows rr on the shell command line (e.g. "| tee out"). */
    private void startTheShellOnAPseudoTerminal(String pipeline) throws IOException {
        // Without a pipeline rr replaces the shell that script(1) starts, as when a person types rr at a
        // prompt: a non-interactive dash between them would die of the Ctrl-C that rr itself handles.
        String rr = (pipeline.isEmpty() ? "exec " : "") + String.join(" ", RrProcess.launcherWithCtrlC()) + " --stage dev "
                + pipeline;
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "-qfec",
                "umask 022; stty cols 120 rows 40; " + rr, "/dev/null")
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("TERM", "xterm");
        builder.environment().put("SHELL", "/bin/sh"); // the same shell under script(1) on every machine
        shell = builder.start();
        keyboard = shell.getOutputStream();
        Thread pump = new Thread(() -> {
            try {
                byte[] buffer = new byte[4096];
                for (int n; (n = shell.getInputStream().read(buffer)) > 0; ) {
                    synchronized (screen) {
                        screen.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the shell ended
            }
        });
        pump.setDaemon(true);
        pump.start();
    }

    @AfterEach
    void stop() {
        if (shell != null) {
            shell.destroyForcibly();
        }
    }

    @Test
    void promptsRunsCommandsCompletesAndKeepsHistory() throws Exception {
        startTheShellOnAPseudoTerminal("");
        awaitScreen("cmd> ", 1);

        type("topics\r");
        awaitScreen("[\"ViewPage\"]", 1);
        awaitScreen("cmd> ", 2);

        type("lists\t");
        awaitScreen("listsubs ", 1);
        type("off\t");
        awaitScreen("listsubs offers", 1);
        type("\r");
        awaitScreen("[\"ViewPage\"]", 2);

        type("unsubscribe offers View\t");
        awaitScreen("unsubscribe offers ViewPage", 1);
        type("\r");
        awaitScreen("unsubscribed offers from ViewPage", 1);

        // a line typed with a leading space is not kept: the way to leave a secret out, as in bash
        type(" advertise Secret4111x\r");
        awaitScreen("advertised Secret4111x", 1);

        type("exit\r");
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isZero();
        assertThat(Files.readString(workDir.resolve(".rapids/history")))
                .contains("topics", "listsubs offers", "unsubscribe offers ViewPage", "exit").doesNotContain("Secret4111x");
        // the history keeps every payload typed: only its owner may read it, whatever the umask
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workDir.resolve(".rapids/history"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workDir.resolve(".rapids"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aHistoryFileThatIsALinkIsNotFollowedTheShellSaysSoAndKeepsNoHistoryOnDisk() throws Exception {
        Path elsewhere = Files.writeString(workDir.resolve("someone-elses-file"), "theirs\n");
        Files.createSymbolicLink(workDir.resolve(".rapids/history"), elsewhere);
        startTheShellOnAPseudoTerminal("");
        awaitScreen("history is kept for this session only: ", 1);
        awaitScreen("is a symbolic link", 1);
        awaitScreen("cmd> ", 1);

        type("advertise Secret4111y\r");
        awaitScreen("advertised Secret4111y", 1);
        type("exit\r");
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(elsewhere)).isEqualTo("theirs\n");
    }

    @Test
    void ctrlCCancelsTheRunningCommandAndTheShellGoesOn() throws Exception {
        startTheShellOnAPseudoTerminal("");
        awaitScreen("cmd> ", 1);

        type("readfrom --wait 20 offers\r");
        // the line accepted (the shell has moved to the next line): the command is running, waiting
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> shown().matches("(?s).*readfrom --wait 20 offers\r*\n.*"));
        long pressed = System.nanoTime();
        type("\u0003");
        awaitScreen("cancelled", 1);
        awaitScreen("cmd> ", 2);
        assertThat(Duration.ofNanos(System.nanoTime() - pressed)).isLessThan(Duration.ofSeconds(10));

        type("listsubs offers\r");
        awaitScreen("[\"ViewPage\"]", 1);
        type("exit\r");
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isZero();
    }

    @Test
    void standardOutputIntoAPipeIsStillAPersonAtTheTerminal() throws Exception {
        startTheShellOnAPseudoTerminal("| tee out.txt");
        awaitScreen("cmd> ", 1);

        type("readfrom nowhere\r");
        awaitScreen("error: river 'nowhere' does not exist", 1);
        awaitScreen("cmd> ", 2);
        type("listsubs offers\r");
        awaitScreen("[\"ViewPage\"]", 1);
        type("exit\r");

        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isZero();
        assertThat(Files.readString(workDir.resolve("out.txt"))).isEqualTo("[\"ViewPage\"]\n");
    }

    @Test
    void aQuoteLeftOpenContinuesOnTheNextLine() throws Exception {
        startTheShellOnAPseudoTerminal("");
        awaitScreen("cmd> ", 1);

        type("send ViewPage S '{\"name\":\r");
        type("\"Sally\"}'\r");
        awaitScreen("cmd> ", 2);
        type("readfrom offers\r");
        awaitScreen("\"name\": \"Sally\"", 1);
        type("exit\r");
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anErrorAtThePromptDoesNotEndTheShellAndCtrlDDoes() throws Exception {
        startTheShellOnAPseudoTerminal("");
        awaitScreen("cmd> ", 1);

        type("readfrom nowhere\r");
        awaitScreen("error: river 'nowhere' does not exist", 1);
        awaitScreen("cmd> ", 2);
        type("\u0004");

        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isZero();
    }

    private void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Waits until the text has appeared at least {@code times} times on the screen. */
    private void awaitScreen(String text, int times) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> count(shown(), text) >= times);
        } catch (ConditionTimeoutException notShown) {
            throw new AssertionError("expected '" + text + "' " + times + " time(s) on the screen, saw:\n" + shown()
                    .replace("\r", "\\r"), notShown);
        }
    }

    private String shown() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "")
                    .replaceAll("\u001B[=>]", "");
        }
    }

    private static int count(String haystack, String needle) {
        int count = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }
}
