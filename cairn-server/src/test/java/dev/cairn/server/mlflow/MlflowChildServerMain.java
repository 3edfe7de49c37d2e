package dev.cairn.server.mlflow;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.server.CairnServer;
import dev.cairn.store.Stores;
import java.util.List;

/**
 * A Cairn server with the MLflow API, run as a separate JVM by {@link KillDuringLogBatchTest}, which
 * kills it with SIGKILL. Arguments: the store URI and the artifact root; it prints
 * {@code LISTENING <port>} once it serves and runs until it is killed.
 */
public final class MlflowChildServerMain {

    private MlflowChildServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: MlflowChildServerMain <store-uri> <artifact-root>");
            System.exit(2);
        }
        MetadataStore store = Stores.openMetadata(args[0], args[1]);
        ArtifactRepository artifacts = Stores.openArtifacts(args[1]);
        CairnServer server = new CairnServer(store, artifacts, "127.0.0.1", 0,
                List.of(new MlflowApi(store, artifacts.rootUri()), new MlflowArtifactsApi(artifacts)));
        int port = server.start();
        System.out.println("LISTENING " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
