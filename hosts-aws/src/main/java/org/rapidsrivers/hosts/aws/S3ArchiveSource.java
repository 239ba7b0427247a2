package org.rapidsrivers.hosts.aws;

import java.time.Duration;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.archive.ArchiveSource;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;

/** Understands an AWS stage's archive: its S3 bucket, written by the stage's delivery stream (or the stand-in here). */
public final class S3ArchiveSource implements ArchiveSource {
    @Override
    public String kind() {
        return StageOptions.AWS;
    }

    @Override
    public Archive open(Backend backend, Duration seam) {
        return new S3Archive((AwsBackend) backend, seam);
    }
}
