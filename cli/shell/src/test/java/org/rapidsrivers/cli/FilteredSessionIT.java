package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rivers by content through a real ./rr on the embedded backend: a river subscribed with --where gets only the
 * events its filter lets through, another river all of them, a second subscribe replaces the filter, and bad
 * conditions are one line each with nothing changed. AwsSessionIT feeds the same session to the AWS path.
 */
class FilteredSessionIT {
    static final String SESSION = String.join("\n",
            "subscribe r1 Offer --where source=location",
            "subscribe r2 Offer",
            "subscribe r3 Offer --where 'amount>=1000' --where 'amount<5000' --where source!=brand",
            "listsubs r1",
            "listsubs r3",
            "send Offer brand '{\"source\":\"brand\",\"amount\":2000}'",
            "readfrom r2 --wait 5",
            "send Offer location '{\"source\":\"location\",\"amount\":1500}'",
            "readfrom r2 --wait 5",
            "send Offer brand '{\"source\":\"brand\",\"amount\":10}'",
            "readfrom r2 --wait 5",
            "readfrom r1 --wait 5",
            "readfrom r1 --wait 1",
            "readfrom r3 --wait 5",
            "readfrom r3 --wait 1",
            "subscribe r1 Offer --where source^=bra",
            "listsubs r1",
            "send Offer location '{\"source\":\"location\",\"amount\":1}'",
            "send Offer brand '{\"source\":\"brand-eu\",\"amount\":1}'",
            "readfrom r1 --wait 5",
            "subscribe r1 Offer",
            "listsubs r1") + "\n";

    @TempDir
    Path workDir;

    @Test
    void aRiverGetsOnlyWhatItsFilterLetsThroughAndListsubsSaysSo() throws IOException {
        RrProcess.Result result = RrProcess.run(workDir, SESSION, "--stage", "dev");

        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.normalizedStdout()).isEqualTo(OriginalSessionIT.golden("filtered-session.txt"));
    }

    @Test
    void badConditionsAreOneLineEachExitOneAndChangeNothing() {
        RrProcess.Result setUp = RrProcess.run(workDir, null, "--stage", "dev", "subscribe", "r1", "Offer", "--where", "source=location");
        assertThat(setUp.exitCode()).isZero();

        assertThat(refusal("--where", "source=")).isEqualTo("error: --where 'source=' has no value after = (one value, or several"
                + " separated by commas)\n");
        assertThat(refusal("--where", "source?x")).startsWith("error: --where 'source?x' has no operator that exists at '?x' (allowed:");
        assertThat(refusal("--where", "amount>2000000000")).isEqualTo("error: --where 'amount>2000000000': 2000000000 is outside"
                + " the numbers SNS compares, -10^9 to 10^9\n");
        assertThat(refusal("--where", "order..total=1")).startsWith("error: --where 'order..total=1': 'order..total' is not a path:"
                + " a field is empty");
        String seventySix = String.join(",", IntStream.range(0, 76).mapToObj(i -> "v" + i).toList());
        assertThat(refusal("--where", "k=" + seventySix)).isEqualTo("error: river 'r1' would have a filter policy of"
                + " 152 combinations, SNS allows 150 (1 topics, 1 filtered): give the filtered topic a river of its own, or fewer values\n");
        assertThat(refusal("--where", "a=1", "--from", "1h")).startsWith("error: --from gives a topic's whole history, --where only");

        RrProcess.Result after = RrProcess.run(workDir, null, "--stage", "dev", "listsubs", "r1");
        assertThat(after.stdout()).isEqualTo("[\"Offer where source=location\"]\n");
        RrProcess.Result status = RrProcess.run(workDir, null, "--stage", "dev", "--json", "status");
        assertThat(status.stdout()).contains("\"filters\":{\"Offer\":\"source=location\"}")
                .contains("\"control\":{\"deadLetters\":0");
    }

    private String refusal(String... options) {
        List<String> args = new ArrayList<>(List.of("--stage", "dev", "subscribe", "r1", "Offer"));
        args.addAll(List.of(options));
        RrProcess.Result result = RrProcess.run(workDir, null, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        return result.stderr();
    }
}
