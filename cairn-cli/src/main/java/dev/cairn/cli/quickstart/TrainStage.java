package dev.cairn.cli.quickstart;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.train.TuneResult;
import dev.cairn.train.TuneSpec;
import dev.cairn.train.evaluation.Holdout;
import dev.cairn.train.Training;
import dev.cairn.train.tune.ProgressBar;
import dev.cairn.train.tune.SearchSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Holds out 30% of the customers for evaluation, tunes an XGBoost model on the rest over the
 * example's search space (every trial a child run), retrains the best, and registers it as a new
 * version of {@code credit-risk} through the REST API: the candidate.
 */
final class TrainStage implements Stage {

    @Override
    public String title() {
        return "Train: tune XGBoost (each trial a child run), retrain the best, register it as the candidate";
    }

    @Override
    public void run(Example example) {
        Path space = example.folder.resolve("space.yaml");
        SearchSpace searchSpace = SearchSpace.read(space);
        // 30% of the customers are held out for the evaluation against the champion; the same
        // seed gives the same split on every run, so verdicts compare like with like.
        Holdout.Parts parts = Holdout.split(example.data, Example.LABEL, 0.3, 42, example.home.resolve("work").resolve("split"));
        example.heldOut = parts.test();
        example.say("split: " + parts.trainRows() + " rows to train on, " + parts.testRows() + " held out for evaluation");
        TuneResult tuned = Training.tune(
                TuneSpec.of(parts.train(), Example.LABEL, searchSpace)
                        .withDrop(List.of(Example.ID_COLUMN))
                        .withTask("binary", Example.POSITIVE_CLASS)
                        .withExperiment(Example.EXPERIMENT)
                        // The reviewed schema becomes the model's signature: serving refuses what it refuses.
                        .withSchema(example.folder.resolve("schema.yaml")),
                example.tracking(), ProgressBar.toStderr(searchSpace.metric().name()));
        example.say(String.format(Locale.ROOT, "%d trials; best %s %.4f (cross-validated) with %s",
                tuned.trials().size(), tuned.metricKey(), tuned.best().score(), tuned.finalParams()));
        example.say("validation (positive class '" + Example.POSITIVE_CLASS + "'): " + format(tuned.model().metrics()));
        example.say("model run " + tuned.parentRunId() + ": " + tuned.model().modelUri());

        ensureRegisteredModel(example);
        ModelVersion version = example.client.createModelVersion(Example.MODEL, tuned.model().modelUri(), tuned.parentRunId(),
                "XGBoost tuned by cairn quickstart");
        example.modelVersion = version.version();
        example.say("registered " + Example.MODEL + " version " + version.version() + " (models:/" + Example.MODEL + "/" + version.version() + ")");
    }

    private static void ensureRegisteredModel(Example example) {
        try {
            example.client.getRegisteredModel(Example.MODEL);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) throw e;
            example.client.createRegisteredModel(Example.MODEL, "Good or bad credit customer (German credit data)");
        }
    }

    private static String format(java.util.Map<String, Double> metrics) {
        StringBuilder s = new StringBuilder();
        for (String key : List.of("roc_auc", "precision", "recall", "accuracy", "log_loss")) {
            Double v = metrics.get(key);
            if (v != null) s.append(s.isEmpty() ? "" : ", ").append(key).append(' ').append(String.format(Locale.ROOT, "%.3f", v));
        }
        return s.toString();
    }
}
