package dev.cairn.train.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.Labels;
import dev.cairn.train.features.ReviewedSchema;
import dev.cairn.train.fit.FittedModel;
import dev.cairn.train.fit.ModelFitter;
import dev.cairn.train.metrics.Evaluation;
import dev.cairn.train.split.Split;
import dev.cairn.train.tracking.RunRecorder;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One tracked training: every parameter (defaults expanded), the dataset with its SHA-256, each
 * round's train/validation loss, the final metrics on the validation rows, and the model package
 * at {@code model/}. Any failure ends the run FAILED with {@code cairn.failure.reason}.
 */
public final class TrainingRun {
    /** Names of the training settings recorded beside the algorithm's own parameters. */
    public static final String ALGORITHM = "algorithm", LABEL = "label", TASK = "task", POSITIVE_CLASS = "positive_class",
            DROP = "drop_columns", SPLIT = "split", VALIDATION_FRACTION = "validation_fraction", TIME_COLUMN = "time_column",
            SCHEMA = "schema", SCHEMA_SHA256 = "schema.sha256";
    /** The dataset input tag holding the data file's whole SHA-256. */
    public static final String DATA_SHA256_TAG = "cairn.data.sha256";
    public static final int DIGEST_LENGTH = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingRun() {}

    public static PreparedData load(TrainSpec spec) {
        return PreparedData.load(spec.data(), spec.label(), spec.drop(), spec.task(), spec.positiveClass(), spec.split().timeColumn());
    }

    static Map<String, String> runTags(TrainSpec spec) {
        Map<String, String> tags = new LinkedHashMap<>(spec.tags());
        tags.put("cairn.algorithm", spec.algorithm());
        Libraries.versions().forEach((k, v) -> tags.put(Libraries.TAG_PREFIX + k, v));
        return tags;
    }

