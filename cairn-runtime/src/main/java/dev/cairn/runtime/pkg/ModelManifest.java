package dev.cairn.runtime.pkg;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.cairn.runtime.preprocess.Preprocessing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything model.yaml holds. {@code files} maps every other file of the package (path relative
 * to the package root, '/'-separated) to its SHA-256 in lower-case hex; the writer fills it and
 * the loader verifies it. {@code threshold} is the probability of the positive class at or above
 * which a binary classifier predicts it (0.5 when absent).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"formatVersion", "flavor", "signature", "preprocessing", "model", "threshold", "provenance",
        "inputExample", "files"})
public record ModelManifest(
        int formatVersion,
        Flavor flavor,
        Signature signature,
        Preprocessing preprocessing,
        ModelBody model,
        Double threshold,
        Provenance provenance,
        Map<String, Object> inputExample,
        Map<String, String> files) {

    /** The format version this runtime writes; it reads every version up to this one. */
    public static final int CURRENT_FORMAT_VERSION = 1;

    public ModelManifest {
        inputExample = inputExample == null ? null : new LinkedHashMap<>(inputExample);
        files = files == null ? null : new TreeMap<>(files);
    }

    /** A manifest of the current format version, without checksums (the writer computes those). */
    public static ModelManifest of(Signature signature, Preprocessing preprocessing, ModelBody model,
                                   Double threshold, Provenance provenance, Map<String, Object> inputExample) {
        return new ModelManifest(CURRENT_FORMAT_VERSION, model.flavor(), signature, preprocessing, model, threshold,
                provenance, inputExample, null);
    }

    public ModelManifest withFiles(Map<String, String> files) {
        return new ModelManifest(formatVersion, flavor, signature, preprocessing, model, threshold, provenance,
                inputExample, files);
    }

    public ModelManifest withModel(ModelBody model) {
        return new ModelManifest(formatVersion, flavor, signature, preprocessing, model, threshold, provenance,
                inputExample, files);
    }

    public double thresholdOrDefault() {
        return threshold == null ? 0.5 : threshold;
    }
}
