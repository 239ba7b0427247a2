package org.rapidsrivers.service;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

/**
 * Understands the services a program can run, found the way Spring and MassTransit find consumers: every
 * {@link Service} a jar names in {@code META-INF/services/org.rapidsrivers.service.Service}, on the class
 * path or in a jar given (which brings its own dependencies, a shaded jar; the toolkit itself comes from
 * the program running it). Each is known by its name; two with one name are refused, since their rivers
 * would be one.
 */
public final class ServiceCatalog {
    private final Map<String, ServiceLoader.Provider<Service>> byName;
    private final String where;

    private ServiceCatalog(ClassLoader loader, Predicate<Class<?>> own, String where) {
        this.where = where;
        Map<String, ServiceLoader.Provider<Service>> found = new TreeMap<>();
        Map<String, String> classes = new TreeMap<>();
        try {
            for (ServiceLoader.Provider<Service> provider : ServiceLoader.load(Service.class, loader).stream()
                    .filter(provider -> own.test(provider.type())).toList()) {
                String name = provider.get().name();
                String type = provider.type().getName();
                if (found.containsKey(name)) {
                    throw new InvalidInput("two services are named '" + Printable.of(name) + "' " + where + ": "
                            + classes.get(name) + " and " + type + "; a service's name is its river's, so it must be one");
                }
                found.put(name, provider);
                classes.put(name, type);
            }
        } catch (ServiceConfigurationError broken) {
            throw new InvalidInput("a service " + where + " cannot be made: " + Printable.of(String.valueOf(broken.getMessage()))
                    + " (a service needs a public class with a public constructor that takes nothing)");
        }
        this.byName = found;
    }

    /** The services on this program's class path. */
    public static ServiceCatalog onClassPath() {
        return new ServiceCatalog(ServiceCatalog.class.getClassLoader(), type -> true, "on the class path");
    }

    /**
     * The services in a jar (only its own, not those of this program's class path), which brings its
     * dependencies (shaded, or none beyond the toolkit); the toolkit comes from this program.
     */
    public static ServiceCatalog inJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new InvalidInput("no jar at " + Printable.of(jar.toString()) + ": name a jar built with the service in it");
        }
        try {
            URL url = jar.toAbsolutePath().toUri().toURL();
            URLClassLoader loader = new URLClassLoader(new URL[] {url}, ServiceCatalog.class.getClassLoader());
            // its own: the services the jar lists, even where this program holds the same classes (rr's own samples)
            Set<String> listed = listedIn(jar);
            ServiceCatalog catalog = new ServiceCatalog(loader,
                    type -> type.getClassLoader() == loader || listed.contains(type.getName()), "in " + jar);
            if (catalog.byName.isEmpty()) {
                loader.close();
                throw new InvalidInput("the jar " + jar + " names no service: list its Service classes in"
                        + " META-INF/services/org.rapidsrivers.service.Service");
            }
            return catalog;
        } catch (MalformedURLException e) {
            throw new InvalidInput("cannot read the jar " + Printable.of(jar.toString()) + ": " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidInput("cannot read the jar " + Printable.of(jar.toString()) + ": " + e.getMessage());
        }
    }

    /** The classes the jar lists in its META-INF/services file for Service. */
    private static Set<String> listedIn(Path jar) throws IOException {
        Set<String> names = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry entry = file.getEntry("META-INF/services/" + Service.class.getName());
            if (entry == null) {
                return names;
            }
            String text = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\\R")) {
                String name = line.replaceAll("#.*", "").strip();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The services' names, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** A new instance of the service of that name; an unknown name is one line listing the names there are. */
    public Service create(String name) {
        ServiceLoader.Provider<Service> provider = byName.get(name);
        if (provider == null) {
            throw new InvalidInput("unknown service '" + Printable.of(name) + "': the services " + where + " are "
                    + (byName.isEmpty() ? "none" : byName.keySet().stream().collect(Collectors.joining(", "))));
        }
        return provider.get();
    }
}
