package org.rapidsrivers.service;

import java.time.Duration;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.DurationText;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.PlaneHosting;
import org.rapidsrivers.core.stage.StageOptions;
import org.rapidsrivers.core.stage.Stages;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Understands a service as a process of its own: the stage the environment names ({@link StageOptions#fromEnvironment()}),
 * its planes hosted here where the backend needs that (embedded, with the module {@code hosts} at run time),
 * the service run until SIGTERM or Ctrl-C, when the message in hand is finished, what it handled is said and
 * the process ends 0. What keeps it from starting is one line on standard error, exit 1.
 */
final class ServiceMain {
    private ServiceMain() {
    }

    static void run(Service service) {
        Backend backend = null;
        AutoCloseable planes = () -> { };
        int code;
        try {
            backend = Stages.open(StageOptions.fromEnvironment());
            planes = PlaneHosting.where(backend);
            ServiceSettings.Builder settings = ServiceSettings.builder();
            String beat = System.getenv("RR_HEARTBEAT");
            if (beat != null && !beat.isBlank()) {
                settings.heartbeat(DurationText.parse(beat, "RR_HEARTBEAT", Duration.ofSeconds(1), Duration.ofHours(1)));
            }
            code = runUntilStopped(backend, service, settings.build());
        } catch (InvalidInput | BackendUnavailable cannot) {
            System.err.println("error: " + cannot.getMessage());
            code = 1;
        } finally {
            try {
                planes.close();
            } catch (Exception stopping) {
                System.err.println("the planes hosted here did not stop cleanly: " + stopping.getMessage());
            }
            if (backend != null) {
                backend.close();
            }
        }
        System.exit(code);
    }

    /** Until SIGTERM or Ctrl-C, which stop it after the message in hand; the exit code (0 stopped, 1 could not run). */
    static int runUntilStopped(Backend backend, Service service, ServiceSettings settings) {
        ServiceRunner runner = new ServiceRunner(backend, service, settings);
        SignalHandler stop = signal -> runner.stop();
        SignalHandler interrupt = Signal.handle(new Signal("INT"), stop);
        SignalHandler terminate = Signal.handle(new Signal("TERM"), stop);
        try {
            runner.start();
            runner.run();
            settings.log().accept(runner.stats().describe(service.name()));
            return 0;
        } catch (InvalidInput | BackendUnavailable | IllegalStateException cannot) {
            settings.log().accept("error: " + cannot.getMessage());
            return 1;
        } finally {
            Signal.handle(new Signal("INT"), interrupt);
            Signal.handle(new Signal("TERM"), terminate);
        }
    }
}
