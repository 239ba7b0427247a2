package org.rapidsrivers.offers;

/** Understands which segment a user belongs to, from its pond: on a ViewPage it says so with a Segment. */
public final class Segmentation extends FactLookup {
    public Segmentation(Pond pond) {
        super("segmentation", Offers.SEGMENT, "segment", pond);
        pond.putIfAbsent("segment/Sally", Offers.ROAD_WARRIOR);
    }

    /** Records a user's segment (the data, not the code, says who is a RoadWarrior). */
    public static void seed(Pond pond, String user, String segment) {
        seed(pond, "segment", user, segment);
    }
}
