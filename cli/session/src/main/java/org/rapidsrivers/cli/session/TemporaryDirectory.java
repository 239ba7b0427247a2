package org.rapidsrivers.cli.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Understands removing a directory a command made for itself (a benchmark's stage, the class-data training's). */
public final class TemporaryDirectory {
    private TemporaryDirectory() {
    }

    /** Removes the directory and everything below it, deepest first. */
    public static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
