package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.testing.CompiledJar;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceCatalog;

/** Services found in a jar built here (compiled by the JDK's compiler), as rr service --jar finds them. */
class ServiceCatalogTest {
    @TempDir
    Path dir;

    @Test
    void aJarsServicesAreFoundByNameAndMadeAfresh() throws Exception {
        Path jar = jar("two.jar", Map.of("Hello", "hello", "Bye", "bye"));

        ServiceCatalog catalog = ServiceCatalog.inJar(jar);

        assertThat(catalog.names()).containsExactly("bye", "hello");
        Service hello = catalog.create("hello");
        assertThat(hello.name()).isEqualTo("hello");
        assertThat(catalog.create("hello")).isNotSameAs(hello);
    }

    @Test
    void anUnknownNameIsOneLineListingTheNamesThereAre() throws Exception {
        ServiceCatalog catalog = ServiceCatalog.inJar(jar("two.jar", Map.of("Hello", "hello", "Bye", "bye")));

        assertThatThrownBy(() -> catalog.create("billing")).isInstanceOf(InvalidInput.class)
                .hasMessage("unknown service 'billing': the services in " + dir.resolve("two.jar") + " are bye, hello");
    }

    @Test
    void twoServicesWithOneNameAreRefused() throws Exception {
        Path jar = jar("clash.jar", Map.of("First", "same", "Second", "same"));

        assertThatThrownBy(() -> ServiceCatalog.inJar(jar)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("two services are named 'same' in " + jar + ": demo.First and demo.Second")
                .hasMessageEndingWith("a service's name is its river's, so it must be one");
    }

    @Test
    void aJarWithNoServiceOrNoJarAtAllIsOneLine() throws Exception {
        Path empty = jar("empty.jar", Map.of());

        assertThatThrownBy(() -> ServiceCatalog.inJar(empty)).isInstanceOf(InvalidInput.class)
                .hasMessage("the jar " + empty + " names no service: list its Service classes in"
                        + " META-INF/services/org.rapidsrivers.service.Service");
        assertThatThrownBy(() -> ServiceCatalog.inJar(dir.resolve("nowhere.jar"))).isInstanceOf(InvalidInput.class)
                .hasMessage("no jar at " + dir.resolve("nowhere.jar") + ": name a jar built with the service in it");
    }

    @Test
    void aServiceThatCannotBeMadeSaysWhatItNeeds() throws Exception {
        Path jar = jar("private.jar", Map.of("Hidden", "hidden"), "private Hidden(int x) { }");

        assertThatThrownBy(() -> ServiceCatalog.inJar(jar)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("a service in " + jar + " cannot be made: ")
                .hasMessageEndingWith("(a service needs a public class with a public constructor that takes nothing)");
    }

    @Test
    void theClassPathsServicesAreNotTheJars() throws Exception {
        // this module's class path has only the monitor service, which service-api brings; a jar's catalog is the jar's alone
        assertThat(ServiceCatalog.onClassPath().names()).containsExactly("monitor");
        assertThat(ServiceCatalog.inJar(jar("one.jar", Map.of("Hello", "hello"))).names()).containsExactly("hello");
    }

    /** Compiles one Service class per entry (class name to service name) into a jar that lists them. */
    private Path jar(String name, Map<String, String> services, String... extraMembers) throws IOException {
        Map<String, String> sources = new TreeMap<>();
        services.forEach((type, service) -> sources.put("demo." + type, "package demo;\n"
                + "public final class " + type + " implements org.rapidsrivers.service.Service {\n"
                + String.join("\n", extraMembers) + "\n"
                + "  public String name() { return \"" + service + "\"; }\n"
                + "  public java.util.Set<String> publishes() { return java.util.Set.of(); }\n"
                + "  public void start(org.rapidsrivers.service.RapidsConnection rapids) { }\n"
                + "}\n"));
        Map<String, String> resources = services.isEmpty() ? Map.of() : Map.of("META-INF/services/org.rapidsrivers.service.Service",
                String.join("\n", sources.keySet()) + "\n");
        return CompiledJar.build(dir.resolve(name), sources, resources);
    }
}
