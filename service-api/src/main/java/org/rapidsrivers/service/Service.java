package org.rapidsrivers.service;

import java.util.Set;

/**
 * Understands a service as the rapids see it: a name (which is also the name of its river), the
 * topics it publishes (advertised at start-up), and the rivers it registers when it starts, whose
 * event types are the topics its river subscribes to.
 */
public interface Service {
    String name();

    Set<String> publishes();

    /** Registers the service's rivers (and needs) on the connection. */
    void start(RapidsConnection rapids);
}
