package org.rapidsrivers.hosts;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Pond;

/** The pond promises in DynamoDB (Ponds-<stage>, made by rr provision) on moto's server, over HTTP. */
class MotoPondIT extends PondConformance {
    @RegisterExtension
    static final ProvisionedMoto moto = new ProvisionedMoto(Stage.of("ponds"), 1);

    private final List<AwsBackend> opened = new ArrayList<>();

    @Override
    protected Pond pond(String service) {
        AwsBackend backend = AwsBackend.open(moto.settings(), clock);
        opened.add(backend);
        return backend.pond(service);
    }

    @AfterEach
    void close() {
        opened.forEach(AwsBackend::close);
    }
}
