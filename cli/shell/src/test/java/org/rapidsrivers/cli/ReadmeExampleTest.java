package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's service section is examples/greeter, word for word: every Java block is text of the
 * example's sources and every XML block text of its pom (the parent every project made from the archetype has), and make example builds, tests and runs that
 * project against the installed toolkit, so what the README shows compiles and works as written.
 */
class ReadmeExampleTest {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path EXAMPLE = ROOT.resolve("examples/greeter");

    @Test
    void everyJavaBlockOfTheReadmeIsInTheExamplesSources() throws IOException {
        List<String> blocks = blocks("java");
        assertThat(blocks).as("the README shows the service and its test").hasSizeGreaterThanOrEqualTo(2);
        String sources;
        try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src"))) {
            sources = String.join("\n", files.filter(p -> p.toString().endsWith(".java")).map(ReadmeExampleTest::read).toList());
        }
        for (String block : blocks) {
            assertThat(sources).as("examples/greeter's sources hold the README's block").contains(block);
        }
    }

    @Test
    void everyXmlBlockOfTheReadmeIsInTheExamplesPom() throws IOException {
        String pom = Files.readString(EXAMPLE.resolve("pom.xml"));
        List<String> blocks = blocks("xml");
        assertThat(blocks).isNotEmpty();
        blocks.forEach(block -> assertThat(pom).as("examples/greeter/pom.xml holds the README's block").contains(block));
        // a project of its own: its parent comes from the local repository, never from the toolkit's tree
        assertThat(pom).as("a project of its own").contains("<artifactId>rapids-rivers-service-parent</artifactId>",
                "<relativePath/>");
    }

    private static List<String> blocks(String language) throws IOException {
        Matcher block = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(ROOT.resolve("README.md")));
        List<String> found = new ArrayList<>();
        while (block.find()) {
            found.add(block.group(1));
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
