package dev.cairn.server.training;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.Registrations;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Tag;
import dev.cairn.train.SplitSpec;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.TuneResult;
import dev.cairn.train.TuneSpec;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.tracking.Tracking;
import dev.cairn.train.tune.ProgressBar;
import dev.cairn.train.tune.SearchSpace;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training endpoints' service, backed by {@link Training}. What can be checked without the
 * data (the file, the algorithm and its parameters, the search space) is checked before a run is
 * created, so such mistakes leave no run behind; anything found later (a missing label column) ends
 * the run FAILED, as the trainer does for every failure.
 */
public final class TrainTrainingService implements TrainingService {
    private final Tracking tracking;
    private final DataAccess access;

    /** {@code access}: the files requests may name (data, schema, search space). */
    public TrainTrainingService(Tracking tracking, DataAccess access) {
        this.tracking = tracking;
        this.access = access;
    }

    /** The {@code /api/v1/training} route group over a server's metadata store; run artifacts are opened from their URIs. */
    public static TrainingApi routes(MetadataStore store, DataAccess access) {
        return new TrainingApi(new TrainTrainingService(Tracking.of(store), access));
    }

    @Override
    public TrainingRunResult train(TrainingRunRequest r, String actor) {
        Path data = dataFile(r.data());
        Map<String, String> params = new LinkedHashMap<>();
        if (r.params() != null) {
            r.params().forEach((k, v) -> {
                if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) {
                    throw CairnException.invalid("params." + k, v, "a number, a string or a boolean");
                }
                params.put(k, String.valueOf(v));
            });
        }
        TrainSpec spec = new TrainSpec(data, r.label(), r.drop(), r.algorithm(), params, r.task(), r.positiveClass(),
                split(r.split()), r.experiment(), r.runName(), Map.of(), schemaFile(r.schema()), r.inputPolicy());
        // Refuse an unknown algorithm or parameter before the trainer creates a run for it.
        Algorithm algorithm = Algorithm.parse(spec.algorithm());
        try {
            algorithm.resolve(spec.params());
        } catch (CairnException e) {
            if (e.code() != ErrorCode.INVALID_PARAMETER_VALUE) throw e;
            // The algorithm names an unknown key as field 'param' and a bad value by the parameter's
            // name; in the request both are under params.
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            Object field = details.get("field");
            details.put("field", "param".equals(field) ? "params." + details.get("value") : "params." + field);
            throw new CairnException(e.code(), e.getMessage(), details, e);
        }
        TrainResult result = Training.train(spec, tracking.as(actor));
        return new TrainingRunResult(result.runId(), result.experimentId(), result.modelUri(), result.modelSha256(), result.metrics());
    }

    @Override
    public TuningResult tune(TuningRequest r, String actor) {
        Path data = dataFile(r.data());
        SearchSpace space = r.spacePath() != null && !r.spacePath().isBlank()
                ? SearchSpace.read(existing("space_path", r.spacePath(), "a YAML search space file on the server"))
                : SearchSpace.parse(r.space(), "space");
        TuneSpec spec = new TuneSpec(data, r.label(), r.drop(), r.task(), r.positiveClass(), split(r.split()), space,
                r.parallelism(), r.experiment(), r.runName(), Map.of(), schemaFile(r.schema()), r.inputPolicy());
        TuneResult result = Training.tune(spec, tracking.as(actor), ProgressBar.silent());
        ModelVersion version = r.register() == null ? null : register(result.parentRunId(), r.register(), actor);
        TuningBest best = new TuningBest(result.best().runId(), result.best().params(), result.best().score());
        return new TuningResult(result.parentRunId(), result.model().experimentId(), result.metricKey(), best, result.trials().size(),
                result.finalParams(), result.model().modelUri(), result.model().metrics(),
                version == null ? null : version.name(), version == null ? null : version.version());
    }

    /**
     * Registers the parent run's {@code model/} as the next version, as {@link Training#register} does,
     * but recorded (and audited) as the requesting actor rather than the server's OS user.
     */
    private ModelVersion register(String runId, TuningRegistration registration, String actor) {
        return Registrations.registerVersion(tracking.registry(), registration.name(), "runs:/" + runId + "/model", runId, null,
                List.of(new Tag("cairn.source", "training")), registration.alias(), actor, "registered from tuning run " + runId);
    }

    private static SplitSpec split(TrainingSplit split) {
        if (split == null) return null;
        if (split.strategy() != null && !SplitSpec.STRATEGIES.contains(split.strategy().trim().toLowerCase(java.util.Locale.ROOT))) {
            throw CairnException.invalid("split.strategy", split.strategy(), "one of " + String.join(", ", SplitSpec.STRATEGIES));
        }
        if (split.fraction() != null && !(split.fraction() > 0 && split.fraction() < 1)) {
            throw CairnException.invalid("split.fraction", split.fraction(), "a number strictly between 0 and 1");
        }
        return new SplitSpec(split.strategy(), split.fraction() == null ? SplitSpec.defaults().fraction() : split.fraction(), split.timeColumn());
    }

    private Path dataFile(String data) {
        // The format (.csv, .parquet, .jsonl…) is the data loader's to check, as for `cairn train`.
        return existing("data", data, "an existing .csv, .parquet or .jsonl file on the server");
    }

    private Path schemaFile(String schema) {
        if (schema == null || schema.isBlank()) return null;
        return existing("schema", schema, "an existing reviewed data schema (YAML) file on the server");
    }

    /** An existing file under the server's data roots (relative paths resolve in the first). */
    private Path existing(String field, String value, String expected) {
        return access.existingFile(field, value, expected + " under the server's data roots");
    }
}
