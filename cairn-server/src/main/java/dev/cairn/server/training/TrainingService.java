package dev.cairn.server.training;

import dev.cairn.runtime.pkg.InputPolicy;
import java.util.List;
import java.util.Map;

/**
 * What the training endpoints call to train and to tune; {@link TrainTrainingService} is the
 * implementation over {@code dev.cairn.train.Training}, kept behind this interface (as the
 * evaluation endpoints are) so the HTTP shapes do not depend on how models are trained.
 */
public interface TrainingService {

    /** How rows are split off for validation (training) or as the held-out test (tuning); nulls take the defaults. */
    record TrainingSplit(String strategy, Double fraction, String timeColumn) {}

    /**
     * The body of {@code POST /api/v1/training/runs}, the options of {@code cairn train}; {@code data}
     * is a .csv, .parquet or .jsonl file on the server's disk, {@code params} values are numbers or strings;
     * {@code schema} (optional) is a reviewed data schema YAML file on the server that the model's signature follows.
     */
    record TrainingRunRequest(String data, String label, String algorithm, Map<String, Object> params, List<String> drop,
                              String task, String positiveClass, TrainingSplit split, String experiment, String runName,
                              String schema, InputPolicy inputPolicy) {}

    /** Where to register the tuned model, and which alias (optional) to point at the new version. */
    record TuningRegistration(String name, String alias) {}

    /**
     * The body of {@code POST /api/v1/training/tunings}, the options of {@code cairn tune}: the search
     * space is either inline YAML ({@code space}) or a YAML file on the server ({@code space_path});
     * {@code schema} (optional) as for training.
     */
    record TuningRequest(String data, String label, String space, String spacePath, List<String> drop, String task,
                         String positiveClass, TrainingSplit split, Integer parallelism, String experiment, String runName,
                         TuningRegistration register, String schema, InputPolicy inputPolicy) {}

    /** A finished training run: its model is at {@code model_uri} ({@code runs:/<run-id>/model}). */
    record TrainingRunResult(String runId, String experimentId, String modelUri, String modelSha256, Map<String, Double> metrics) {}

    /** The best trial of a tuning: its child run, the searched values it had and its cross-validated score. */
    record TuningBest(String runId, Map<String, Object> params, double score) {}

    /**
     * A finished tuning: the parent run holds the tuned model, trained with {@code params}; {@code metrics}
     * are its scores on the held-out rows; {@code registered_version} is set when registration was asked for.
     */
    record TuningResult(String parentRunId, String experimentId, String metric, TuningBest best, int trials,
                        Map<String, Object> params, String modelUri, Map<String, Double> metrics,
                        String registeredName, Long registeredVersion) {}

    /** Trains one model as a tracked run, as {@code cairn train} does, recorded as {@code actor}. */
    TrainingRunResult train(TrainingRunRequest request, String actor);

    /** Tunes over the request's search space, as {@code cairn tune} does, recorded (and registered, if asked) as {@code actor}. */
    TuningResult tune(TuningRequest request, String actor);
}
