package org.rapidsrivers.embedded;

import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.BackendProvider;
import org.rapidsrivers.core.stage.StageOptions;

/** Understands how the options of any process open the embedded backend. */
public final class EmbeddedProvider implements BackendProvider {
    @Override
    public String kind() {
        return StageOptions.EMBEDDED;
    }

    @Override
    public Backend open(StageOptions options) {
        return EmbeddedBackend.open(EmbeddedBackend.Options.of(options.dataDir(), options.stage())
                .withStreams(options.rapidsStream(), options.controlStream())
                .toDrain(options.toDrain()));
    }
}
