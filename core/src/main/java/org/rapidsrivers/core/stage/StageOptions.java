package org.rapidsrivers.core.stage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.rapidsrivers.core.names.Stage;

/**
 * Understands which stage a process wants to talk to and where it lives: the same choices the
 * shell's global options make (backend, stage, stream names, data directory, endpoint, region,
 * CBOR, whether the endpoint is an emulator), so a service opens a stage exactly as rr does.
 * An endpoint is never taken for an emulator: VPC and FIPS endpoints are AWS too, so it is said.
 */
public record StageOptions(String backend, Stage stage, String rapidsStream, String controlStream, Path dataDir,
                           Optional<URI> endpoint, Optional<String> region, boolean noCbor, boolean toDrain,
                           boolean emulator) {
    public static final String EMBEDDED = "embedded";
    public static final String AWS = "aws";

    /** The embedded backend on a data directory: what a service under test or on a laptop uses. */
    public static StageOptions embedded(Path dataDir, Stage stage) {
        return new StageOptions(EMBEDDED, stage, stage.rapidsStream(), stage.controlStream(), dataDir, Optional.empty(),
                Optional.empty(), false, false, false);
    }

    /** The AWS backend: the endpoint and region of the SDK's default chains unless given. */
    public static StageOptions aws(Stage stage) {
        return new StageOptions(AWS, stage, stage.rapidsStream(), stage.controlStream(), Path.of(".rapids"),
                Optional.empty(), Optional.empty(), false, false, false);
    }

    public StageOptions withStreams(String rapids, String control) {
        return new StageOptions(backend, stage, rapids, control, dataDir, endpoint, region, noCbor, toDrain, emulator);
    }

    /** Where this process keeps its files: the embedded stage itself, or on AWS the redrive journals. */
    public StageOptions withDataDir(Path directory) {
        return new StageOptions(backend, stage, rapidsStream, controlStream, directory, endpoint, region, noCbor, toDrain,
                emulator);
    }

    public StageOptions withEndpoint(URI uri) {
        return new StageOptions(backend, stage, rapidsStream, controlStream, dataDir, Optional.ofNullable(uri), region,
                noCbor, toDrain, emulator);
    }

    public StageOptions withRegion(String name) {
        return new StageOptions(backend, stage, rapidsStream, controlStream, dataDir, endpoint, Optional.ofNullable(name),
                noCbor, toDrain, emulator);
    }

    public StageOptions withNoCbor(boolean off) {
        return new StageOptions(backend, stage, rapidsStream, controlStream, dataDir, endpoint, region, off, toDrain,
                emulator);
    }

    /** Opened to drain rivers: on a full disk the embedded backend may use the space it keeps in reserve. */
    public StageOptions withToDrain(boolean drain) {
        return new StageOptions(backend, stage, rapidsStream, controlStream, dataDir, endpoint, region, noCbor, drain,
                emulator);
    }

    /**
     * The endpoints are an emulator's (moto, fauxqs, LocalStack): what it refuses is left out with a
     * warning, it speaks JSON to Kinesis, and it gets test credentials when none are set.
     */
    public StageOptions withEmulator(boolean emulated) {
        return new StageOptions(backend, stage, rapidsStream, controlStream, dataDir, endpoint, region, noCbor, toDrain,
                emulated);
    }
}
