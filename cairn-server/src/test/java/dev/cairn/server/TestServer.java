package dev.cairn.server;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Cairn server for tests: a metadata store (a SQLite file in a temporary directory, or a
 * PostgreSQL database), a local artifact directory, every default route group and any extra ones,
 * on a free port.
 */
public final class TestServer implements AutoCloseable {

    public final MetadataStore store;
    public final ArtifactRepository artifacts;
    public final CairnServer server;
    public final int port;
    public final String url;

    private TestServer(String storeUri, Path dir, List<ApiRoutes> extra) {
        this(storeUri, dir, DataAccess.none(), extra);
    }

    private TestServer(String storeUri, Path dir, DataAccess access, List<ApiRoutes> extra) {
        String artifactRoot = dir.resolve("artifacts").toUri().toString();
        this.store = Stores.openMetadata(storeUri, artifactRoot);
        this.artifacts = Stores.openArtifacts(artifactRoot);
        List<ApiRoutes> routes = new ArrayList<>(extra);
        routes.addAll(DefaultRoutes.create(store, artifacts, access));
        this.server = new CairnServer(store, artifacts, "127.0.0.1", 0, routes);
        this.port = server.start();
        this.url = "http://127.0.0.1:" + port;
    }

    public static TestServer sqlite(Path dir, ApiRoutes... extra) {
        return new TestServer("sqlite:" + dir.resolve("cairn.db"), dir, List.of(extra));
    }

    /** A SQLite-backed server whose data, training and evaluation routes read what {@code access} allows. */
    public static TestServer sqlite(Path dir, DataAccess access, ApiRoutes... extra) {
        return new TestServer("sqlite:" + dir.resolve("cairn.db"), dir, access, List.of(extra));
    }

    public static TestServer on(String storeUri, Path dir, ApiRoutes... extra) {
        return new TestServer(storeUri, dir, List.of(extra));
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            store.close();
        }
    }
}
