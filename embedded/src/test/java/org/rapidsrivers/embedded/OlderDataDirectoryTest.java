package org.rapidsrivers.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Pond;

/**
 * A data directory made by an earlier rr keeps working: made-by-<commit>/dev.db is what that commit's ./rr
 * left after "subscribe orders OrderPlaced", two sends of OrderPlaced ({"order":1} and {"order":2}) and
 * "advertise Lonely": 5168147 (the last main that landed, schema 1) and 7729345 (schema 2, leases and
 * stamps, no ponds, no reminders). Opened by this rr each is brought to this schema in place, and what it
 * held is still there.
 */
class OlderDataDirectoryTest {
    private static final RiverName ORDERS = RiverName.of("orders");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"5168147, 1", "7729345, 2"})
    void aStageMadeByAnEarlierRrIsMigratedAndKeepsItsRiversMessagesAndCatalog(String commit, int schema) throws Exception {
        try (InputStream made = getClass().getResourceAsStream("/made-by-" + commit + "/dev.db")) {
            Files.copy(made, dir.resolve("dev.db"));
        }
        assertThat(userVersion()).as("the fixture is what the earlier rr wrote").isEqualTo(schema);

        try (EmbeddedBackend stage = EmbeddedBackend.open(dir, Stage.DEFAULT)) {
            assertThat(stage.rivers().names()).containsExactly(ORDERS);
            assertThat(stage.catalog().topics()).extracting(Object::toString).contains("Lonely");
            List<Delivery> kept = stage.rivers().receive(ORDERS, 10, Duration.ZERO, Duration.ofSeconds(30));
            assertThat(kept).extracting(d -> Json.parse(d.body()).path("payload").toString())
                    .containsExactly("{\"order\":1}", "{\"order\":2}");

            Pond pond = stage.pond("location");
            pond.put("user/Sally", Json.object().put("level", "Gold"));
            assertThat(pond.get("user/Sally")).hasValueSatisfying(v -> assertThat(v.path("level").asText()).isEqualTo("Gold"));
            stage.rivers().putLater(ORDERS, "{\"rrReminder\":{}}", Duration.ZERO);
            assertThat(stage.rivers().receive(ORDERS, 10, Duration.ofSeconds(1), Duration.ofSeconds(30)))
                    .extracting(Delivery::body).containsExactly("{\"rrReminder\":{}}");
        }
        assertThat(userVersion()).isEqualTo(Schema.VERSION);
    }

    private int userVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dev.db"));
             ResultSet rows = c.createStatement().executeQuery("PRAGMA user_version")) {
            return rows.getInt(1);
        }
    }
}
