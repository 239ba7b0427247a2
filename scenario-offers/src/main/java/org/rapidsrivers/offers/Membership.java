package org.rapidsrivers.offers;

import org.rapidsrivers.core.ports.Pond;

/** Understands the membership level of a user, from its pond: on a ViewPage it says so with a Membership. */
public final class Membership extends FactLookup {
    public Membership() {
        super("membership", Offers.MEMBERSHIP, "level", Offers.PLATINUM);
    }

    /** Records a user's membership level. */
    public static void seed(Pond pond, String user, String level) {
        seed(pond, "level", user, level);
    }
}
