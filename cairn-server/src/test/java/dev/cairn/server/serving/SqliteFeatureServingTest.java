package dev.cairn.server.serving;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Serving with features from the embedded online store (SQLite)")
class SqliteFeatureServingTest extends FeatureServingContract {
    @Override
    String onlineStore(Path dir) {
        return "sqlite:" + dir.resolve("online.db");
    }
}
