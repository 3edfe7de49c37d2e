package dev.cairn.train.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.schema.Field;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.runtime.pkg.ManifestCodec;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.train.SplitSpec;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.algorithm.ParameterSpec;
import dev.cairn.train.data.Fingerprint;
import dev.cairn.train.features.ReviewedSchema;
import dev.cairn.train.fit.FittedModel;
import dev.cairn.train.fit.ModelFitter;
import dev.cairn.train.run.Libraries;
import dev.cairn.train.run.ModelPackager;
import dev.cairn.train.run.PreparedData;
import dev.cairn.train.run.TrainingRun;
import dev.cairn.train.split.Split;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Retrains a recorded run from what it recorded (its data, checked against the recorded
 * SHA-256; its parameters and seed; its split) and compares the new model file byte for byte with
 * the one in the run's {@code model/} artifact, naming what differs when it is not identical. Data
 * whose SHA-256 differs from the recorded one fails the reproduction even if the model comes out
 * the same: the claim is "these inputs give this model", and other inputs cannot confirm it. A run
 * trained with a reviewed schema has it re-applied: a changed digest, or a signature that the
 * schema now makes differently, is reported as a difference.
 */
public final class Reproducer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Tracking tracking;

    public Reproducer(Tracking tracking) {
        this.tracking = tracking;
    }

    public ReproductionReport reproduce(String runId) {
        return reproduce(runId, null);
    }

    /** @param dataOverride where the data is now, when it moved since the run (null: the recorded location) */
    /** The run that trained the model an evaluation evaluated ({@code models:/name/version} or {@code runs:/run/path}). */
    private String trainingRunOf(String modelUri, String evaluationRunId) {
        return switch (dev.cairn.core.uri.ModelReference.parse(modelUri)) {
            case dev.cairn.core.uri.ModelReference.ByVersion v -> tracking.registry().getModelVersion(v.name(), v.version()).runId();
            case dev.cairn.core.uri.ModelReference.ByAlias a -> tracking.registry().getModelVersionByAlias(a.name(), a.alias()).runId();
            case dev.cairn.core.uri.ModelReference.RunArtifact r -> r.runId();
            case dev.cairn.core.uri.ModelReference.Location l -> throw CairnException.invalid("run_id", evaluationRunId,
                    "a run that trained a model (evaluation run of " + modelUri + ", which no run recorded)");
        };
    }

    public ReproductionReport reproduce(String runId, Path dataOverride) {
        Run run = tracking.runs().getRun(runId);
        Map<String, String> params = new TreeMap<>();
        for (Param p : run.data().params()) params.put(p.key(), p.value());
        Map<String, String> tags = new TreeMap<>();
        for (Tag t : run.data().tags()) tags.put(t.key(), t.value());
        String evaluated = tags.get(dev.cairn.train.evaluation.Evaluations.TAG_CANDIDATE);
        if (!params.containsKey(TrainingRun.ALGORITHM) && evaluated != null) {
            // An evaluation run: the model it holds is the candidate's model file with a decision
            // threshold added to model.yaml, so reproducing it means reproducing the candidate's training.
            return reproduce(trainingRunOf(evaluated, runId), dataOverride);
        }
        if (!params.containsKey(TrainingRun.ALGORITHM) || !params.containsKey(TrainingRun.LABEL)) {
            throw CairnException.invalid("run_id", runId, "a run that trained a model (it records no '"
                    + TrainingRun.ALGORITHM + "' and '" + TrainingRun.LABEL + "' parameters)");
        }
        List<Difference> differences = new ArrayList<>();

        DatasetInput input = run.inputs().stream()
                .filter(i -> i.tags().stream().anyMatch(t -> t.key().equals(SystemTags.DATASET_CONTEXT) && t.value().equals("training")))
                .findFirst()
                .orElseThrow(() -> CairnException.invalid("run_id", runId, "a run with a recorded training dataset"));
        Path data = dataOverride != null ? dataOverride : recordedPath(input);
        if (!Files.isRegularFile(data)) {
            throw CairnException.invalid("data", data.toString(), "the run's data file (recorded digest " + input.dataset().digest()
                    + "); pass its current location if it moved");
        }
        String currentDigest = Fingerprint.sha256(data);
        String recordedDigest = input.tags().stream().filter(t -> t.key().equals(TrainingRun.DATA_SHA256_TAG))
                .map(Tag::value).findFirst().orElse(input.dataset().digest());
        if (!currentDigest.startsWith(recordedDigest)) {
            differences.add(new Difference("data", data.toString(), "sha256 " + recordedDigest, "sha256 " + currentDigest));
        }

        Map<String, String> libraries = Libraries.versions();
        tags.forEach((k, v) -> {
            if (k.startsWith(Libraries.TAG_PREFIX)) {
                String lib = k.substring(Libraries.TAG_PREFIX.length());
                String now = libraries.getOrDefault(lib, "absent");
                if (!now.equals(v)) differences.add(new Difference("library", lib, v, now));
            }
        });

        Algorithm algorithm = Algorithm.parse(params.get(TrainingRun.ALGORITHM));
        Map<String, String> given = new LinkedHashMap<>();
        List<String> known = algorithm.parameters().stream().map(ParameterSpec::name).toList();
        for (ParameterSpec spec : algorithm.parameters()) {
            String recorded = params.get(spec.name());
            if (recorded == null) {
                differences.add(new Difference("parameter", spec.name(), "absent", "default " + spec.defaultValue()));
            } else {
                given.put(spec.name(), recorded);
            }
        }
        for (String name : params.keySet()) {
            if (isAlgorithmParameterName(name) && !known.contains(name)) {
                differences.add(new Difference("parameter", name, params.get(name), "unknown to " + algorithm.wireName()));
            }
        }
        Map<String, Object> resolved = algorithm.resolve(given);
        ReviewedSchema schema = recordedSchema(params, differences);

        ArtifactRepository artifacts = tracking.runArtifacts().apply(run.info());
        ModelManifest manifest = ManifestCodec.fromYaml(read(artifacts, ModelPackager.ARTIFACT_PATH + "/" + ManifestCodec.FILE_NAME),
                "runs:/" + runId + "/" + ModelPackager.ARTIFACT_PATH);
        if (manifest.provenance() != null && manifest.provenance().parameters() != null) {
            manifest.provenance().parameters().forEach((k, v) -> {
                String recorded = params.get(k);
                if (recorded != null && !sameValue(recorded, v)) {
                    differences.add(new Difference("parameter", k, "run " + recorded, "package " + v));
                }
            });
        }
        byte[] recordedBytes = manifest.model() instanceof ModelBody.XGBoost x
                ? read(artifacts, ModelPackager.ARTIFACT_PATH + "/" + x.file())
                : canonical(manifest.model());

        String timeColumn = params.get(TrainingRun.TIME_COLUMN);
        List<String> drop = params.getOrDefault(TrainingRun.DROP, "").isBlank() ? List.of()
                : Arrays.asList(params.get(TrainingRun.DROP).split(","));
        PreparedData prepared = PreparedData.load(data, params.get(TrainingRun.LABEL), drop, params.get(TrainingRun.TASK),
                params.get(TrainingRun.POSITIVE_CLASS), timeColumn);
        SplitSpec splitSpec = new SplitSpec(params.getOrDefault(TrainingRun.SPLIT, "auto"),
                Double.parseDouble(params.getOrDefault(TrainingRun.VALIDATION_FRACTION, "0.2")), timeColumn);
        Split split = prepared.split(splitSpec, ((Number) resolved.get("seed")).longValue());
        FittedModel model = ModelFitter.fit(algorithm, resolved,
                prepared.features().select(split.train()), prepared.labels().select(split.train()),
                prepared.features().select(split.validation()), prepared.labels().select(split.validation()), null);
        byte[] newBytes = ModelPackager.modelBytes(model);
        if (schema != null) {
            List<Field> inputs = schema.apply(model.inputs(), prepared.features().select(split.train()));
            if (manifest.signature() != null && !Objects.equals(canonicalTree(manifest.signature().inputs()), canonicalTree(inputs))) {
                differences.add(new Difference("signature", "inputs", "as in model.yaml", "as the schema says now"));
            }
        }

        if (!Objects.equals(canonicalTree(manifest.preprocessing()), canonicalTree(model.preprocessing()))) {
            differences.add(new Difference("preprocessing", "steps", "as in model.yaml", "different fitted values"));
        }
        boolean modelIdentical = Arrays.equals(recordedBytes, newBytes);
        String recordedSha = Fingerprint.sha256(recordedBytes);
        String newSha = Fingerprint.sha256(newBytes);
        if (!modelIdentical) differences.add(new Difference("model", model.modelFile() == null ? "model block" : model.modelFile(),
                "sha256 " + recordedSha, "sha256 " + newSha));
        return new ReproductionReport(runId, modelIdentical, recordedSha, newSha, List.copyOf(differences));
    }

    private static boolean isAlgorithmParameterName(String name) {
        return !name.contains(".") && !List.of(TrainingRun.ALGORITHM, TrainingRun.LABEL, TrainingRun.TASK, TrainingRun.POSITIVE_CLASS,
                TrainingRun.DROP, TrainingRun.SPLIT, TrainingRun.VALIDATION_FRACTION, TrainingRun.TIME_COLUMN,
                TrainingRun.SCHEMA).contains(name);
    }

    /** The reviewed schema the run's signature followed (null: none), noting when its digest changed since. */
    private static ReviewedSchema recordedSchema(Map<String, String> params, List<Difference> differences) {
        String recorded = params.get(TrainingRun.SCHEMA);
        if (recorded == null || recorded.isBlank()) return null;
        ReviewedSchema schema = ReviewedSchema.read(Path.of(recorded));
        String recordedSha = params.get(TrainingRun.SCHEMA_SHA256);
        if (recordedSha != null && !recordedSha.equals(schema.sha256())) {
            differences.add(new Difference("schema", recorded, "sha256 " + recordedSha, "sha256 " + schema.sha256()));
        }
        return schema;
    }

    private static boolean sameValue(String recorded, Object packaged) {
        if (recorded.equals(String.valueOf(packaged))) return true;
        try {
            return Double.parseDouble(recorded) == Double.parseDouble(String.valueOf(packaged));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Path recordedPath(DatasetInput input) {
        try {
            JsonNode source = JSON.readTree(input.dataset().source());
            String uri = source.path("uri").asText(null);
            if (uri == null) throw CairnException.invalid("dataset.source", input.dataset().source(), "a JSON object with a 'uri'");
            return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
        } catch (IOException e) {
            throw CairnException.invalid("dataset.source", input.dataset().source(), "a JSON object with a 'uri'");
        }
    }

    private static byte[] read(ArtifactRepository artifacts, String path) {
        try (InputStream in = artifacts.open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw CairnException.invalid("artifact", path, "a readable artifact (" + e.getMessage() + ")");
        }
    }

    private static byte[] canonical(Object value) {
        try {
            return CANONICAL.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode canonicalTree(Object value) {
        return CANONICAL.valueToTree(value);
    }
}
