package dev.cairn.server.tracking;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.Stores;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a storage URI (a run's artifact URI, a model version's location) into an
 * {@link ArtifactRepository}. Locations under the server's artifact root reuse that repository
 * (one S3 client, one set of credentials); anything else, such as an experiment created with its own
 * artifact location, is opened by its scheme.
 */
public final class ArtifactLocations {

    private final ArtifactRepository root;

    public ArtifactLocations(ArtifactRepository root) {
        this.root = root;
    }

    public ArtifactRepository root() {
        return root;
    }

    /** The repository whose root is {@code uri}. */
    public ArtifactRepository open(String uri) {
        return relativeToRoot(uri).map(rel -> rel.isEmpty() ? root : root.child(rel))
                .orElseGet(() -> Stores.openArtifacts(uri));
    }

    /** The path of {@code uri} under the server's artifact root, when it is under it. */
    Optional<String> relativeToRoot(String uri) {
        String base = trimSlash(root.rootUri());
        String target = trimSlash(uri);
        Optional<String> local = relativeFile(base, target);
        if (local.isPresent()) return local;
        if (target.equals(base)) return Optional.of("");
        if (target.startsWith(base + "/")) return Optional.of(target.substring(base.length() + 1));
        return Optional.empty();
    }

    /** {@code file:/x}, {@code file:///x} and {@code /x} name the same directory. */
    private static Optional<String> relativeFile(String base, String target) {
        Path basePath = localPath(base);
        Path targetPath = localPath(target);
        if (basePath == null || targetPath == null || !targetPath.startsWith(basePath)) return Optional.empty();
        return Optional.of(basePath.relativize(targetPath).toString().replace('\\', '/'));
    }

    private static Path localPath(String uri) {
        try {
            if (uri.startsWith("file:")) return Path.of(URI.create(uri)).toAbsolutePath().normalize();
            if (uri.startsWith("/")) return Path.of(uri).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }
}
