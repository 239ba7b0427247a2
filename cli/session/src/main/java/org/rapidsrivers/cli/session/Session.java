package org.rapidsrivers.cli.session;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsProvider;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.archive.ArchiveSource;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.StreamName;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;
import org.rapidsrivers.core.stage.Stages;
import org.rapidsrivers.embedded.DataDirectory;
import org.rapidsrivers.hosts.HostSettings;
import org.rapidsrivers.hosts.PlaneHost;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Understands one run of rr: the options it was started with, the system it talks to (opened on
 * first use, closed at the end), where it prints, and whether the user asked to exit.
 */
public final class Session implements AutoCloseable {
    private final GlobalOptions options;
    private final PrintWriter out;
    private final PrintWriter err;
    private Output output;
    private Backend backend;
    private final List<ExecutionInterceptor> interceptors = new ArrayList<>();
    private boolean exitRequested;
    private boolean toDrain;
    private PlaneHost planes;

    public Session(GlobalOptions options, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    public GlobalOptions options() {
        return options;
    }

    /** Options are parsed after the session exists, so the output is made on first use. */
    public Output output() {
        if (output == null) {
            output = new Output(out, err, options.json());
        }
        return output;
    }

    public Backend backend() {
        if (backend == null) {
            backend = open();
        }
        return backend;
    }

    /** The backend for a command that drains rivers: on a full disk it may use the space kept in reserve. */
    public Backend backendToDrain() {
        toDrain = true;
        return backendWithPlanes();
    }

    /**
     * The backend, with the planes running in this process where it needs that: always on the embedded
     * backend (whichever process holds a stream's lease does the work), on AWS with --host-planes.
     */
    public Backend backendWithPlanes() {
        Backend opened = backend();
        if (planes == null && (options.backend() == GlobalOptions.BackendKind.embedded || options.hostPlanes)) {
            List<Path> jars = options.serviceJars();
            planes = jars.isEmpty() ? PlaneHost.start(opened) : PlaneHost.start(opened, HostSettings.kinesis().withServiceJars(jars));
        }
        return opened;
    }

    /** The stage's archive: its rapids' records embedded, its S3 bucket on AWS. */
    public Archive archive() {
        return archive(Duration.ofSeconds(60));
    }

    /** The same; on AWS a backfill sends the archive's events until {@code seam} past the subscription. */
    public Archive archive(Duration seam) {
        return ArchiveSource.of(backend(), seam);
    }

    public Stage stage() {
        if (options.stage == null) {
            return Stage.DEFAULT;
        }
        return Stage.of(options.stage);
    }

    public String rapidsStreamName() {
        return StreamName.check(options.rapids != null ? options.rapids : stage().rapidsStream(), "--rapids");
    }

    public String controlStreamName() {
        return StreamName.check(options.controlStream != null ? options.controlStream : stage().controlStream(),
                "--control-stream");
    }

    public void requestExit() {
        exitRequested = true;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    private Backend open() {
        if (options.debug()) {
            // the planes hosted here say what every batch did, not only what failed
            System.setProperty("rr.planeLog", "all");
        }
        if (options.stage == null) {
            output().notice("stage not specified - default to " + stage());
        }
        StageOptions stage = stageOptions(stage());
        if (!interceptors.isEmpty() && options.backend() == GlobalOptions.BackendKind.aws) {
            return AwsBackend.open(AwsProvider.settings(stage), interceptors).keepingJournalsIn(stage.dataDir());
        }
        return Stages.open(stage);
    }

    /** The stage the global options describe, as every process opens one. */
    public StageOptions stageOptions(Stage stage) {
        StageOptions chosen = options.backend() == GlobalOptions.BackendKind.aws
                ? StageOptions.aws(stage).withDataDir(options.dataDir()) : StageOptions.embedded(options.dataDir(), stage);
        chosen = chosen.withStreams(rapidsStreamName(), controlStreamName()).withNoCbor(options.noCbor).withToDrain(toDrain)
                .withEmulator(options.emulator());
        if (options.endpointUrl != null) {
            chosen = chosen.withEndpoint(endpoint(options.endpointUrl));
        }
        if (options.region != null) {
            chosen = chosen.withRegion(options.region);
        }
        return chosen;
    }

    /** Where the options say a stage lives on AWS: endpoint, region, and JSON instead of CBOR for emulators. */
    public AwsSettings awsSettings(Stage stage) {
        return AwsProvider.settings(stageOptions(stage));
    }

    /** The stage the user named, else the given one (the bench works on a stage of its own). */
    public Stage stageOr(String fallback) {
        return options.stage == null ? Stage.of(fallback) : Stage.of(options.stage);
    }

    /**
     * A file of the shell's own in the data directory (its history), made owner-only there as the stage's
     * files are: refused in one line when the directory or the file is not this user's alone.
     */
    public Path privateFile(String name) {
        Path dataDir = options.dataDir();
        if (DataDirectory.prepare(dataDir)) {
            throw new BackendUnavailable(DataDirectory.readOnlyLine(dataDir));
        }
        Path file = dataDir.resolve(name);
        DataDirectory.privateFile(file);
        return file;
    }

    /** The AWS backend underneath, for what only AWS has (provisioning); refused on the embedded backend. */
    public AwsBackend aws() {
        Backend opened = backend();
        if (opened instanceof AwsBackend aws) {
            return aws;
        }
        throw new InvalidInput("this needs --backend aws (the embedded backend makes what it needs on first use)");
    }

    /**
     * On AWS itself (not an emulator) a filter-policy change takes SNS a few minutes to apply; say what
     * can be observed now, the subscription's policy, on standard error so transcripts stay the same.
     */
    public void noteFilterPolicy(RiverName river) {
        AwsBackend aws = backend instanceof AwsBackend direct ? direct : null;
        if (aws == null || aws.settings().emulated()) {
            return;
        }
        String policy = aws.subscriptions().filterPolicyOf(river).map(p -> "its subscription's filter policy is now " + p)
                .orElse("it has no subscription now");
        output().notice("note: SNS takes up to a few minutes to apply a filter-policy change to river " + river + "; "
                + policy);
    }

    /** Interceptors for every AWS client this session makes: the benchmark counts calls with one. */
    public void addInterceptor(ExecutionInterceptor interceptor) {
        if (backend != null) {
            throw new InvalidInput("a modelled round trip applies from a process's start: run the"
                    + " command on its own (rr --backend aws ... scenario offers --rtt 20ms), not in a shell session");
        }
        interceptors.add(interceptor);
    }

    private static URI endpoint(String url) {
        try {
            URI uri = new URI(url.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException malformed) {
            // refused below with what is allowed
        }
        throw new InvalidInput("invalid --endpoint-url '" + url + "': use http://host:port or https://host");
    }

    @Override
    public void close() {
        if (planes != null) {
            PlaneHost hosting = planes;
            planes = null;
            hosting.close();
        }
        if (backend != null) {
            Backend closing = backend;
            backend = null;
            closing.close();
        }
    }
}
