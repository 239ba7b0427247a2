package org.rapidsrivers.offers;

import java.util.Set;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.Service;

/** Understands the offers a brand makes: a baseline on every ViewPage, and a road-warrior offer for a RoadWarrior. */
public final class Brand implements Service {
    @Override
    public String name() {
        return "brand";
    }

    @Override
    public Set<String> publishes() {
        return Set.of(Offers.OFFER);
    }

    @Override
    public void start(RapidsConnection rapids) {
        Offers.baselineAndRoadWarrior(rapids, name());
    }
}
