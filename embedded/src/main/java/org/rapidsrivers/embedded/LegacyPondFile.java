package org.rapidsrivers.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.rapidsrivers.core.json.Json;

/**
 * Understands the pond files an earlier rr kept beside the stage ({@code <data-dir>/ponds/<service>.db},
 * a table of keys and text values): the first time a service's pond is opened and holds nothing, the
 * file's entries move into it (a value that is a JSON object or array stays one, any other text becomes
 * a JSON string), the file is kept as {@code <service>.db.imported}, and one line says so.
 */
final class LegacyPondFile {
    private LegacyPondFile() {
    }

    static void importInto(EmbeddedPond pond, Path dataDir, String service) {
        Path file = dataDir.resolve("ponds").resolve(service + ".db");
        // only a plain file of this user's, in a folder nobody else may write: never a link or a planted file
        if (!DataDirectory.ownRegularFile(file) || !pond.isEmpty()) {
            return;
        }
        int moved = 0;
        try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = old.createStatement();
             ResultSet rows = statement.executeQuery("SELECT key, value FROM facts")) {
            while (rows.next()) {
                pond.put(rows.getString(1), value(rows.getString(2)));
                moved++;
            }
        } catch (SQLException unreadable) {
            System.err.println("rr: the pond file " + file + " of an earlier rr cannot be read (" + unreadable.getMessage()
                    + "); service " + service + " starts with an empty pond");
            return;
        }
        try {
            Files.move(file, file.resolveSibling(service + ".db.imported"), StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(file.resolveSibling(service + ".db-wal"));
            Files.deleteIfExists(file.resolveSibling(service + ".db-shm"));
        } catch (IOException e) {
            // moved already: the pond is no longer empty, so the file is not read again
        }
        System.err.println("rr: moved " + moved + " entries of service " + service + "'s pond from " + file
                + " into the stage's database (the file is kept as " + service + ".db.imported)");
    }

    private static JsonNode value(String text) {
        try {
            JsonNode parsed = Json.parse(text);
            if (parsed.isContainerNode()) {
                return parsed;
            }
        } catch (RuntimeException notJson) {
            // plain text, such as yes or RoadWarrior
        }
        return TextNode.valueOf(text);
    }
}