    /** The settings (not the algorithm's parameters) a reproduction needs, as recorded. */
    public static Map<String, String> settings(TrainSpec spec, Algorithm algorithm, PreparedData data, ReviewedSchema schema) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(ALGORITHM, algorithm.wireName());
        s.put(LABEL, spec.label());
        s.put(TASK, data.labels().task().wireName());
        if (data.labels().classes().size() == 2) s.put(POSITIVE_CLASS, data.labels().classes().get(1));
        s.put(DROP, String.join(",", spec.drop()));
        s.put(SPLIT, data.resolveStrategy(spec.split()));
        s.put(VALIDATION_FRACTION, Double.toString(spec.split().fraction()));
        if (spec.split().timeColumn() != null) s.put(TIME_COLUMN, spec.split().timeColumn());
        if (schema != null) {
            s.put(SCHEMA, schema.path().toString());
            s.put(SCHEMA_SHA256, schema.sha256());
        }
        if (spec.inputPolicy() != null) {
            s.put("input_policy.unseen_category", spec.inputPolicy().unseenCategory().name().toLowerCase(java.util.Locale.ROOT));
            s.put("input_policy.out_of_range", spec.inputPolicy().outOfRange().name().toLowerCase(java.util.Locale.ROOT));
        }
        return s;
    }

    /**
     * Splits, fits, logs and packages into an open run (which the caller ends). {@code params} are
     * already logged by the caller; the settings and the dataset are logged here.
     */
    public static TrainResult fitAndRecord(RunRecorder recorder, String experimentId, TrainSpec spec, Algorithm algorithm,
                                           Map<String, Object> params, PreparedData data) {
        algorithm.checkTask(data.labels().task(), spec.label());
        ReviewedSchema schema = ReviewedSchema.read(spec.schema());
        if (schema != null) schema.check(data.features());
        Map<String, String> settings = settings(spec, algorithm, data, schema);
        recorder.logParams(settings);
        recorder.setTags(Map.of("cairn.task", data.labels().task().wireName()));
        recorder.logInput(datasetInput(data));
        for (var input : spec.inputs()) recorder.logInput(input);

        long seed = ((Number) params.get("seed")).longValue();
        Split split = data.split(spec.split(), seed);
        Frame trainRows = data.features().select(split.train());
        Labels trainLabels = data.labels().select(split.train());
        Frame validationRows = data.features().select(split.validation());
        Labels validationLabels = data.labels().select(split.validation());

        FittedModel model = ModelFitter.fit(algorithm, params, trainRows, trainLabels, validationRows, validationLabels,
                round -> round.values().forEach((k, v) -> recorder.metric(k, v, round.round())));

        Map<String, Double> metrics = new LinkedHashMap<>();
        double[][] validationScores = model.predict(validationRows);
        if (validationRows.rowCount() > 0) metrics.putAll(Evaluation.evaluate(validationLabels, validationScores));
        Evaluation.evaluate(trainLabels, model.predict(trainRows)).forEach((k, v) -> metrics.put("training_" + k, v));
        metrics.put("num_rounds", (double) model.rounds());
        metrics.forEach((k, v) -> recorder.metric(k, v, 0));
        recorder.flush();

        Map<String, Object> allParams = new TreeMap<>(params);
        allParams.putAll(settings);
        Map<String, Long> rowCounts = new LinkedHashMap<>();
        rowCounts.put("train", (long) split.train().length);
        rowCounts.put("validation", (long) split.validation().length);
        // The reviewed schema replaces the signature only now: the rows above were scored with the
        // trainer's own (open) signature, which the training data always satisfies.
        if (schema != null) model = model.withInputs(schema.apply(model.inputs(), trainRows), ReviewedSchema.POLICY);
        if (spec.inputPolicy() != null) model = model.withInputs(model.inputs(), spec.inputPolicy());
        var manifest = ModelPackager.manifest(model, recorder.runId(), data, rowCounts, allParams, example(trainRows),
                schema == null ? null : schema.version());
        ModelPackager.upload(manifest, model, recorder.artifacts());
        Map<String, String> referenceTags = ReferenceData.record(recorder.artifacts(), data.path(), model.signature().inputNames(),
                validationLabels, validationScores);
        String sha = ModelPackager.modelSha256(model);
        Map<String, String> tags = new LinkedHashMap<>(referenceTags);
        tags.put("cairn.model.sha256", sha);
        recorder.setTags(tags);
        return new TrainResult(recorder.runId(), experimentId, metrics,
                "runs:/" + recorder.runId() + "/" + ModelPackager.ARTIFACT_PATH, sha, model);
    }

    public static DatasetInput datasetInput(PreparedData data) {
        try {
            Map<String, Object> source = Map.of("uri", data.path().toAbsolutePath().toUri().toString(), "sha256", data.sha256());
            List<Map<String, String>> columns = new ArrayList<>();
            for (Column c : data.features().columns()) columns.add(Map.of("name", c.name(), "type", c.type().name().toLowerCase()));
            columns.add(Map.of("name", data.labels().column(), "type", "label"));
            Map<String, Object> profile = Map.of("num_rows", data.labels().targets().length);
            // MLflow caps a dataset digest at 36 characters: the digest is the SHA-256's first 32 hex
            // digits, and the whole SHA-256 is in the source and in the input's tag.
            Dataset dataset = new Dataset(data.path().getFileName().toString(), data.sha256().substring(0, DIGEST_LENGTH), "local",
                    JSON.writeValueAsString(source), JSON.writeValueAsString(Map.of("columns", columns)),
                    JSON.writeValueAsString(profile));
            return new DatasetInput(dataset, List.of(new Tag(SystemTags.DATASET_CONTEXT, "training"),
                    new Tag(DATA_SHA256_TAG, data.sha256())));
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not describe the dataset", e);
        }
    }

    /** The first training row without its missing values: shows callers what the model takes. */
    private static Map<String, Object> example(Frame rows) {
        if (rows.rowCount() == 0) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        rows.row(0).forEach((k, v) -> {
            if (v != null) out.put(k, v);
        });
        return out;
    }
}
