package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelSources;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Finds a model's package from what a user calls it ({@code models:/credit@champion},
 * {@code models:/credit/3}, {@code runs:/<run>/model}, a directory or zip) and reads it, verified.
 * {@code version} is the registered version when the reference went through the registry.
 */
public record ModelSource(String uri, ModelVersion version, String source, ModelPackage pkg) {
    public static ModelSource open(String uri, Tracking tracking) {
        ModelSources.Followed followed = ModelSources.follow(ModelReference.parse(uri), tracking.registry());
        String source = followed.version() != null ? followed.version().source() : uri;
        return new ModelSource(uri, followed.version(), source, read(followed.target(), tracking));
    }

    /** The registered model's name, or null when the model was not given through the registry. */
    public String registeredName() {
        return version == null ? null : version.name();
    }

    /** Reads the package at the end of a followed reference: a run's artifact, a storage URI or a local path. */
    private static ModelPackage read(ModelReference target, Tracking tracking) {
        String location = target.toString();
        return switch (target) {
            case ModelReference.RunArtifact r -> {
                Run run = tracking.runs().getRun(r.runId());
                ArtifactRepository root = tracking.runArtifacts().apply(run.info());
                yield download(r.path().isEmpty() ? root : root.child(r.path()), location);
            }
            case ModelReference.Location l -> {
                String s = l.uri();
                if (s.startsWith("file:")) yield ModelPackage.read(Path.of(URI.create(s)));
                if (s.matches("[a-zA-Z][a-zA-Z0-9+.\\-]+://.*")) yield download(Stores.openArtifacts(s), location);
                yield ModelPackage.read(Path.of(s));
            }
            default -> throw new IllegalStateException("ModelSources.follow ends at a run artifact or a location");
        };
    }

    /** Copies a package out of an artifact store into a temporary directory, reads it, and deletes the copy. */
    private static ModelPackage download(ArtifactRepository repo, String location) {
        if (!repo.exists("model.yaml")) {
            throw CairnException.notFound("model package (no model.yaml)", location);
        }
        Path temp = null;
        try {
            temp = Files.createTempDirectory("cairn-eval-model-");
            copy(repo, "", temp);
            return ModelPackage.read(temp);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not download model " + location + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) TempFiles.deleteTree(temp);
        }
    }

    private static void copy(ArtifactRepository repo, String dir, Path target) throws IOException {
        for (ArtifactInfo info : repo.list(dir)) {
            String name = info.path().contains("/") ? info.path().substring(info.path().lastIndexOf('/') + 1) : info.path();
            String path = dir.isEmpty() ? name : dir + "/" + name;
            if (info.isDirectory()) {
                Files.createDirectories(target.resolve(path));
                copy(repo, path, target);
            } else {
                Path file = target.resolve(path);
                Files.createDirectories(file.getParent());
                try (InputStream in = repo.open(path)) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
