package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-shot commands in sequence behave like the same commands in one session, and a restart finds everything. */
class OneShotIT {
    @TempDir
    Path workDir;

    @Test
    void oneShotCommandsInSequenceBehaveLikeOneSession() {
        assertThat(rr("subscribe", "r1", "ViewPage").stdout()).isEqualTo("subscribed r1 to ViewPage\n");
        RrProcess.Result sent = rr("send", "ViewPage", "S", "{}");
        String eventId = sent.stdout().strip();

        RrProcess.Result read = rr("readfrom", "r1");

        assertThat(read.exitCode()).isZero();
        assertThat(read.stdout()).contains("\"eventId\": \"" + eventId + "\"", "\"eventDomain\": \"S\"", "\"payload\": {}");
        assertThat(rr("readfrom", "r1", "--wait", "0").stdout()).isEqualTo("[]\n");
    }

    @Test
    void aRestartedShellFindsRiversSubscriptionsCatalogAndUnreadMessages() {
        RrProcess.Result first = RrProcess.run(workDir, String.join("\n",
                "advertise OfferMade", "subscribe offers OfferMade", "subscribe offers ViewPage",
                "send OfferMade engine '{\"offer\":1}'", "send OfferMade engine '{\"offer\":2}'", "exit", "send lost after exit S") + "\n",
                "--stage", "dev");
        assertThat(first.exitCode()).isZero();
        assertThat(first.stdout()).doesNotContain("cmd> send lost");

        RrProcess.Result second = RrProcess.run(workDir, "topics\nlistsubs offers\nreadfrom offers\nreadfrom offers --wait 0\n",
                "--stage", "dev");

        assertThat(second.exitCode()).isZero();
        assertThat(second.normalizedStdout()).startsWith(String.join("\n",
                "cmd> topics", "[\"OfferMade\"]", "cmd> listsubs offers", "[\"OfferMade\",\"ViewPage\"]", "cmd> readfrom offers"));
        assertThat(second.stdout()).contains("\"offer\": 1", "\"offer\": 2");
        assertThat(second.stdout()).endsWith("cmd> readfrom offers --wait 0\n[]\n");
    }

    @Test
    void everyCommandExplainsItselfWithHelpAsRrHelpDoes() {
        for (String command : List.of("send", "subscribe", "readfrom", "status", "bench", "deploy", "scenario")) {
            RrProcess.Result asked = rr(command, "--help");
            assertThat(asked.exitCode()).as(command + " --help").isZero();
            assertThat(asked.stdout()).as(command + " --help").startsWith("Usage: rr " + command)
                    .isEqualTo(rr("help", command).stdout());
        }
        assertThat(rr("readfrom", "-h").stdout()).contains("--peek", "--dlq");
    }

    @Test
    void peekLeavesTheMessagesInTheRiver() {
        rr("subscribe", "r1", "T");
        rr("send", "T", "S", "{\"n\":1}");

        assertThat(rr("readfrom", "r1", "--peek").stdout()).contains("\"n\": 1");
        assertThat(rr("readfrom", "r1").stdout()).contains("\"n\": 1");
        assertThat(rr("readfrom", "r1", "--wait", "0").stdout()).isEqualTo("[]\n");
    }

    @Test
    void theDataDirectoryComesFromTheOptionElseRrDataDirElseDotRapids() {
        RrProcess.run(workDir, null, Map.of("RR_DATA_DIR", workDir.resolve("from-env").toString()), "--stage", "dev", "advertise", "A");
        RrProcess.run(workDir, null, "--stage", "dev", "--data-dir", "from-option", "advertise", "B");
        RrProcess.run(workDir, null, "--stage", "dev", "advertise", "C");

        assertThat(workDir.resolve("from-env/dev.db")).exists();
        assertThat(workDir.resolve("from-option/dev.db")).exists();
        assertThat(workDir.resolve(".rapids/dev.db")).exists();
        assertThat(rr("topics").stdout()).isEqualTo("[\"C\"]\n");
    }

    @Test
    void stagesAndStreamNamesAreKeptApart() {
        RrProcess.run(workDir, null, "--stage", "prod", "advertise", "OnlyInProd");

        assertThat(rr("topics").stdout()).isEqualTo("[]\n");
        assertThat(RrProcess.run(workDir, null, "--stage", "prod", "topics").stdout()).isEqualTo("[\"OnlyInProd\"]\n");
    }

    @Test
    void aStageMayBeNamedLikeACommand() {
        assertThat(RrProcess.run(workDir, null, "--stage", "bench", "advertise", "T").exitCode()).isZero();
        assertThat(RrProcess.run(workDir, null, "--stage", "topics", "topics").stdout()).isEqualTo("[]\n");
        assertThat(RrProcess.run(workDir, null, "--stage", "bench", "topics").stdout()).isEqualTo("[\"T\"]\n");
    }

    @Test
    void noWaitSendsTheCommandAndTheNextCommandSeesItApplied() {
        RrProcess.Result sent = rr("subscribe", "r9", "T", "--no-wait");

        assertThat(sent.stdout()).startsWith("sent subscribe r9 T (commandId ");
        assertThat(rr("readfrom", "r9", "--wait", "0").stdout()).isEqualTo("[]\n");
        assertThat(rr("listsubs", "r9").stdout()).isEqualTo("[\"T\"]\n");
    }

    @Test
    void helpListsTheCommandsOfTheOriginal() {
        RrProcess.Result help = rr("help");

        assertThat(help.stdout()).startsWith(String.join("\n",
                "Commands:",
                "  help [command]                Provides help for a given command.",
                "  exit                          Exits application.",
                "  send <event> <source> [data]  Publish event with optional data",
                "  subscribe <river> <topic>     Subscribe a river to a topic",
                "  readfrom <river>              Get a batch of messages",
                "  listsubs <river>              List subscriptions for a river",
                "  unsubscribe <river> <topic>   Remove a topic from a river subscription",
                "  topics                        List topics",
                "  advertise <topic>             Advertise a topic others may consume"));
        assertThat(rr("help", "readfrom").stdout()).contains("--max=<n>", "--wait=<seconds>", "--peek");
    }

    private RrProcess.Result rr(String... args) {
        String[] withStage = new String[args.length + 2];
        withStage[0] = "--stage";
        withStage[1] = "dev";
        System.arraycopy(args, 0, withStage, 2, args.length);
        RrProcess.Result result = RrProcess.run(workDir, null, withStage);
        assertThat(result.stderr()).as("stderr of rr %s", String.join(" ", args)).isEmpty();
        return result;
    }
}
