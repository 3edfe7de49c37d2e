package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.runtime.ModelResolver;
import dev.cairn.server.tracking.ModelResolver.ResolvedModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The runtime's resolver over the server's registry: a {@code models:/} or {@code runs:/} reference
 * becomes the package's storage location, which is copied once through its artifact repository
 * into a cache directory (to a temporary name, then renamed) and loaded from there. Local packages
 * are copied too rather than used in place: reading through the repository verifies every file's
 * recorded SHA-256, and the copy holds only the package's own files (not the store's bookkeeping).
 * A {@link #confined} resolver (the server's) copies nothing before it is validated: the model's files must be in the
 * server's artifact store and hold a package ({@code model.yaml}). A person's own (the CLI's) reaches what that person
 * registered, a local directory included. Either way a copy that fails is removed, and so is one that does not load
 * ({@link #discard}).
 */
public final class RegistryPackages implements ModelResolver {

    private final dev.cairn.server.tracking.ModelResolver registry;
    private final Path cache;
    private final boolean confined;

    /** A person's resolver (the CLI's): any location the registry names. */
    public RegistryPackages(dev.cairn.server.tracking.ModelResolver registry, Path cache) {
        this(registry, cache, false);
    }

    private RegistryPackages(dev.cairn.server.tracking.ModelResolver registry, Path cache, boolean confined) {
        this.registry = registry;
        this.cache = cache;
        this.confined = confined;
    }

    /** Whether this is the server's resolver ({@link #confined}). */
    public boolean isConfined() {
        return confined;
    }

    /** The server's resolver: packages only from its artifact store, checked before anything is copied. */
    public static RegistryPackages confined(dev.cairn.server.tracking.ModelResolver registry, Path cache) {
        return new RegistryPackages(registry, cache, true);
    }

    @Override
    public Path resolve(ModelReference reference) {
        ResolvedModel resolved = confined ? registry.resolveInArtifactStore("model", reference) : registry.resolve(reference);
        String location = resolved.storageLocation();
        Path target = cache.resolve(Sha256.of(location.getBytes(StandardCharsets.UTF_8)).substring(0, 32));
        if (Files.isDirectory(target)) return target;
        ArtifactRepository repository = registry.open(resolved);
        if (confined && !repository.exists("model.yaml")) {
            throw CairnException.invalid("model", reference.toString(), "a model package (a directory with model.yaml) in the artifact store");
        }
        Path temporary = cache.resolve("." + target.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(temporary);
            copy(repository, "", temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(temporary);
            if (Files.isDirectory(target)) return target;
            if (e instanceof CairnException c) throw c;
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not copy the model package of " + reference + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** Removes a copy this resolver made that turned out not to load, so a failed deploy leaves nothing behind. */
    public void discard(Path copy) {
        if (copy != null && copy.toAbsolutePath().normalize().startsWith(cache.toAbsolutePath().normalize())) deleteTree(copy);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // the sweeper removes what is left (LeftoverSweeper)
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // likewise
        }
    }

    private static void copy(ArtifactRepository repository, String path, Path into) throws IOException {
        for (ArtifactInfo info : repository.list(path)) {
            String name = info.path().substring(info.path().lastIndexOf('/') + 1);
            if (name.isEmpty() || name.equals("..") || name.equals(".")) continue;
            Path local = into.resolve(name);
            if (info.isDirectory()) {
                Files.createDirectories(local);
                copy(repository, info.path(), local);
            } else {
                try (InputStream in = repository.open(info.path())) {
                    Files.copy(in, local);
                }
            }
        }
    }
}
