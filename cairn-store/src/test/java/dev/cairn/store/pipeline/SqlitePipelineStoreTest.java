package dev.cairn.store.pipeline;

import dev.cairn.store.sql.SqliteMetadataStoreProvider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The SQLite pipeline store")
class SqlitePipelineStoreTest extends PipelineStoreContract {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    Path folder;

    @Override
    protected String newStoreUri() {
        return "sqlite:" + folder.resolve("store-" + COUNTER.incrementAndGet() + "/cairn.db");
    }

    @Override
    protected Connection rawConnection(String storeUri) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + SqliteMetadataStoreProvider.path(storeUri));
    }
}
