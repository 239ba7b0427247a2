package org.rapidsrivers.cli;

import java.io.PrintWriter;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.local.EmbeddedBackend;

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
    private boolean exitRequested;

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

    /** The backend, with the planes running in this process where the backend needs that. */
    public Backend backendWithPlanes() {
        Backend opened = backend();
        opened.hostPlanes();
        return opened;
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
        Stage stage = stage();
        if (options.stage == null) {
            output().notice("stage not specified - default to " + stage);
        }
        String rapids = rapidsStreamName();
        String control = controlStreamName();
        return switch (options.backend()) {
            case embedded -> EmbeddedBackend.open(EmbeddedBackend.Options.of(options.dataDir(), stage)
                    .withStreams(rapids, control));
            case aws -> throw new BackendUnavailable(
                    "the aws backend is not in this build yet; use --backend embedded (the default)");
        };
    }

    @Override
    public void close() {
        if (backend != null) {
            Backend closing = backend;
            backend = null;
            closing.close();
        }
    }
}
