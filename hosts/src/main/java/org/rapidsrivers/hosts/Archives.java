package org.rapidsrivers.hosts;

import java.time.Duration;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.embedded.EmbeddedBackend;

/** Understands which archive a stage has: its own records embedded, its S3 bucket on AWS. */
public final class Archives {
    private Archives() {
    }

    /** {@code seam}: on AWS, how far past a subscription a backfill reaches (SNS applies it within minutes). */
    public static Archive of(Backend backend, Duration seam) {
        if (backend instanceof EmbeddedBackend embedded) {
            return embedded.archive();
        }
        return new S3Archive((AwsBackend) backend, seam);
    }
}
