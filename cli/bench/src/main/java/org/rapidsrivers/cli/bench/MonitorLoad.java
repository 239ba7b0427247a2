package org.rapidsrivers.cli.bench;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.monitor.MonitorRule;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.ControlClient;
import org.rapidsrivers.service.ServiceRunner;
import org.rapidsrivers.service.ServiceSettings;
import org.rapidsrivers.service.monitor.MonitorService;
import org.rapidsrivers.service.monitor.Monitors;

/**
 * Understands the monitor service as a load beside the benchmark: n monitors over the run's events (follow-ups,
 * each with a condition, and a rate), the service running in this process on the same stage, reading its river as
 * every other reader does, until closed. With none it does nothing.
 */
final class MonitorLoad implements AutoCloseable {
    private final ServiceRunner runner;
    private final Thread thread;

    private MonitorLoad(ServiceRunner runner, Thread thread) {
        this.runner = runner;
        this.thread = thread;
    }

    static MonitorLoad start(Backend backend, Topic type, int count, PrintWriter out) {
        if (count == 0) {
            return new MonitorLoad(null, null);
        }
        ControlClient.of(backend).send(List.of(ControlCommand.advertise(type, Clock.systemUTC())), Duration.ofSeconds(30));
        Monitors monitors = new Monitors(backend, Clock.systemUTC(), Duration.ofSeconds(30));
        for (int i = 1; i <= count; i++) {
            String words = i % 5 == 0 ? " --at-least 1/min --over 10m"
                    : " --where phase=bulk --expect " + type + " --expect-where n!=" + i + " --within 3s --at-least 99% --over 10m";
            monitors.add(MonitorRule.parse("bench-" + i + " --when " + type + words));
        }
        ServiceRunner runner = new ServiceRunner(backend, new MonitorService(line -> { }), ServiceSettings.builder()
                .log(line -> { }).values(Map.of("metrics", "off")).build());
        runner.start();
        Thread thread = new Thread(runner::run, "rr-bench-monitor");
        thread.setDaemon(true);
        thread.start();
        out.println("# the monitor service runs beside the benchmark with " + count + " monitor(s) over " + type);
        out.flush();
        return new MonitorLoad(runner, thread);
    }

    @Override
    public void close() {
        if (runner == null) {
            return;
        }
        runner.stop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
