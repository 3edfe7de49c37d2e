package dev.cairn.train.run;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.data.DataValidation;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.train.data.Labels;
import dev.cairn.train.data.Task;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
