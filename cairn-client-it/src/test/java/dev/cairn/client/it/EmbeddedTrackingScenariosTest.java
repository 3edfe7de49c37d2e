package dev.cairn.client.it;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Tracking scenarios on the embedded SQLite store (the reference the remote store must match)")
class EmbeddedTrackingScenariosTest extends TrackingScenarios {

    @TempDir
    Path dir;

    private MetadataStore store;

    @BeforeEach
    void open() {
        store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    MetadataStore store() {
        return store;
    }
}
