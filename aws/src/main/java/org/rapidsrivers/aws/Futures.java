package org.rapidsrivers.aws;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.rapidsrivers.core.BackendUnavailable;

/** Understands waiting for calls made side by side: their result, or their failure as the caller's own. */
public final class Futures {
    private Futures() {
    }

    public static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new BackendUnavailable(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailable("interrupted while waiting for AWS");
        }
    }
}
