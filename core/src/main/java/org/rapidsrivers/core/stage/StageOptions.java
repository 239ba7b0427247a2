package org.rapidsrivers.core.stage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.StreamName;

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

    /**
     * The stage a process started from the environment talks to, as navikt's services start: RR_BACKEND
     * (embedded or aws; embedded), RR_STAGE (dev), RR_DATA_DIR (.rapids), RR_RAPIDS_STREAM and
     * RR_CONTROL_STREAM (the stage's), and for aws AWS_ENDPOINT_URL, AWS_REGION (else the default chain),
     * RR_EMULATOR=1 for an emulator and RR_NO_CBOR=1. A value that is not allowed is one line saying what is.
     */
    public static StageOptions fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static StageOptions fromEnvironment(Map<String, String> env) {
        String backend = env.getOrDefault("RR_BACKEND", EMBEDDED).strip();
        if (!backend.equals(EMBEDDED) && !backend.equals(AWS)) {
            throw new InvalidInput("RR_BACKEND '" + Printable.of(backend)
                    + "' is not a backend: use embedded or aws");
        }
        Stage stage;
        try {
            stage = Stage.of(env.getOrDefault("RR_STAGE", Stage.DEFAULT.value()).strip());
        } catch (InvalidInput invalid) {
            throw new InvalidInput("RR_STAGE: " + invalid.getMessage());
        }
        String dataDir = env.getOrDefault("RR_DATA_DIR", ".rapids");
        StageOptions options = (backend.equals(AWS) ? aws(stage) : embedded(Path.of(dataDir), stage))
                .withDataDir(Path.of(dataDir.isBlank() ? ".rapids" : dataDir))
                .withStreams(StreamName.check(env.getOrDefault("RR_RAPIDS_STREAM", stage.rapidsStream()).strip(), "RR_RAPIDS_STREAM"),
                        StreamName.check(env.getOrDefault("RR_CONTROL_STREAM", stage.controlStream()).strip(), "RR_CONTROL_STREAM"))
                .withEmulator(yes(env.get("RR_EMULATOR"))).withNoCbor(yes(env.get("RR_NO_CBOR")));
        String endpoint = env.get("AWS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                URI uri = new URI(endpoint.strip());
                if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw new URISyntaxException(endpoint, "no host");
                }
                options = options.withEndpoint(uri);
            } catch (URISyntaxException | NullPointerException malformed) {
                throw new InvalidInput("AWS_ENDPOINT_URL '" + Printable.of(endpoint)
                        + "' is not an endpoint: use http://host:port or https://host");
            }
        }
        String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        return region == null || region.isBlank() ? options : options.withRegion(region.strip());
    }

    private static boolean yes(String value) {
        return value != null && (value.strip().equals("1") || value.strip().equalsIgnoreCase("true"));
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
