package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train}: one training run (as {@code cairn train}), its package the run's {@code model/} artifact. The run is
 * tagged with the pipeline run and step and is a child of the step's run. {@code seed} is the algorithm's
 * {@code seed} parameter. With {@code feature_service} and {@code entities} it trains on the service's point-in-time
 * training set for those rows (see {@link FeatureInputs}): the set is kept as a snapshot, the run records the service
 * and views at their versions (tags and dataset inputs) and the step their lineage; the join keys and the time are
 * not features.
 */
public final class TrainStep implements StepRunner {

    @Override
    public StepType type() {
        return StepType.TRAIN;
    }

    @Override
    public StepResult run(StepContext context) {
        Map<String, String> params = new LinkedHashMap<>();
        context.map("params").forEach((k, v) -> params.put(k, String.valueOf(v)));
        Long seed = TrainingInputs.seed(context);
        if (seed != null) {
            String given = params.get("seed");
            if (given != null && !given.strip().equals(seed.toString())) {
                throw CairnException.invalid(context.field("seed"), seed, "the same seed as params.seed (" + given + "), or only one of them");
            }
            params.put("seed", seed.toString());
        }
        Path schema = TrainingInputs.schema(context);
        FeatureInputs.Built features = TrainingInputs.features(context);
        Path data = TrainingInputs.data(context, features);
        TrainSpec spec = Fields.naming(context, "data", () -> new TrainSpec(data, context.text("label"), TrainingInputs.drop(context, features),
                context.optionalText("algorithm").map(a -> a.strip().toLowerCase(Locale.ROOT)).orElse(null), params,
                TrainingInputs.task(context), TrainingInputs.positiveClass(context), TrainingInputs.split(context, "validation_fraction"),
                TrainingInputs.experiment(context), StepRuns.runName(context), TrainingInputs.tags(context, features), schema,
                TrainingInputs.inputPolicy(context, schema != null), features == null ? null : features.training().inputs()));
        context.checkCancelled();
        context.log("Training " + spec.algorithm() + " on " + (features == null ? context.text("data") : "feature service "
                + context.text("feature_service")) + " to predict " + spec.label() + " (experiment " + spec.experiment() + ")");
        TrainResult result = Fields.naming(context, "data", () -> Training.train(spec, context.tracking()));
        context.log("Run " + result.runId() + " finished; model at " + result.modelUri() + "; " + metrics(result.metrics()));

        context.produced("run", "runs:/" + result.runId(), null);
        context.produced("model", result.modelUri(), result.modelSha256());
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("model", result.modelUri());
        outputs.put("run_id", result.runId());
        outputs.put("training_set", features == null ? "" : features.snapshotUri());
        return StepResult.of(outputs);
    }

    @Override
    public List<String> cacheKeyParts(StepContext context) {
        return FeatureInputs.cacheKeyParts(context);
    }

    static String metrics(Map<String, Double> metrics) {
        StringBuilder out = new StringBuilder();
        metrics.forEach((k, v) -> out.append(out.isEmpty() ? "" : ", ").append(k).append('=').append(String.format(Locale.ROOT, "%.4f", v)));
        return out.toString();
    }
}
