package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gets one line on standard error that names the problem and what is
 * allowed, a non-zero exit code, no stack trace, and leaves nothing half-done.
 */
class BadInputIT {
    @TempDir
    Path workDir;

    @BeforeEach
    void aRiverThatWouldShowAnythingPublished() {
        assertThat(run("subscribe", "watch", "ViewPage").exitCode()).isZero();
        assertThat(run("subscribe", "watch", "Big").exitCode()).isZero();
    }

    @Test
    void invalidJsonDataNamesTheJsonProblemAndPublishesNothing() {
        RrProcess.Result result = run("send", "ViewPage", "TheSource", "{\"name\": Sally}");

        assertOneLineError(result, 1, "error: invalid data: malformed JSON: Unrecognized token 'Sally'");
        assertThat(result.stderr()).contains("line 1, column");
        assertNothingArrived();
    }

    @Test
    void anUnknownCommandSuggestsHelp() {
        assertOneLineError(run("foo"), 2, "error: unknown command 'foo', try help");
        assertOneLineError(run("subscrbe", "r1", "T"), 2, "error: unknown command 'subscrbe', try help (did you mean subscribe?)");
    }

    @Test
    void theWrongNumberOfArgumentsShowsTheUsageLine() {
        assertOneLineError(run("subscribe", "r1"), 2,
                "error: wrong number of arguments for subscribe; usage: rr subscribe [OPTIONS] <river> <topic>");
        assertOneLineError(run("send", "A", "B", "{}", "extra"), 2,
                "error: wrong number of arguments for send; usage: rr send [OPTIONS] <event> <source> [data]");
        assertOneLineError(run("topics", "extra"), 2, "error: wrong number of arguments for topics; usage: rr topics");
    }

    @Test
    void invalidRiverAndTopicNamesSayWhatIsAllowedAndCreateNothing() {
        assertOneLineError(run("subscribe", "my river", "T"), 1, "error: invalid river name 'my river': use 1-48 letters,"
                + " digits, '-' or '_', starting with a letter or digit and not ending in '-dlq'");
        assertOneLineError(run("subscribe", "orders-dlq", "T"), 1, "error: invalid river name 'orders-dlq'");
        assertOneLineError(run("subscribe", "r1", "View Page"), 1,
                "error: invalid topic 'View Page': use 1-128 characters with no whitespace, control or format characters");
        assertOneLineError(run("send", "View Page", "S"), 1, "error: invalid topic 'View Page'");
        assertOneLineError(run("advertise", "x".repeat(129)), 1, "error: invalid topic");

        assertThat(run("topics").stdout()).isEqualTo("[]\n");
        assertOneLineError(run("listsubs", "r1"), 1, "error: river 'r1' does not exist");
    }

    @Test
    void readingARiverThatDoesNotExistSaysSo() {
        assertOneLineError(run("readfrom", "nowhere"), 1,
                "error: river 'nowhere' does not exist (subscribe it to a topic to create it)");
        assertOneLineError(run("readfrom", "watch", "--max", "11"), 1, "error: --max must be between 1 and 10");
        assertOneLineError(run("readfrom", "watch", "--wait", "21"), 1, "error: --wait must be between 0 and 20 seconds");
    }

    @Test
    void the151stTopicOfARiverIsRefusedWithTheReason() {
        StringBuilder script = new StringBuilder();
        for (int i = 1; i <= 151; i++) {
            script.append("subscribe crowded T").append(i).append('\n');
        }
        RrProcess.Result result = RrProcess.run(workDir, script.toString(), "--stage", "dev");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("subscribed crowded to T150").doesNotContain("subscribed crowded to T151");
        assertThat(result.errors()).isEqualTo("error: subscribe crowded T151 was rejected: river 'crowded' already has 150"
                + " topics, the most one river can have is 150 (the SNS filter policy limit); unsubscribe one first\n");
        assertThat(run("listsubs", "crowded").stdout()).doesNotContain("T151").contains("T150");
    }

    @Test
    void anEventOver256KiBIsRefusedBeforeAnythingIsSent() {
        // a single argument of this size is more than Linux passes to a program, so it comes in a script
        String data = "{\"blob\":\"" + "x".repeat(300 * 1024) + "\"}";
        RrProcess.Result result = RrProcess.run(workDir, "send Big S '" + data + "'\n", "--stage", "dev");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors()).matches("error: event is too large: \\d+ bytes, the most allowed is 262144 \\(256 KiB,"
                + " the SNS message limit\\)\n");
        assertNothingArrived();
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefusedClearly() throws Exception {
        Files.writeString(workDir.resolve("not-a-dir"), "x");

        assertOneLineError(RrProcess.run(workDir, null, "--stage", "dev", "--data-dir", "not-a-dir", "topics"), 1,
                "error: data directory not-a-dir is not a directory");
    }

