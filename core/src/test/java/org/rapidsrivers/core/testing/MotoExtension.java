package org.rapidsrivers.core.testing;

import java.net.URI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Understands moto's server for one test class: started before its first test, stopped after its
 * last ({@code @RegisterExtension static final MotoExtension moto = new MotoExtension();}).
 */
public class MotoExtension implements BeforeAllCallback, AfterAllCallback {
    private MotoServer moto;

    @Override
    public void beforeAll(ExtensionContext context) {
        moto = MotoServer.start();
        started();
    }

    /** What a subclass sets up once the server answers. */
    protected void started() {
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (moto != null) {
            moto.close();
        }
    }

    public URI endpoint() {
        return moto.endpoint();
    }
}
