package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every make target the README and docs/ name is a target of the Makefile and is smoke-run by
 * scripts/smoke.sh (which make test ends with), so a documented target cannot break unseen.
 */
class DocumentedTargetsTest {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern MAKE = Pattern.compile("(?:^|`)make ([a-z][a-z0-9-]*)", Pattern.MULTILINE);
    private static final Pattern SMOKE_LINE = Pattern.compile("^smoke (\\S+)((?: +[a-z][a-z0-9-]*)+) *$", Pattern.MULTILINE);
    private static final Pattern TARGET = Pattern.compile("^([a-z][a-z0-9-]*):", Pattern.MULTILINE);
    /** make test is what runs the smoke script, and runs make lint itself before the build. */
    private static final Set<String> RUNS_THE_SMOKE = Set.of("test", "lint");

    @Test
    void everyDocumentedMakeTargetIsInTheMakefileAndSmokeRun() throws IOException {
        Set<String> documented = documentedTargets();
        assertThat(documented).as("the docs name make targets").contains("run", "test", "bench", "deploy");

        assertThat(makefileTargets()).as("targets of the Makefile").containsAll(documented);
        Set<String> unsmoked = new TreeSet<>(documented);
        unsmoked.removeAll(smokedTargets());
        unsmoked.removeAll(RUNS_THE_SMOKE);
        assertThat(unsmoked).as("documented make targets with no smoke run in scripts/smoke.sh").isEmpty();
    }

    @Test
    void everySmokeRunIsOfARealTargetWithACheckDefinedInTheScript() throws IOException {
        String script = Files.readString(ROOT.resolve("scripts/smoke.sh"));
        Matcher lines = SMOKE_LINE.matcher(script);
        int checks = 0;
        while (lines.find()) {
            checks++;
            assertThat(script).as("the check " + lines.group(1)).contains(lines.group(1) + "() {");
            for (String target : lines.group(2).trim().split(" +")) {
                assertThat(makefileTargets()).as("smoke-run target").contains(target);
            }
        }
        assertThat(checks).isGreaterThan(5);
    }

    static Set<String> documentedTargets() throws IOException {
        Set<String> targets = new TreeSet<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path doc : Stream.concat(Stream.of(ROOT.resolve("README.md")), docs.filter(p -> p.toString().endsWith(".md")))
                    .toList()) {
                Matcher make = MAKE.matcher(Files.readString(doc));
                while (make.find()) {
                    targets.add(make.group(1));
                }
            }
        }
        return targets;
    }

    private static Set<String> smokedTargets() throws IOException {
        Set<String> targets = new TreeSet<>();
        Matcher lines = SMOKE_LINE.matcher(Files.readString(ROOT.resolve("scripts/smoke.sh")));
        while (lines.find()) {
            targets.addAll(Set.of(lines.group(2).trim().split(" +")));
        }
        return targets;
    }

    private static Set<String> makefileTargets() throws IOException {
        Set<String> targets = new TreeSet<>();
        Matcher lines = TARGET.matcher(Files.readString(ROOT.resolve("Makefile")));
        while (lines.find()) {
            targets.add(lines.group(1));
        }
        return targets;
    }
}
