package org.rapidsrivers.core.stage;

import java.util.function.Supplier;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.ports.Catalog;
import org.rapidsrivers.core.ports.ControlStream;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.ports.Rapids;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Subscriptions;

/**
 * Understands one stage of a rapids-and-rivers system as the shell and services see it, whatever runs
 * it. Who runs the planes is not its concern: a plane host (the hosts module) may run them in any
 * process, and deployed Lambdas run them on AWS.
 */
public interface Backend extends AutoCloseable {
    /** Which kind of backend this is, as options name it: embedded, aws. */
    String kind();

    Stage stage();

    Rapids rapids();

    ControlStream controlStream();

    Rivers rivers();

    Subscriptions subscriptions();

    Catalog catalog();

    Outcomes outcomes();

    /** The control plane's record of every command's outcome: what {@link #outcomes()} reads, and traces. */
    OutcomeLedger ledger();

    /** A service's pond on this stage: what it learned, shared by all its instances, kept across restarts. */
    Pond pond(String service);

    /**
     * Runs work whose writes to the stage belong together (what a handler published and the mark that it was
     * handled): a backend with transactions commits them as one, all or none (embedded: one SQLite
     * transaction); a backend of separate services (AWS) makes them one after the other, so a failure half
     * way leaves the first done and the work is repeated (its events keep their eventIds). Only for quick
     * writes: the stage waits for them.
     */
    default <T> T together(Supplier<T> work) {
        return work.get();
    }

    /** What operators ask of the stage (status, dead letters, redrive, traffic); not for services. */
    Operations operations();

    @Override
    void close();
}
