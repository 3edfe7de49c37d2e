package dev.cairn.server.serving;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.features.online.OnlineStores;
import dev.cairn.server.tracking.ModelResolver;
import java.nio.file.Path;

/**
 * The Java entry points behind {@code cairn serve} and {@code cairn score}, for the CLI and the
 * quickstart: serve a model as a deployment on its own lean server, or score a file or table with it.
 * A {@code models:/} URI is resolved through the metadata store; a package path needs no store.
 */
public final class ServingLauncher {

    private ServingLauncher() {}

    /** A running server and the store it resolves models through (closed with it). */
    public record Running(ServingServer server, MetadataStore store) implements AutoCloseable {
        public String url() {
            return server.url();
        }

        /** The online store's URI (without a password), or null when the server reads none. */
        public String onlineStore() {
            return server.serving().deployments().features().storeUri();
        }

        @Override
        public void close() {
            server.stop();
            if (store != null) store.close();
        }
    }

    /**
     * Starts a lean serving process answering {@code /invocations}, {@code /v2/...} and
     * {@code /api/v1/deployments/{deployment}/...}, and deploys {@code modelUri} as {@code deployment};
     * returns once the model is loaded, warmed and the server ready.
     *
     * @param storeUri     metadata store for {@code models:/} URIs (null for a package path)
     * @param artifactRoot the artifact root of that store
     * @param logDir       where the prediction log goes (null: no log)
     */
    public static Running serve(String modelUri, String deployment, String storeUri, String artifactRoot, String host, int port,
                                Path logDir, ServingLimits limits) {
        return serve(modelUri, deployment, storeUri, artifactRoot, host, port, logDir, limits, ServingAuth.none());
    }

    /** As above, requests authenticated by {@code auth} (which must allow {@code host}: see {@link ServingAuth#checkBinding}). */
    public static Running serve(String modelUri, String deployment, String storeUri, String artifactRoot, String host, int port,
                                Path logDir, ServingLimits limits, ServingAuth auth) {
        return serve(modelUri, deployment, storeUri, artifactRoot, host, port, logDir, limits, auth, null, null);
    }

    /**
     * As above, the deployment serving {@code featureService}'s features (null: none) read from the online store at
     * {@code onlineStore} ({@code sqlite:/path/online.db}, {@code redis://host:port}; null: none, and a feature service
     * is refused as {@code cairn server} refuses it). Requests then carry entity ids and request-time values, as they
     * do to a {@code cairn server --online-store}; the feature definitions are the metadata store's.
     */
    public static Running serve(String modelUri, String deployment, String storeUri, String artifactRoot, String host, int port,
                                Path logDir, ServingLimits limits, ServingAuth auth, String onlineStore, String featureService) {
        auth.checkBinding(host); // before anything is opened or loaded
        // Feature definitions live in the metadata store, so a feature service needs it even for a model package path.
        MetadataStore store = needsStore(modelUri) || onlineStore != null ? Stores.openMetadata(storeUri, artifactRoot) : null;
        try {
            ServingConfig config = ServingConfig.defaults(logDir).withLimits(limits);
            FeatureServing features = onlineStore == null ? FeatureServing.none()
                    : new FeatureServing(store.features(), OnlineStores.open(onlineStore));
            Serving serving;
            try {
                serving = store == null ? new Serving(config, null, null, features)
                        : new Serving(config, store.registry(), resolver(store, artifactRoot), features);
            } catch (RuntimeException e) {
                features.close();
                throw e;
            }
            ServingServer server = new ServingServer(serving, host, port, auth);
            try {
                server.start();
            } catch (RuntimeException e) {
                serving.close(); // the online store with it (a port in use must not leave a Redis connection open)
                throw e;
            }
            try {
                serving.deployments().apply(DeploymentSpec.single(deployment, modelUri).withFeatureService(featureService),
                        System.getProperty("user.name"), "cairn serve");
                serving.deployments().setDefault(deployment);
            } catch (RuntimeException e) {
                server.stop();
                throw e;
            }
            return new Running(server, store);
        } catch (RuntimeException e) {
            if (store != null) store.close();
            throw e;
        }
    }

    /**
     * Scores every row of {@code options.input()} with {@code modelUri} into {@code options.output()};
     * e.g. credit-g.csv into the SQLite table customer_scores:
     * {@code score("models:/credit-risk@champion", store, artifacts, new Options("credit-g.csv", null,
     * "jdbc:sqlite:scores.db", "customer_scores", "customer_id", 10_000), progress)}.
     */
    public static BatchScorer.Result score(String modelUri, String storeUri, String artifactRoot, BatchScorer.Options options,
                                           BatchScorer.Progress progress) {
        return score(modelUri, storeUri, artifactRoot, options, progress, null);
    }

    /** As above, also logging the scored rows for monitoring when {@code log} is given. */
    public static BatchScorer.Result score(String modelUri, String storeUri, String artifactRoot, BatchScorer.Options options,
                                           BatchScorer.Progress progress, BatchScorer.LogTarget log) {
        MetadataStore store = needsStore(modelUri) ? Stores.openMetadata(storeUri, artifactRoot) : null;
        try (ModelLoader loader = store == null ? new ModelLoader(null, null, 0)
                : new ModelLoader(store.registry(), resolver(store, artifactRoot), 0)) {
            return BatchScorer.score(loader.acquire(modelUri), options, progress, log);
        } finally {
            if (store != null) store.close();
        }
    }

    /** A model's package on this machine, the name and version it was resolved to (a path: its file name, version 1). */
    public record LocalPackage(Path path, String name, String version) {}

    /**
     * The local package of {@code modelUri}, resolved as {@link #score} resolves it (an alias to its version through the
     * registry, a version or run through the artifact store into the local cache, a path as it is), for an engine that
     * ships the package itself: cairn-spark's scorer.
     */
    public static LocalPackage localPackage(String modelUri, String storeUri, String artifactRoot) {
        MetadataStore store = needsStore(modelUri) ? Stores.openMetadata(storeUri, artifactRoot) : null;
        try (ModelLoader loader = store == null ? new ModelLoader(null, null, 0)
                : new ModelLoader(store.registry(), resolver(store, artifactRoot), 0)) {
            ModelLoader.Resolved resolved = loader.resolve(modelUri);
            return new LocalPackage(loader.localPackage(resolved), resolved.name(), resolved.version());
        } finally {
            if (store != null) store.close();
        }
    }

    private static boolean needsStore(String modelUri) {
        return !(ModelReference.parse(modelUri) instanceof ModelReference.Location);
    }

    private static RegistryPackages resolver(MetadataStore store, String artifactRoot) {
        ArtifactRepository artifacts = Stores.openArtifacts(artifactRoot);
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "cairn-model-cache");
        return new RegistryPackages(new ModelResolver(store, artifacts), cache);
    }
}
