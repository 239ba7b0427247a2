package org.rapidsrivers.cli.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rapidsrivers.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Understands how to serve the live page of the stage until Ctrl-C. */
@Command(name = "ui", description = "Serve a live page of the stage on 127.0.0.1 (topology, status, events) until Ctrl-C",
        abbreviateSynopsis = true)
public final class UiCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "8780",
            description = "Port on 127.0.0.1, 0 for any free one; the page's address is printed (default: ${DEFAULT-VALUE}).")
    int port;

    public UiCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        // the planes run here too where the backend needs a host (as in the shell): the page shows a live stage
        SignalHandler interrupt = null;
        SignalHandler terminate = null;
        try (LivePage page = LivePage.start(session.backendWithPlanes(), port)) {
            interrupt = Signal.handle(new Signal("INT"), signal -> stop.countDown());
            terminate = Signal.handle(new Signal("TERM"), signal -> stop.countDown());
            session.output().plain("serving the live page of stage " + session.stage() + " on " + page.url()
                    + " (Ctrl-C stops)");
            session.output().out().flush();
            stop.await();
        } finally {
            // the shell's own Ctrl-C handling comes back when the page stops
            if (interrupt != null) {
                Signal.handle(new Signal("INT"), interrupt);
            }
            if (terminate != null) {
                Signal.handle(new Signal("TERM"), terminate);
            }
        }
        session.output().notice("stopped");
        return 0;
    }
}
