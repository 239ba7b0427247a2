package org.rapidsrivers.cli.session;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.rapidsrivers.core.InvalidInput;
import picocli.CommandLine.Option;

/** Understands the options that choose which system the shell talks to and how it prints. */
public final class GlobalOptions {
    /** Understands the kinds of system the shell can talk to. */
    public enum BackendKind { embedded, aws }

    @Option(names = "--stage", paramLabel = "<stage>", defaultValue = "${env:RR_STAGE}",
            description = "Stage to use: 1-16 lower-case letters or digits (default: $RR_STAGE, else dev).")
    String stage;

    @Option(names = "--rapids", paramLabel = "<stream>", description = "Rapids stream name (default: Rapids-<stage>).")
    String rapids;

    @Option(names = "--control-stream", paramLabel = "<stream>",
            description = "Control stream name (default: Control-<stage>).")
    String controlStream;

    @Option(names = "--backend", paramLabel = "<backend>", defaultValue = "${env:RR_BACKEND:-embedded}",
            description = "embedded (no AWS account needed) or aws (default: $RR_BACKEND, else embedded).")
    BackendKind backend = BackendKind.embedded;

    @Option(names = "--data-dir", paramLabel = "<dir>",
            description = "Where the embedded backend keeps its state (default: $RR_DATA_DIR or .rapids).")
    Path dataDir;

    @Option(names = "--endpoint-url", paramLabel = "<url>",
            description = "AWS endpoint for every service, e.g. an emulator's (default: $AWS_ENDPOINT_URL, else AWS).")
    String endpointUrl;

    @Option(names = "--region", paramLabel = "<region>", description = "AWS region (default: the AWS default chain).")
    String region;

    @Option(names = "--host-planes",
            description = "With --backend aws: run the control and data planes in this process (for emulators).")
    boolean hostPlanes;

    @Option(names = "--service-jar", paramLabel = "<jar>",
            description = "With --host-planes: run the deployed services whose code is in this jar (repeatable; also"
                    + " $RR_SERVICE_JARS, separated by '" + "${sys:path.separator}" + "'), as Lambda runs the deployed code.")
    List<Path> serviceJars = new ArrayList<>();

    @Option(names = "--no-cbor",
            description = "With --backend aws: speak JSON, not CBOR, to Kinesis (the default with --emulator).")
    boolean noCbor;

    @Option(names = "--emulator",
            description = "With --backend aws: the endpoint is an emulator (moto, fauxqs, LocalStack): what it refuses"
                    + " is left out with a warning (default: $RR_EMULATOR).")
    boolean emulator;

    @Option(names = "--json", description = "Print every result as one JSON document.")
    boolean json;

    @Option(names = "--keep-going", description = "In a script, go on after a failing command.")
    boolean keepGoing;

    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    public boolean json() {
        return json;
    }

    public boolean debug() {
        return debug;
    }

    public boolean keepGoing() {
        return keepGoing;
    }

    public BackendKind backend() {
        return backend;
    }

    public boolean hostPlanes() {
        return hostPlanes;
    }

    /** The jars of deployed services' code: --service-jar, then RR_SERVICE_JARS; each must be a file. */
    public List<Path> serviceJars() {
        List<Path> jars = new ArrayList<>(serviceJars);
        String fromEnvironment = System.getenv("RR_SERVICE_JARS");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            for (String jar : fromEnvironment.split(Pattern.quote(File.pathSeparator))) {
                if (!jar.isBlank()) {
                    jars.add(Path.of(jar.strip()));
                }
            }
        }
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new InvalidInput("no jar at " + jar + " (--service-jar or RR_SERVICE_JARS): name the jar a deployed"
                        + " service was deployed from");
            }
        }
        if (!jars.isEmpty() && !(backend == BackendKind.aws && hostPlanes)) {
            throw new InvalidInput("--service-jar applies with --backend aws --host-planes, where this process runs the"
                    + " deployed services");
        }
        return jars;
    }

    /** Said, never guessed from an endpoint: the option, else RR_EMULATOR=1 (or true). */
    public boolean emulator() {
        if (emulator) {
            return true;
        }
        String fromEnvironment = System.getenv("RR_EMULATOR");
        return fromEnvironment != null && (fromEnvironment.strip().equals("1") || fromEnvironment.strip().equalsIgnoreCase("true"));
    }

    /** The data directory: the option, else RR_DATA_DIR, else .rapids in the working directory. */
    public Path dataDir() {
        if (dataDir != null) {
            if (dataDir.toString().isBlank()) {
                throw new InvalidInput("--data-dir is empty: name a directory, e.g. --data-dir .rapids");
            }
            return dataDir;
        }
        String fromEnvironment = System.getenv("RR_DATA_DIR");
        return Path.of(fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : ".rapids");
    }
}
