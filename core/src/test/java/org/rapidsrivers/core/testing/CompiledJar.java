package org.rapidsrivers.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Understands making a jar in a test the way an author builds one: Java sources compiled by the JDK's
 * compiler against the test's class path, and resource files (a META-INF/services list) beside them.
 * The classes exist only in the jar, so what loads them from it is really loading a stranger's code.
 */
public final class CompiledJar {
    private CompiledJar() {
    }

    /** Sources by class name ("demo.Hello" to its text) and resources by path, into {@code jar}. */
    public static Path build(Path jar, Map<String, String> sources, Map<String, String> resources) throws IOException {
        Path work = Files.createTempDirectory(jar.getParent(), "compiled-");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        for (var source : sources.entrySet()) {
            Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        if (!sources.isEmpty() && ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the test's sources do not compile (the compiler said why above)");
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (var resource : resources.entrySet()) {
                out.putNextEntry(new JarEntry(resource.getKey()));
                out.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
            }
            try (Stream<Path> compiled = Files.walk(classes)) {
                for (Path file : compiled.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(file));
                }
            }
        }
        return jar;
    }
}
