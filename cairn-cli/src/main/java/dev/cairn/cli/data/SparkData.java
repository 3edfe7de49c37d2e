package dev.cairn.cli.data;

import dev.cairn.data.ProfiledValidation;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.spark.SparkEngine;
import dev.cairn.spark.SparkScorer;
import java.nio.file.Path;

/**
 * The CLI's only door to cairn-spark: the commands call it after {@link EngineOptions#spark()} has
 * found Spark on the class path, so no other CLI class loads a Spark class.
 */
public final class SparkData {
    private SparkData() {}

    static DatasetProfile profile(EngineOptions engine, String location) {
        try (SparkEngine spark = SparkEngine.start(engine.sparkMaster())) {
            return spark.profile(location);
        }
    }

    static ValidationResult validate(EngineOptions engine, String location, DataSpec spec, String environment, MetricsHistory history) {
        try (SparkEngine spark = SparkEngine.start(engine.sparkMaster())) {
            return spark.validate(location, spec, environment, history);
        }
    }

    static ProfiledValidation profileAndValidate(EngineOptions engine, String location, DataSpec spec, String environment,
                                                 MetricsHistory history) {
        try (SparkEngine spark = SparkEngine.start(engine.sparkMaster())) {
            return spark.profileAndValidate(location, spec, environment, history);
        }
    }

    /** Scores on Spark; returns the rows written. */
    public static long score(EngineOptions engine, String input, Path modelPackage, String idColumn, int batchRows, String output) {
        try (SparkEngine spark = SparkEngine.start(engine.sparkMaster())) {
            return spark.score(input, new SparkScorer.Options(modelPackage, idColumn, batchRows, null, output)).rows();
        }
    }
}
