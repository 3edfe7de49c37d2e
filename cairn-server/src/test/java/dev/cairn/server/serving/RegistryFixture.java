package dev.cairn.server.serving;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.tracking.ModelResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real SQLite registry in a temporary directory holding the credit-risk model: version 1 and 2
 * (same signature, different numbers of trees) and version 3 (needs an extra input, so it fails on
 * the stable version's traffic), with {@code champion} on version 1.
 */
final class RegistryFixture implements AutoCloseable {
    final MetadataStore store;
    final ArtifactRepository artifacts;
    final Serving serving;

    RegistryFixture(Path dir, ServingConfig config) throws Exception {
        store = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toString());
        artifacts = Stores.openArtifacts(dir.resolve("artifacts").toString());
        store.registry().createRegisteredModel("credit-risk", "test model", List.of(), "alice");
        // The packages are copied into the artifact store: a server deploys models only from there.
        store.registry().createModelVersion("credit-risk", inStore(dir, CreditModels.shared(5, false), "v1").toString(),
                null, "5 trees", List.of(), "alice");
        store.registry().createModelVersion("credit-risk", inStore(dir, CreditModels.shared(12, false), "v2").toString(),
                null, "12 trees", List.of(), "alice");
        store.registry().createModelVersion("credit-risk", inStore(dir, CreditModels.shared(5, true), "v3").toString(),
                null, "needs housing", List.of(), "alice");
        store.registry().setAlias("credit-risk", "champion", 1, "alice", null);
        ModelResolver resolver = new ModelResolver(store, artifacts);
        serving = new Serving(config, store.registry(), RegistryPackages.confined(resolver, dir.resolve("cache")));
    }

    /** A copy of {@code pkg} under the artifact root ({@code artifacts/models/NAME}). */
    static Path inStore(Path dir, Path pkg, String name) throws java.io.IOException {
        Path target = dir.resolve("artifacts").resolve("models").resolve(name);
        try (var files = java.nio.file.Files.walk(pkg)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(pkg.relativize(file).toString());
                if (java.nio.file.Files.isDirectory(file)) java.nio.file.Files.createDirectories(copy);
                else java.nio.file.Files.copy(file, copy);
            }
        }
        return target;
    }

    static ServingConfig config(Path dir) {
        return ServingConfig.defaults(dir.resolve("log")).withAliasRefreshInterval(Duration.ZERO);
    }

    @Override
    public void close() {
        serving.close();
        store.close();
    }
}
