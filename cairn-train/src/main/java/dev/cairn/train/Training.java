package dev.cairn.train;

import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.Registrations;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Tag;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.features.ReviewedSchema;
import dev.cairn.train.reproduce.Reproducer;
import dev.cairn.train.reproduce.ReproductionReport;
import dev.cairn.train.run.Libraries;
import dev.cairn.train.run.PreparedData;
import dev.cairn.train.run.TrainingRun;
import dev.cairn.train.tracking.RunRecorder;
import dev.cairn.train.tracking.Tracking;
import dev.cairn.train.tune.ProgressBar;
import dev.cairn.train.tune.Tuner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java entry point to training:
 * <pre>
 * try (MetadataStore store = Stores.openMetadata(CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot())) {
 *     Tracking tracking = Tracking.of(store);
 *     TuneResult tuned = Training.tune(TuneSpec.of(data, "class", SearchSpace.read(space))
 *             .withDrop(List.of("customer_id")).withExperiment("credit-risk"), tracking, ProgressBar.toStderr("roc_auc"));
 *     ModelVersion v = Training.register(tracking, tuned.parentRunId(), "credit-risk", "champion");
 * }
 * </pre>
 */
public final class Training {
    private Training() {}

    /**
     * Trains one model as a tracked run; the package is the run's {@code model/} artifact.
     * Everything a user can get wrong (algorithm, parameter names and values, the data file, the
     * label, the task, the schema, the split) is checked before the experiment or the run is
     * created, so a refused training leaves no record behind; a run that fails once started ends FAILED.
     */
    public static TrainResult train(TrainSpec spec, Tracking tracking) {
        Algorithm algorithm = Algorithm.parse(spec.algorithm());
        Map<String, Object> params = algorithm.resolve(spec.params());
        PreparedData data = TrainingRun.load(spec);
        algorithm.checkTask(data.labels().task(), spec.label());
        ReviewedSchema schema = ReviewedSchema.read(spec.schema());
        if (schema != null) schema.check(data.features());
        data.split(spec.split(), ((Number) params.get("seed")).longValue());

        String experimentId = tracking.experimentId(spec.experiment());
        Map<String, String> tags = new LinkedHashMap<>(spec.tags());
        tags.put("cairn.algorithm", spec.algorithm());
        Libraries.versions().forEach((k, v) -> tags.put(Libraries.TAG_PREFIX + k, v));
        RunRecorder recorder = RunRecorder.start(tracking, experimentId, spec.runName(), null, "cairn train", tags);
        try {
            recorder.logParams(params);
            TrainResult result = TrainingRun.fitAndRecord(recorder, experimentId, spec, algorithm, params, data);
            recorder.finish();
            return result;
        } catch (RuntimeException | Error e) {
            recorder.fail(e);
            throw e;
        }
    }

    /** Tunes over the spec's search space; trials are child runs, the tuned model is packaged in the parent run. */
    public static TuneResult tune(TuneSpec spec, Tracking tracking, ProgressBar progress) {
        return Tuner.tune(spec, tracking, progress);
    }

    /** Retrains a recorded run and says whether the model file came out byte-identical, or what differs. */
    public static ReproductionReport reproduce(String runId, Tracking tracking) {
        return new Reproducer(tracking).reproduce(runId);
    }

    public static ReproductionReport reproduce(String runId, Path dataOverride, Tracking tracking) {
        return new Reproducer(tracking).reproduce(runId, dataOverride);
    }

    /**
     * Registers the run's {@code model/} package as the next version of {@code modelName} (creating
     * the registered model if needed) and points {@code alias} (e.g. {@code champion}) at it.
     */
    public static ModelVersion register(Tracking tracking, String runId, String modelName, String alias) {
        RegistryStore registry = tracking.registry();
        String actor = tracking.user();
        tracking.runs().getRun(runId); // refuses an unknown run before anything is written
        return Registrations.registerVersion(registry, modelName, "runs:/" + runId + "/model", runId, null,
                List.of(new Tag("cairn.source", "training")), alias, actor, "registered from run " + runId);
    }
}
