package dev.cairn.train.run;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.data.DataValidation;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
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
import java.util.List;
import java.util.Locale;

/**
 * What monitoring compares a model's live traffic with, stored beside the model in its training
 * run: the training data's mergeable profile ({@value #PROFILE}, cairn-data's {@code cairn.profile/v1}
 * JSON, the same form a window of live inputs is profiled into), and the model's predictions on the
 * validation rows with their true labels ({@value #PREDICTIONS}: {@code label,score} where the score is
 * the positive class's probability, the predicted class's for multiclass, or the value for
 * regression), which confidence-based performance estimation calibrates against, as NannyML's
 * reference period does.
 */
public final class ReferenceData {
    public static final String PROFILE = "reference/training_profile.json";
    public static final String PREDICTIONS = "reference/validation_predictions.csv";
    public static final String TAG = "cairn.reference";

    private ReferenceData() {}

    /** Profiles the training file and writes both artifacts into the run. */
    static void record(ArtifactRepository runArtifacts, Path data, Labels validationLabels, double[][] validationScores) {
        DatasetProfile profile = new DataValidation().profile(DataValidation.file(data));
        put(runArtifacts, PROFILE, ProfileJson.write(profile));
        put(runArtifacts, PREDICTIONS, predictions(validationLabels, validationScores));
    }

    /**
     * Gives a model that has no reference (one trained before references were stored, or imported)
     * one, in the run that holds its package: {@code data}'s profile and, when {@code label} names
     * its label column, the model's scores on those rows with their labels. Refuses to overwrite a
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
        DatasetProfile profile = new DataValidation().profile(DataValidation.file(data));
        put(artifacts, PROFILE, ProfileJson.write(profile));
        if (predictions != null) put(artifacts, PREDICTIONS, predictions);
        tracking.runs().logBatch(runId, List.of(), List.of(), List.of(new Tag(TAG, "reference/")));
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
