package org.rapidsrivers.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands a scenario rr can run on a stage ({@code rr scenario <name>}): services that work
 * together, a start given to them, and a check of what came of it. Scenarios are found on the class
 * path, as services are ({@code META-INF/services/org.rapidsrivers.service.Scenario}), so the shell
 * knows none of them when it is compiled.
 */
public interface Scenario {
    String name();

    /** Runs the scenario and says how it went; the exit code (0: what was expected came). */
    int run(Run run);

    /** The scenario of that name on the class path; an unknown name is one line listing the ones there are. */
    static Scenario named(String name) {
        List<Scenario> found = ServiceLoader.load(Scenario.class, Scenario.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
        return found.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new InvalidInput(
                "unknown scenario '" + Printable.of(name) + "': the " + (found.size() == 1 ? "one there is is " : "ones there are are ")
                        + found.stream().map(Scenario::name).sorted().collect(Collectors.joining(", "))));
    }

    /** Understands one run: the stage, what was asked, where services are found, and where it says things. */
    record Run(Backend backend, Options options, ServiceCatalog services, Consumer<String> out, Consumer<String> notices) {
    }

    /**
     * Understands what a run was asked: who views the page, how long the engine collects, how long to wait
     * for the outcome, how many users one after another and how far apart, whether the services run here
     * and how many instances of each, and a user to add to the services' ponds first (name and facts, such
     * as segment and level), and whether to install the scenario's monitors (and run the monitor service with
     * the others) and say how they stand at the end.
     */
    record Options(String user, Duration window, Duration timeout, int repeat, Duration interval, boolean startServices,
                   int instances, Optional<NewUser> addUser, boolean monitors) {
    }

    /** Understands a user to put into the sample ponds: a name and facts by field. */
    record NewUser(String name, Map<String, String> facts) {
    }

    /** Understands a scenario whose outcome was not the expected one: one line, exit 1. */
    final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Failed(String oneLine) {
            super(oneLine);
        }
    }
}
