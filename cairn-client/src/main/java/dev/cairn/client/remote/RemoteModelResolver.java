package dev.cairn.client.remote;

import dev.cairn.client.RestClient;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelSources;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.uri.ModelReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Resolves {@code models:/name/3}, {@code models:/name@alias} and {@code runs:/<run>/path} through a
 * Cairn server and downloads the model package into a local cache, returning its local path.
 *
 * <p>Its {@link #resolve(ModelReference)} has exactly the shape of cairn-runtime's
 * {@code dev.cairn.runtime.ModelResolver} (which this module must not depend on), so a Java service
 * loads a registered model with a method reference:
 * <pre>{@code
 * RemoteModelResolver resolver = Cairn.connect("http://cairn:5000").modelResolver();
 * try (Model model = Models.load("models:/credit@champion", resolver::resolve)) { ... }
 * }</pre>
 *
 * <p>Cache layout, under {@code cacheDir} (default {@code $CAIRN_HOME/cache/models}):
 * {@code <name>/<version>} for registered versions (an alias is resolved to its version first, so
 * moving the alias downloads the new version) and {@code _runs/<run-id>/<path key>} for
 * {@code runs:/} references. A version's files never change, so a cached version is used as it is;
 * run artifacts are treated the same way once downloaded. Downloads are atomic: every file goes
 * into a temporary directory next to the cache entry, each file's length and SHA-256 are checked
 * against what the server recorded (DATA_LOSS otherwise, and nothing is cached), and the directory
 * is renamed into place only when complete. Two processes resolving the same model at once both
 * succeed; one of the two downloads is kept.
 *
 * <p>The result is a directory when the package is one, or the file itself (e.g. a zip) inside its
 * cache entry when the source is a single file. Plain local paths and {@code file:} URIs are
 * returned as they are.
 */
public final class RemoteModelResolver {


    private final RestClient rest;
    private final Path cacheDir;

    public RemoteModelResolver(RestClient rest, Path cacheDir) {
        this.rest = rest;
        this.cacheDir = (cacheDir == null ? defaultCacheDir() : cacheDir).toAbsolutePath().normalize();
    }

    /** {@code $CAIRN_HOME/cache/models}, with CAIRN_HOME found as the embedded stores find it (default {@code ~/.cairn}). */
    public static Path defaultCacheDir() {
        String home = System.getProperty("cairn.home");
        if (home == null || home.isBlank()) home = System.getProperty("CAIRN_HOME");
        if (home == null || home.isBlank()) home = System.getenv("CAIRN_HOME");
        Path base = home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".cairn") : Path.of(home);
        return base.resolve("cache").resolve("models").toAbsolutePath().normalize();
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** As {@link #resolve(ModelReference)}, from a URI string. */
    public Path resolve(String uri) {
        return resolve(ModelReference.parse(uri));
    }

    /** A local directory or file holding the referenced package; downloads it on first use. */
    public Path resolve(ModelReference reference) {
        return switch (reference) {
            case ModelReference.ByVersion byVersion -> version(byVersion);
            case ModelReference.ByAlias byAlias -> version(byAlias);
            case ModelReference.RunArtifact run -> fetch(run, cacheDir.resolve("_runs").resolve(safeName(run.runId()))
                    .resolve(pathKey(run.path())));
            case ModelReference.Location location -> local(location.uri());
        };
    }

    /** A registry reference followed (through the API) to its version's files, which are fetched into the cache. */
    private Path version(ModelReference reference) {
        RemoteMetadataStore store = new RemoteMetadataStore(rest);
        ModelSources.Followed followed = ModelSources.follow(reference, store.registry());
        ModelVersion version = followed.version();
        Path entry = cacheDir.resolve(safeName(version.name())).resolve(Long.toString(version.version()));
        return fetch(runArtifactOf(version, followed.target(), store), entry);
    }

    /** The run artifact a version's files are; the API serves files only from runs' artifacts. */
    private static ModelReference.RunArtifact runArtifactOf(ModelVersion version, ModelReference target, RemoteMetadataStore store) {
        if (target instanceof ModelReference.RunArtifact run) return run;
        String location = ((ModelReference.Location) target).uri();
        if (version.runId() != null) {
            String root = store.runs().getRun(version.runId()).info().artifactUri();
            String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
            if (location.equals(base)) return new ModelReference.RunArtifact(version.runId(), "");
            if (location.startsWith(base + "/")) return new ModelReference.RunArtifact(version.runId(), location.substring(base.length() + 1));
        }
        throw new CairnException(ErrorCode.INVALID_STATE, "Model " + version.name() + " version " + version.version()
                + " is stored at '" + location + "', outside any run's artifacts, which Cairn's API does not serve;"
                + " read it from that location directly", Map.of("source", version.source()));
    }

    private Path local(String uri) {
        Path path;
        try {
            path = uri.startsWith("file:") ? Path.of(URI.create(uri)) : uri.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") ? null : Path.of(uri);
        } catch (RuntimeException e) {
            path = null;
        }
        if (path == null) {
            throw CairnException.invalid("model_uri", uri, "models:/…, runs:/…, a local path or a file: URI (read "
                    + "other storage locations directly)");
        }
        if (!Files.exists(path)) throw CairnException.notFound("model path", path);
        return path;
    }

    // ---------------------------------------------------------------- download

    private Path fetch(ModelReference.RunArtifact artifact, Path entry) {
        RemoteArtifactRepository repository = RemoteArtifactRepository.ofRun(rest, artifact.runId());
        ArtifactInfo info = repository.stat(artifact.path());
        String fileName = info.isDirectory() ? null : ArtifactPaths.baseName(info.path());
        if (Files.isDirectory(entry)) return fileName == null ? entry : entry.resolve(fileName);
        if (info.isDirectory() && repository.list(artifact.path()).isEmpty()) {
            throw CairnException.notFound("model artifacts", artifact);
        }
        Path parent = entry.getParent();
        Path temp = null;
        try {
            Files.createDirectories(parent);
            temp = Files.createTempDirectory(parent, ".download-");
            if (fileName == null) {
                downloadDirectory(repository.child(artifact.path()), "", temp);
            } else {
                download(repository, artifact.path(), temp.resolve(fileName));
            }
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE);
                temp = null;
            } catch (IOException raced) {
                // Another process cached it first (the rename found the entry there): its copy
                // passed the same checks, so keep it.
                if (!Files.isDirectory(entry)) throw raced;
            }
            return fileName == null ? entry : entry.resolve(fileName);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write the model cache at " + entry + ": " + e.getMessage(),
                    Map.of("path", entry.toString()), e);
        } finally {
            if (temp != null) deleteTree(temp);
        }
    }

    private static void downloadDirectory(dev.cairn.core.store.ArtifactRepository repository, String directory, Path target)
            throws IOException {
        Files.createDirectories(target);
        for (ArtifactInfo child : repository.list(directory)) {
            String name = ArtifactPaths.baseName(child.path());
            if (child.isDirectory()) {
                downloadDirectory(repository, child.path(), target.resolve(name));
            } else {
                download(repository, child.path(), target.resolve(name));
            }
        }
    }

    /** One file, streamed; the stream raises DATA_LOSS at its end on a checksum or length mismatch. */
    private static void download(dev.cairn.core.store.ArtifactRepository repository, String path, Path file) throws IOException {
        try (InputStream in = repository.open(path)) {
            Files.copy(in, file);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary directory is harmless and named as such
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }

    /** A name usable as one directory name on any file system. */
    private static String safeName(String name) {
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);
        return encoded.startsWith(".") ? "%2E" + encoded.substring(1) : encoded;
    }

    private static String pathKey(String path) {
        return path.isEmpty() ? "root" : "path-" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }
}