    @Test
    void aLockedDataDirectoryIsReportedWithoutAStackTrace() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + workDir.resolve(".rapids/dev.db"));
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            assertOneLineError(run("topics"), 1, "error: data directory is locked: .rapids/dev.db stayed busy for 5 s"
                    + " (another process holds it; close it or use another --data-dir)");
            statement.execute("ROLLBACK");
        }
    }

    @Test
    void anUnclosedQuoteInAScriptIsAUsageError() {
        RrProcess.Result result = RrProcess.run(workDir, "send A B '{\"a\":1}\ntopics\n", "--stage", "dev");

        assertThat(result.exitCode()).isEqualTo(2);
        // the quote may close on a later line, as in a POSIX shell; here it never does
        assertThat(result.errors()).isEqualTo("error: the script ends in the middle of a command (an open quote or a"
                + " trailing \\) that began with: send A B '{\"a\":1}\\u000atopics\n");
        assertThat(result.stdout()).doesNotContain("cmd> topics");
    }

    @Test
    void aScriptStopsAtTheFirstFailureUnlessToldToKeepGoing() {
        String script = "topics\nreadfrom nowhere\nadvertise After\n";

        RrProcess.Result stopped = RrProcess.run(workDir, script, "--stage", "dev");
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.stdout()).doesNotContain("cmd> advertise After");

        RrProcess.Result kept = RrProcess.run(workDir, script, "--stage", "dev", "--keep-going");
        assertThat(kept.exitCode()).isEqualTo(1);
        assertThat(kept.stdout()).contains("cmd> advertise After", "advertised After");
    }

    @Test
    void awsSetupProblemsAreOneLineEach() {
        Map<String, String> noAws = Map.of("AWS_CONFIG_FILE", "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent", "AWS_REGION", "", "AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", "");
        assertOneLineError(RrProcess.run(workDir, null, noAws, "--stage", "dev", "--backend", "aws", "topics"), 1,
                "error: no AWS region: set AWS_REGION (or a region in ~/.aws/config) or use --region");
        assertOneLineError(RrProcess.run(workDir, null, noAws, "--stage", "dev", "--backend", "aws", "--region", "xx-nowhere-1",
                "topics"), 1, "error: unknown AWS region 'xx-nowhere-1': use one such as us-east-1 or eu-west-1");
        assertOneLineError(RrProcess.run(workDir, null, noAws, "--stage", "dev", "--backend", "aws", "--region", "eu-west-1",
                "topics"), 1, "error: no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        assertOneLineError(run("--backend", "aws", "--emulator", "--endpoint-url", "http://127.0.0.1:1", "topics"), 1,
                "error: cannot reach the endpoint for dynamodb:Scan: connection refused (is the emulator running?");
        // with an endpoint too: moto answered an unknown region with an internal error on every call
        assertOneLineError(run("--backend", "aws", "--emulator", "--endpoint-url", "http://127.0.0.1:1", "--region", "xx-nowhere-1",
                "topics"), 1, "error: unknown AWS region 'xx-nowhere-1': use one such as us-east-1 or eu-west-1");
        assertOneLineError(run("--backend", "aws", "--endpoint-url", "nonsense", "topics"), 1,
                "error: invalid --endpoint-url 'nonsense': use http://host:port or https://host");
        assertOneLineError(run("provision"), 1, "error: this needs --backend aws");
    }

    @Test
    void badOptionValuesAreRefusedClearly() {
        assertOneLineError(run("--backend", "cloud", "topics"), 2,
                "error: Invalid value for option '--backend': expected one of [embedded, aws]");
        assertOneLineError(RrProcess.run(workDir, null, "--stage", "Prod", "topics"), 1,
                "error: invalid stage 'Prod': use 1-16 lower-case letters or digits");
    }

    @Test
    void aGlobalOptionAfterTheCommandIsExplained() {
        assertOneLineError(run("readfrom", "watch", "--json"), 2,
                "error: '--json' is a global option: put it before the command when starting rr, as in rr --json readfrom ...");
        RrProcess.Result inScript = RrProcess.run(workDir, "readfrom watch --stage dev\n", "--stage", "dev");
        assertThat(inScript.errors()).isEqualTo("error: '--stage' is a global option: put it before the command when"
                + " starting rr, as in rr --stage <stage> readfrom ...\n");
        assertOneLineError(run("readfrom", "watch", "--bogus"), 2,
                "error: unknown option '--bogus'; usage: rr readfrom [OPTIONS] <river>");
    }

    @Test
    void debugShowsTheStackTraceAfterTheLine() {
        RrProcess.Result result = run("--debug", "readfrom", "nowhere");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors()).startsWith("error: river 'nowhere' does not exist").contains("\tat org.rapidsrivers.");
    }

    private RrProcess.Result run(String... args) {
        String[] withStage = new String[args.length + 2];
        withStage[0] = "--stage";
        withStage[1] = "dev";
        System.arraycopy(args, 0, withStage, 2, args.length);
        return RrProcess.run(workDir, null, withStage);
    }

    private void assertNothingArrived() {
        assertThat(run("readfrom", "watch", "--wait", "1").stdout()).isEqualTo("[]\n");
    }

    private static void assertOneLineError(RrProcess.Result result, int exitCode, String start) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isEqualTo(exitCode);
        assertThat(result.errors()).startsWith(start).endsWith("\n");
        assertThat(result.errors().strip()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.stdout()).isEmpty();
    }
}
