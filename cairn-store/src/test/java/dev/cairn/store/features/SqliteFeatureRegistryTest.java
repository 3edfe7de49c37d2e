package dev.cairn.store.features;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The SQLite feature registry")
class SqliteFeatureRegistryTest extends FeatureRegistryContract {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    Path folder;

    @Override
    protected String newStoreUri() {
        return "sqlite:" + folder.resolve("store-" + COUNTER.incrementAndGet() + "/cairn.db");
    }
}
