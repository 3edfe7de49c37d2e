package dev.cairn.data.engine;

import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import java.nio.file.Path;
import java.time.Instant;

/**
 * An engine other than the embedded DuckDB that profiles and validates a file with cairn-data's own checks and
 * profiles, and scores it with a model package as {@code cairn score} does: cairn-spark's {@code SparkEngine}. Callers that must not load Spark's classes (the pipeline's steps) take
 * a factory of these, injected by whoever has Spark (the CLI), instead of depending on cairn-spark.
 */
public interface DataEngine extends AutoCloseable {

    DatasetProfile profile(String location);

    ValidationResult validate(String location, DataSpec spec, String environment, MetricsHistory history);

    /**
     * Scores {@code input} with the model package at {@code modelPackage} into a Parquet {@code output}, whole or not
     * at all, with {@code cairn score}'s columns; {@code modelVersion} and {@code scoredAt} are written as
     * model_version and scored_at (null: "local" and now). Returns the rows written.
     */
    long score(String input, Path modelPackage, String idColumn, int batchRows, String modelVersion, Instant scoredAt, String output);

    /** Stops what the engine started (a session, scratch files); never throws. */
    @Override
    void close();

    /** A share of {@code engine} that others use too: its work, and {@code onClose} (run once) instead of its close. */
    static DataEngine shared(DataEngine engine, Runnable onClose) {
        return new SharedEngine(engine, onClose);
    }

    /** Starts an engine on a master ({@code local[2]}, {@code spark://…}; null: the engine's default). */
    @FunctionalInterface
    interface Factory {
        DataEngine start(String master);
    }
}
