package org.rapidsrivers.core.ports;

import org.rapidsrivers.core.names.Stage;

/** Understands one stage of a rapids-and-rivers system as the shell and services see it, whatever runs it. */
public interface Backend extends AutoCloseable {
    Stage stage();

    Rapids rapids();

    ControlStream controlStream();

    Rivers rivers();

    Subscriptions subscriptions();

    Catalog catalog();

    Outcomes outcomes();

    /**
     * Runs the control and data planes inside this process where this backend needs that (embedded;
     * AWS with a local host); does nothing where they run elsewhere (deployed Lambdas).
     */
    void hostPlanes();

    @Override
    void close();
}
