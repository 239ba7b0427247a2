package org.rapidsrivers.hosts;

import java.util.ArrayList;
import java.util.List;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Pond;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The pond promises in DynamoDB (Ponds-<stage>, made by rr provision) on moto's server, over HTTP; racing
 * conditional writes included, which moto answers as DynamoDB does only as emulator/moto-server runs it.
 */
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

    @Test
    void theTableRrProvisionMakesExpiresEntriesIsEncryptedWithTheStageKeyAndCanBeRestored() {
        try (AwsBackend backend = AwsBackend.open(moto.settings(), clock)) {
            DynamoDbClient dynamo = backend.clients().dynamoDb();
            String table = Stage.of("ponds").pondTable();

            assertThat(dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription())
                    .satisfies(ttl -> assertThat(ttl.attributeName()).isEqualTo("expiresAt"))
                    .satisfies(ttl -> assertThat(ttl.timeToLiveStatusAsString()).isEqualTo("ENABLED"));
            assertThat(dynamo.describeContinuousBackups(b -> b.tableName(table)).continuousBackupsDescription()
                    .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("ENABLED");
            assertThat(dynamo.describeTable(b -> b.tableName(table)).table())
                    .satisfies(t -> assertThat(t.billingModeSummary().billingModeAsString()).isEqualTo("PAY_PER_REQUEST"))
                    .satisfies(t -> assertThat(t.sseDescription().sseTypeAsString()).isEqualTo("KMS"));
        }
    }

    @AfterEach
    void close() {
        opened.forEach(AwsBackend::close);
    }
}
