package dev.cairn.train.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.train.data.Fingerprint;
import dev.cairn.train.fit.FittedModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a fitted model as a model package through the runtime's writer (so the package is
 * checked exactly as the loader checks it) and uploads it as the run's {@code model/} artifact,
 * model.yaml last: a reader that finds model.yaml finds the whole package.
 */
public final class ModelPackager {
    public static final String ARTIFACT_PATH = "model";
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ModelPackager() {}

    /** What identifies the model's learnt content: the booster file, or the model block of a baseline. */
    public static byte[] modelBytes(FittedModel model) {
        if (model.modelBytes() != null) return model.modelBytes();
        try {
            return CANONICAL.writeValueAsBytes(model.body());
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not serialise the model block", e);
        }
    }

    public static String modelSha256(FittedModel model) {
        return Fingerprint.sha256(modelBytes(model));
    }

    public static ModelManifest manifest(FittedModel model, String runId, PreparedData data, Map<String, Long> rowCounts,
                                         Map<String, Object> parameters, Map<String, Object> inputExample) {
        return manifest(model, runId, data, rowCounts, parameters, inputExample, null);
    }

    /** @param schemaVersion the reviewed data schema the signature follows ({@code ReviewedSchema#version}), or null */
    public static ModelManifest manifest(FittedModel model, String runId, PreparedData data, Map<String, Long> rowCounts,
                                         Map<String, Object> parameters, Map<String, Object> inputExample,
                                         String schemaVersion) {
        Provenance provenance = Provenance.ofEnvironment()
                .withRun(runId, null)
                .withData(data.path().toAbsolutePath().toUri().toString(), data.sha256(), rowCounts, schemaVersion)
                .withParameters(parameters, ((Number) model.params().get("seed")).longValue())
                .withLibraries(Libraries.versions())
                .withExtra(Map.of("algorithm", model.algorithm().wireName(), "rounds", model.rounds(),
                        "modelSha256", modelSha256(model)));
        return ModelManifest.of(model.signature(), model.preprocessing(), model.body(), null, provenance, inputExample);
    }

    /** Writes the package into a temporary directory, uploads it under {@code model/} and returns the manifest written. */
    public static ModelManifest upload(ModelManifest manifest, FittedModel model, ArtifactRepository runArtifacts) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (model.modelBytes() != null) files.put(model.modelFile(), model.modelBytes());
        Path temp = null;
        try {
            temp = Files.createTempDirectory("cairn-model-");
            Path dir = temp.resolve(ARTIFACT_PATH);
            ModelManifest written = ModelPackageWriter.write(dir, manifest, files);
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = walk.filter(Files::isRegularFile)
                        .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().equals("model.yaml")).thenComparing(Path::toString))
                        .toList();
            }
            for (Path p : paths) {
                String relative = dir.relativize(p).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(p)) {
                    runArtifacts.put(ARTIFACT_PATH + "/" + relative, in);
                }
            }
            return written;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not write the model package: " + e.getMessage(), e);
        } finally {
            if (temp != null) deleteTree(temp);
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
