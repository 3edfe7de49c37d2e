package dev.cairn.pipeline.steps;

import dev.cairn.core.hash.Sha256;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.train.Training;
import dev.cairn.train.TuneResult;
import dev.cairn.train.TuneSpec;
import dev.cairn.train.tune.ProgressBar;
import dev.cairn.train.tune.SearchSpace;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tune}: a search over a space (as {@code cairn tune}), every trial a child run of the tuning run, which is
 * itself tagged with the pipeline run and step and a child of the step's run; the best parameters are retrained and
 * packaged in the tuning run. {@code seed} replaces the space's seed. With {@code feature_service} and
 * {@code entities} it tunes on the service's point-in-time training set, as the train step does.
 */
public final class TuneStep implements StepRunner {

    @Override
    public StepType type() {
        return StepType.TUNE;
    }

    @Override
    public StepResult run(StepContext context) {
        Path spaceFile = context.file("space");
        SearchSpace read = Fields.naming(context, "space", () -> SearchSpace.read(spaceFile));
        context.consumed("file", spaceFile.toUri().toString(), Sha256.of(spaceFile, context.field("space")));
        Long seed = TrainingInputs.seed(context);
        SearchSpace space = seed == null ? read : new SearchSpace(read.algorithm(), read.strategy(), read.metric(), read.folds(),
                read.parallelism(), seed, read.trials(), read.fixed(), read.dimensions(), read.halvingMinRounds(), read.halvingFactor());
        Integer parallelism = context.integer("parallelism").map(Long::intValue).orElse(null);
        Path schema = TrainingInputs.schema(context);
        FeatureInputs.Built features = TrainingInputs.features(context);
        Path data = TrainingInputs.data(context, features);
        TuneSpec spec = Fields.naming(context, "data", () -> new TuneSpec(data, context.text("label"), TrainingInputs.drop(context, features),
                TrainingInputs.task(context), TrainingInputs.positiveClass(context), TrainingInputs.split(context, "test_fraction"),
                space, parallelism, TrainingInputs.experiment(context), StepRuns.runName(context), TrainingInputs.tags(context, features),
                schema, null, features == null ? null : features.training().inputs()));
        context.checkCancelled();
        context.log("Tuning " + space.algorithm().wireName() + " (" + space.strategy() + ", " + space.metric().key() + ", "
                + space.folds() + " folds) on " + (features == null ? context.text("data") : "feature service "
                + context.text("feature_service")) + " to predict " + spec.label());
        TuneResult result = Fields.naming(context, "data", () -> Training.tune(spec, context.tracking(), ProgressBar.silent()));
        long failed = result.trials().stream().filter(t -> t.failed()).count();
        context.log(result.trials().size() + " trials" + (failed == 0 ? "" : " (" + failed + " failed)") + "; best "
                + result.best().params() + " with CV " + result.metricKey() + " " + String.format(Locale.ROOT, "%.4f", result.best().score()));
        context.log("Tuned model in run " + result.parentRunId() + " at " + result.model().modelUri() + "; held out: "
                + TrainStep.metrics(result.model().metrics()));

        context.produced("run", "runs:/" + result.parentRunId(), null);
        context.produced("model", result.model().modelUri(), result.model().modelSha256());
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("model", result.model().modelUri());
        outputs.put("run_id", result.parentRunId());
        outputs.put("best_score", result.best().score());
        outputs.put("training_set", features == null ? "" : features.snapshotUri());
        return StepResult.of(outputs);
    }

    @Override
    public List<String> cacheKeyParts(StepContext context) {
        return FeatureInputs.cacheKeyParts(context);
    }
}
