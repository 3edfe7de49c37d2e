package dev.cairn.train.run;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.data.DataValidation;
import dev.cairn.data.drift.ReconstructionDrift;
import dev.cairn.data.drift.ReconstructionModel;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.profile.Profiler;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.FrameReader;
import dev.cairn.train.data.Labels;
import dev.cairn.train.data.Task;
import dev.cairn.train.evaluation.ModelSource;
import dev.cairn.train.features.FrameRows;
import dev.cairn.train.tracking.Tracking;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What monitoring compares a model's live traffic with, stored beside the model in its training
 * run: the training data's mergeable profile ({@value #PROFILE}, cairn-data's {@code cairn.profile/v1}
 * JSON, the same form a window of live inputs is profiled into), and the model's predictions on the
 * validation rows with their true labels ({@value #PREDICTIONS}: {@code label,score} where the score is
 * the positive class's probability, the predicted class's for multiclass, or the value for
 * regression), which confidence-based performance estimation calibrates against, as NannyML's
 * reference period does, and the multivariate drift reference ({@value #MULTIVARIATE}, cairn-data's
 * {@code cairn.multivariate/v1}: PCA reconstruction error fitted on the model's input features in
 * the training data). The multivariate reference is optional: when the inputs cannot give one (a
 * single feature, every feature constant, uncorrelated features that the components reconstruct
 * exactly) nothing is stored, the run's {@value #MULTIVARIATE_TAG} tag says why, and monitoring only
 * lacks that metric.
 */
public final class ReferenceData {
    public static final String PROFILE = "reference/training_profile.json";
    public static final String PREDICTIONS = "reference/validation_predictions.csv";
    public static final String MULTIVARIATE = "reference/multivariate.json";
    public static final String TAG = "cairn.reference";
    /** {@value #MULTIVARIATE} when the multivariate reference is stored, else {@code none: } and the reason. */
    public static final String MULTIVARIATE_TAG = "cairn.reference.multivariate";
    private static final System.Logger LOG = System.getLogger(ReferenceData.class.getName());

    private ReferenceData() {}

    /**
     * Profiles the training file, fits the multivariate reference on the model's inputs
     * ({@code features}, the signature's input names) and writes the artifacts into the run.
     * Returns the tags that describe the reference.
     */
    static Map<String, String> record(ArtifactRepository runArtifacts, Path data, List<String> features, Labels validationLabels,
                                      double[][] validationScores) {
        Reference reference = read(data, features);
        put(runArtifacts, PROFILE, ProfileJson.write(reference.profile()));
        put(runArtifacts, PREDICTIONS, predictions(validationLabels, validationScores));
        if (reference.multivariate() != null) put(runArtifacts, MULTIVARIATE, reference.multivariate().toJson());
        return reference.tags();
    }

    /** The training data's profile and, when its inputs give one, its multivariate reference ({@code why} says why not). */
    record Reference(DatasetProfile profile, ReconstructionModel multivariate, String why) {
        Map<String, String> tags() {
            String value = multivariate != null ? MULTIVARIATE : "none: " + why;
            return Map.of(TAG, "reference/", MULTIVARIATE_TAG, value.length() > 500 ? value.substring(0, 499) + "…" : value);
        }
    }

    /** Reads the data once for the profile and the multivariate reference. */
    static Reference read(Path data, List<String> features) {
        try (LoadedTable table = DataReader.open(DataValidation.file(data))) {
            DatasetProfile profile = Profiler.profile(table);
            List<String> usable = new ArrayList<>();
            for (String name : features) {
                // An input the file lacks (an optional one) or a timestamp cannot be encoded; the others still can.
                ColumnKind kind = table.column(name).map(Column::kind).orElse(null);
                if (kind != null && kind != ColumnKind.TEMPORAL) usable.add(name);
            }
            try {
                return new Reference(profile, ReconstructionDrift.fit(table, usable, ReconstructionDrift.DEFAULT_CHUNKS), null);
            } catch (CairnException e) {
                LOG.log(System.Logger.Level.DEBUG, "No multivariate drift reference for " + data + ": " + e.getMessage());
                return new Reference(profile, null, e.getMessage());
            } catch (RuntimeException e) {
                // The multivariate reference is optional: a failure of its fit must not fail the training that asked for it.
                LOG.log(System.Logger.Level.WARNING, "No multivariate drift reference for " + data + ": the fit failed", e);
                return new Reference(profile, null, "the fit failed: " + e);
            }
        }
    }

    /**
     * Gives a model that has no reference (one trained before references were stored, or imported)
     * one, in the run that holds its package: {@code data}'s profile, its multivariate reference on
     * the package's signature inputs and, when {@code label} names its label column, the model's
     * scores on those rows with their labels. Refuses to overwrite a
     * reference unless {@code replace}. Returns the run id written to.
     */
    public static String recordFor(ModelSource model, Tracking tracking, Path data, String label, boolean replace) {
        String runId = model.version() != null ? model.version().runId()
                : ModelReference.parse(model.uri()) instanceof ModelReference.RunArtifact run ? run.runId() : null;
        if (runId == null || runId.isBlank()) {
            throw CairnException.invalid("model", model.uri(), "a registered version or runs:/ URI whose run can hold the reference");
        }
        Run run = tracking.runs().getRun(runId);
        ArtifactRepository artifacts = tracking.runArtifacts().apply(run.info());
        if (!replace && artifacts.exists(PROFILE)) {
            throw CairnException.invalid("replace", false, "--replace to overwrite the reference run " + runId + " already has");
        }
        // Everything is read and scored before anything is written.
        String predictions = null;
        if (label != null) {
            Frame frame = FrameReader.read(data);
            OutputSpec output = model.pkg().manifest().signature().output();
            Task task = switch (output.kind()) {
                case BINARY -> Task.BINARY;
                case MULTICLASS -> Task.MULTICLASS;
                case REGRESSION -> Task.REGRESSION;
            };
            Labels labels = Labels.of(frame, label, task, task == Task.BINARY ? output.classes().get(1) : null);
            predictions = predictions(labels, scores(model, frame.drop(List.of(label)), output));
        }
        Reference reference = read(data, model.pkg().manifest().signature().inputNames());
        put(artifacts, PROFILE, ProfileJson.write(reference.profile()));
        if (predictions != null) put(artifacts, PREDICTIONS, predictions);
        if (reference.multivariate() != null) {
            put(artifacts, MULTIVARIATE, reference.multivariate().toJson());
        } else if (artifacts.exists(MULTIVARIATE)) {
            artifacts.delete(MULTIVARIATE);   // the one replaced was fitted on other data
        }
        tracking.runs().logBatch(runId, List.of(), List.of(),
                reference.tags().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> new Tag(e.getKey(), e.getValue())).toList());
        return runId;
    }

    /** Scores as {@link dev.cairn.train.fit.FittedModel#predict} gives them: the positive class's probability first for binary. */
    private static double[][] scores(ModelSource model, Frame rows, OutputSpec output) {
        try (Model loaded = Models.load(model.pkg())) {
            List<Prediction> predictions = loaded.lenient().predict(new FrameRows(rows, loaded.signature().inputNames()));
            double[][] out = new double[predictions.size()][];
            for (int i = 0; i < out.length; i++) {
                Prediction p = predictions.get(i);
                out[i] = switch (output.kind()) {
                    case REGRESSION -> new double[] {p.value()};
                    case BINARY -> new double[] {p.probability(output.classes().get(1))};
                    case MULTICLASS -> output.classes().stream().mapToDouble(p::probability).toArray();
                };
            }
            return out;
        }
    }

    static String predictions(Labels labels, double[][] scores) {
        StringBuilder csv = new StringBuilder("label,score\n");
        for (int i = 0; i < scores.length; i++) {
            double target = labels.targets()[i];
            String label = labels.task() == Task.REGRESSION ? number(target) : labels.classes().get((int) target);
            double score = labels.task() == Task.MULTICLASS ? max(scores[i]) : scores[i][0];
            csv.append(quoted(label)).append(',').append(number(score)).append('\n');
        }
        return csv.toString();
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) m = Math.max(m, v);
        return m;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    private static String quoted(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void put(ArtifactRepository artifacts, String path, String content) {
        artifacts.put(path, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }
}
