package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session from the original Node example's README, fed to a real ./rr, compared with a golden transcript. */
class OriginalSessionIT {
    static final String SESSION = String.join("\n",
            "topics",
            "advertise ViewPage",
            "topics",
            "subscribe r1 ViewPage",
            "readfrom r1",
            "send ViewPage TheSource '{\"name\":\"Sally\"}'",
            "readfrom r1",
            "listsubs r1",
            "unsubscribe r1 ViewPage",
            "listsubs r1") + "\n";

    @TempDir
    Path workDir;

    @Test
    void theOriginalSessionPrintsTheGoldenTranscript() throws IOException {
        RrProcess.Result result = RrProcess.run(workDir, SESSION, "--rapids", "Rapids-dev", "--control-stream", "Control-dev");

        assertThat(result.exitCode()).isZero();
        assertThat(result.normalizedStdout()).isEqualTo(golden("original-session.txt"));
        assertThat(result.stderr()).isEqualTo("stage not specified - default to dev\n");
        assertThat(workDir.resolve(".rapids/dev.db")).exists();
    }

    @Test
    void withJsonEveryCommandPrintsOneJsonDocumentPerLine() {
        RrProcess.Result result = RrProcess.run(workDir, SESSION, "--stage", "dev", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(result.normalizedStdout()).isEqualTo(String.join("\n",
                "[]",
                "{\"command\":\"advertise\",\"topic\":\"ViewPage\",\"commandId\":\"<uuid>\",\"status\":\"applied\"}",
                "[\"ViewPage\"]",
                "{\"command\":\"subscribe\",\"river\":\"r1\",\"topic\":\"ViewPage\",\"commandId\":\"<uuid>\",\"status\":\"applied\"}",
                "[]",
                "{\"eventId\":\"<uuid>\",\"eventType\":\"ViewPage\"}",
                "[{\"eventId\":\"<uuid>\",\"eventType\":\"ViewPage\",\"eventDomain\":\"TheSource\",\"timestamp\":\"<timestamp>\","
                        + "\"payload\":{\"name\":\"Sally\"}}]",
                "[\"ViewPage\"]",
                "{\"command\":\"unsubscribe\",\"river\":\"r1\",\"topic\":\"ViewPage\",\"commandId\":\"<uuid>\",\"status\":\"applied\"}",
                "[]") + "\n");
    }

    static String golden(String name) throws IOException {
        try (InputStream in = OriginalSessionIT.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
