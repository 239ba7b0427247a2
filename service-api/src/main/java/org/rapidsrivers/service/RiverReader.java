package org.rapidsrivers.service;

import java.time.Duration;
import java.util.List;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Rivers;

/**
 * Understands the one way anything reads a river (a service, readfrom, the benchmark): receive a
 * batch, hand it over, and delete exactly the messages that were handled, only once they were. A
 * handler that throws has nothing deleted: the batch comes back after the visibility timeout.
 */
public final class RiverReader {
    private final Rivers rivers;
    private final RiverName river;

    public RiverReader(Rivers rivers, RiverName river) {
        this.rivers = rivers;
        this.river = river;
    }

    /** Receives up to {@code max} messages, waiting up to {@code wait} for the first; how many came. */
    public int readOnce(int max, Duration wait, Duration visibility, Handler handler) {
        List<Delivery> batch = rivers.receive(river, max, wait, visibility);
        List<Delivery> done = handler.handle(batch);
        rivers.delete(river, done);
        return batch.size();
    }

    public RiverName river() {
        return river;
    }

    /** Understands what is done with a batch: the deliveries it returns were handled and may be deleted. */
    @FunctionalInterface
    public interface Handler {
        List<Delivery> handle(List<Delivery> batch);
    }
}
