package org.rapidsrivers.cli.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.DurationText;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.ports.Visibility;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceCatalog;
import org.rapidsrivers.service.ServiceRunner;
import org.rapidsrivers.service.ServiceSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Understands how to run any service as a long-running process of its own on the stage the global
 * options choose: one of the services on rr's class path (the offers samples), or one from a jar built
 * with the service API (--jar), found by its name. Ctrl-C (or SIGTERM) finishes the message in hand,
 * stops cleanly and exits 0.
 */
@Command(name = "service", description = "Run a service (from rr or from --jar) until Ctrl-C", abbreviateSynopsis = true)
public final class ServiceCommand implements Callable<Integer> {
    private static final Pattern SETTING = Pattern.compile("([a-z][a-z0-9-]{0,63})=(.{1,1000})");
    private final Session session;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<service>",
            description = "The service's name (rr service --list shows them).")
    String name;

    @Option(names = "--list", description = "List the services there are (with --jar: the jar's) and stop.")
    boolean list;

    @Option(names = "--jar", paramLabel = "<jar>",
            description = "A jar with the service in it and its own dependencies (the toolkit comes from rr).")
    Path jar;

    @Option(names = "--set", paramLabel = "<name>=<value>",
            description = "A setting the service reads by name (e.g. --set window=3s); may be repeated.")
    List<String> settings = List.of();

    @Option(names = "--visibility", paramLabel = "<duration>", defaultValue = Visibility.SERVICE_TEXT,
            description = "How long a received message stays hidden; a heartbeat keeps the ones in hand hidden, so one"
                    + " this process dies with comes back after at most this (default: ${DEFAULT-VALUE}).")
    String visibility;

    @Option(names = "--heartbeat", paramLabel = "<duration>", defaultValue = "30s",
            description = "How often the service says it is alive, with its counters (ServiceAlive on the rapids); rr status"
                    + " calls one silent for three of these stuck (default: ${DEFAULT-VALUE}).")
    String heartbeat;

    public ServiceCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ServiceCatalog catalog = jar == null ? ServiceCatalog.onClassPath() : ServiceCatalog.inJar(jar);
        if (list) {
            catalog.names().forEach(session.output()::plain);
            return 0;
        }
        if (name == null) {
            throw new InvalidInput("name the service to run: one of " + String.join(", ", catalog.names()));
        }
        Duration hidden = DurationText.parse(visibility, "--visibility", Duration.ofSeconds(1), Duration.ofHours(12));
        Duration alive = DurationText.parse(heartbeat, "--heartbeat", Duration.ofSeconds(1), Duration.ofHours(1));
        Map<String, String> values = values();
        Service service = catalog.create(name);
        // the process says who it is where rr status shows a lease or a message's stamp
        System.setProperty("rr.process", "rr service " + name);
        return ServiceRunner.runUntilStopped(session.backendWithPlanes(), service, ServiceSettings.builder()
                .log(session.output()::notice).visibility(hidden).values(values).heartbeat(alive).build());
    }

    private Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String setting : settings) {
            var form = SETTING.matcher(setting);
            if (!form.matches()) {
                throw new InvalidInput("--set '" + Printable.of(setting) + "' is not <name>=<value>: a name of lower-case"
                        + " letters, digits and dashes (up to 64), a value of 1-1000 characters, e.g. --set window=3s");
            }
            if (values.put(form.group(1), form.group(2)) != null) {
                throw new InvalidInput("--set " + form.group(1) + " is given twice; give each setting once");
            }
        }
        return values;
    }
}
