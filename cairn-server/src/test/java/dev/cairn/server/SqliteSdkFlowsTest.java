package dev.cairn.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's key flows against a server on a SQLite store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteSdkFlowsTest extends SdkFlowsContract {

    private TestServer server;

    @BeforeAll
    void start(@TempDir Path storeDir) {
        server = TestServer.sqlite(storeDir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Override
    TestServer server() {
        return server;
    }
}
