package org.rapidsrivers.offers;

/** Understands the membership level of a user, from its pond: on a ViewPage it says so with a Membership. */
public final class Membership extends FactLookup {
    public Membership(Pond pond) {
        super("membership", Offers.MEMBERSHIP, "level", pond);
        pond.putIfAbsent("level/Sally", Offers.PLATINUM);
    }

    public static void seed(Pond pond, String user, String level) {
        seed(pond, "level", user, level);
    }
}
