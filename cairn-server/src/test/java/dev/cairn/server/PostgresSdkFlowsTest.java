package dev.cairn.server;

import dev.cairn.store.testing.EmbeddedPostgresDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's key flows against a server on an embedded PostgreSQL store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSdkFlowsTest extends SdkFlowsContract {

    private EmbeddedPostgresDatabase postgres;
    private TestServer server;

    @BeforeAll
    void start(@TempDir Path storeDir) {
        postgres = EmbeddedPostgresDatabase.start();
        server = TestServer.on(postgres.cairnUri(), storeDir);
    }

    @AfterAll
    void stop() {
        try {
            if (server != null) server.close();
        } finally {
            postgres.close();
        }
    }

    @Override
    TestServer server() {
        return server;
    }
}
