package org.rapidsrivers.cli.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

/**
 * Understands the code a service function runs, as Lambda's Java runtimes read it: a zip whose
 * {@code lib/} holds the service function's runtime (the service API, the AWS backend, the SDK), the
 * service's jar, and the jars beside it in its {@code lib/} folder (its dependencies, as
 * {@code dependency:copy-dependencies} leaves them) except those the runtime already holds. Written with
 * fixed times and in name order, so the same inputs make the same bytes and the upload, named by content
 * hash, happens once.
 */
final class FunctionPackage {
    private static final FileTime FIXED = FileTime.fromMillis(315532800000L);

    private FunctionPackage() {
    }

    /** Writes the zip to {@code into}; the jars it holds, by file name. */
    static List<String> write(Path runtime, Path serviceJar, Path into) {
        if (!Files.isRegularFile(serviceJar)) {
            throw new InvalidInput("no jar at " + Printable.of(serviceJar.toString()) + ": name a jar built with the service in it");
        }
        Set<String> inRuntime = artifactsIn(runtime);
        List<Path> jars = new ArrayList<>(List.of(runtime, serviceJar));
        Path lib = serviceJar.toAbsolutePath().getParent().resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                        .filter(p -> !inRuntime.contains(artifactOf(p.getFileName().toString())))
                        .sorted().forEach(jars::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<String> names = new ArrayList<>();
        try (OutputStream file = Files.newOutputStream(into); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Path jar : jars) {
                String name = "lib/" + jar.getFileName();
                ZipEntry entry = new ZipEntry(name);
                entry.setLastModifiedTime(FIXED);
                zip.putNextEntry(entry);
                Files.copy(jar, zip);
                zip.closeEntry();
                names.add(jar.getFileName().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** The artifactIds whose pom.properties a shaded jar carries: what it already holds. */
    private static Set<String> artifactsIn(Path runtime) {
        Set<String> artifacts = new TreeSet<>();
        try (JarFile jar = new JarFile(runtime.toFile())) {
            jar.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties"))
                    .forEach(n -> {
                        String[] parts = n.split("/");
                        artifacts.add(parts[parts.length - 2]);
                    });
        } catch (IOException e) {
            throw new InvalidInput("cannot read the service function's runtime " + runtime + ": " + e.getMessage()
                    + " (make package builds it)");
        }
        return artifacts;
    }

    /** "jackson-core-2.18.2.jar" is jackson-core: the name up to the version that follows it. */
    static String artifactOf(String fileName) {
        String base = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
        Matcher version = Pattern.compile("-\\d").matcher(base);
        return version.find() ? base.substring(0, version.start()) : base;
    }
}
