package org.rapidsrivers.core.stage;

import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.stage.Backend;

/** Understands the one way every process (the shell, a service, a test) opens a stage: by its options, through the backend modules present. */
public final class Stages {
    private Stages() {
    }

    public static Backend open(StageOptions options) {
        ServiceLoader<BackendProvider> providers = ServiceLoader.load(BackendProvider.class, Stages.class.getClassLoader());
        for (BackendProvider provider : providers) {
            if (provider.kind().equals(options.backend())) {
                return provider.open(options);
            }
        }
        String present = providers.stream().map(p -> p.get().kind()).sorted().collect(Collectors.joining(", "));
        throw new BackendUnavailable("the " + options.backend() + " backend is not on this program's class path"
                + " (present: " + (present.isEmpty() ? "none" : present) + "); add the module rapids-rivers "
                + options.backend());
    }
}
