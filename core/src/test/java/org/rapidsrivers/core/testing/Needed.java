package org.rapidsrivers.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Understands a test that needs something of the machine (root, Chromium, faketime, a pseudo-terminal): where
 * it is missing the test is skipped and says why, except where every test must run ({@value #EVERY_TEST}=1,
 * which CI sets since it installs what every test needs): there the test fails, naming what is missing.
 */
public final class Needed {
    public static final String EVERY_TEST = "RR_EVERY_TEST";

    private Needed() {
    }

    public static void assume(boolean present, String what) {
        if (!present && "1".equals(System.getenv(EVERY_TEST))) {
            Assertions.fail("this test would be skipped, and here every test must run (" + EVERY_TEST + "=1): " + what);
        }
        Assumptions.assumeTrue(present, what);
    }
}
