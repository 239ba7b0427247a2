package org.rapidsrivers.core.ports;

import org.rapidsrivers.core.names.Stage;

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

    /** A service's pond on this stage: what it learned, shared by all its instances, kept across restarts. */
    Pond pond(String service);

    /** What operators ask of the stage (status, dead letters, redrive, traffic); not for services. */
    org.rapidsrivers.core.operate.Operations operations();

    @Override
    void close();
}
