package org.rapidsrivers.offers;

import org.rapidsrivers.core.ports.Pond;

/** Understands which segment a user belongs to, from its pond: on a ViewPage it says so with a Segment. */
public final class Segmentation extends FactLookup {
    public Segmentation() {
        super("segmentation", Offers.SEGMENT, "segment", Offers.ROAD_WARRIOR);
    }

    /** Records a user's segment (the data, not the code, says who is a RoadWarrior). */
    public static void seed(Pond pond, String user, String segment) {
        seed(pond, "segment", user, segment);
    }
}
