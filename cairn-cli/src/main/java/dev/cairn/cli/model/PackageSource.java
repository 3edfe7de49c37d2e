package dev.cairn.cli.model;

import dev.cairn.cli.StoreOptions;
import dev.cairn.client.Cairn;
import dev.cairn.client.remote.RemoteModelResolver;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.server.serving.RegistryPackages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the model commands get a package from: a {@code models:/} or {@code runs:/} URI is
 * resolved through the metadata store (copied, every file's SHA-256 checked, into a temporary
 * directory removed on close) or, with {@code --server}, through a running Cairn server (the
 * client's download cache); a plain path or {@code file:} URI is used as it is.
 */
final class PackageSource implements AutoCloseable {

    private final StoreOptions store;
    private final String server;
    private MetadataStore metadata;
    private Path scratch;

    PackageSource(StoreOptions store, String server) {
        this.store = store;
        this.server = server;
    }

    /** A local directory or zip holding the package {@code uri} names. */
    Path resolve(String uri) {
        ModelReference reference = ModelReference.parse(uri);
        if (reference instanceof ModelReference.Location location) {
            String s = location.uri();
            Path path = s.startsWith("file:") ? Path.of(URI.create(s)) : Path.of(s);
            if (!Files.exists(path)) throw CairnException.invalid("model", uri, "an existing package directory or zip, or a models:/ or runs:/ URI");
            return path;
        }
        if (server != null) {
            RemoteModelResolver resolver = Cairn.connect(server).modelResolver();
            return resolver.resolve(reference);
        }
        return stored(reference);
    }

    /**
     * The package as the store resolves it for every later user of the registry (serving, scoring),
     * copied into the temporary directory: what {@code models register} checks before it writes.
     */
    Path stored(ModelReference reference) {
        metadata();
        try {
            if (scratch == null) scratch = Files.createTempDirectory("cairn-model-");
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot create a temporary directory for the model package: " + e, e);
        }
        var registry = new dev.cairn.server.tracking.ModelResolver(metadata, Stores.openArtifacts(store.artifactRoot()));
        return new RegistryPackages(registry, scratch).resolve(reference);
    }

    /** The metadata store named by the store options, opened on first use. */
    MetadataStore metadata() {
        if (metadata == null) metadata = store.open();
        return metadata;
    }

    @Override
    public void close() {
        if (metadata != null) metadata.close();
        if (scratch != null) deleteTree(scratch);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
