package dev.cairn.cli.data;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.ProfiledValidation;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.engine.DataEngine;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.offline.TrainingSet;
import dev.cairn.spark.SparkEngine;
import dev.cairn.spark.SparkScorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

    /** Profiles of several sources from one session (drift's reference and current). */
    static List<DatasetProfile> profiles(EngineOptions engine, List<String> locations) {
        try (SparkEngine spark = SparkEngine.start(engine.sparkMaster())) {
            List<DatasetProfile> profiles = new ArrayList<>();
            for (String location : locations) profiles.add(spark.profile(location));
            return profiles;
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

    /**
     * Scores on Spark with a local model package (resolved from a URI by the caller, as the DuckDB path resolves it);
     * {@code modelVersion} is written as model_version (null: "local"). Returns the rows written.
     */
    public static long score(EngineOptions engine, String input, Path modelPackage, String modelVersion, String idColumn, int batchRows,
                             String output) {
        try (SparkEngine spark = SparkEngine.start(engine.sparkMaster())) {
            return spark.score(input, new SparkScorer.Options(modelPackage, idColumn, batchRows, modelVersion, output)).rows();
        }
    }

    /** A point-in-time training set built on Spark from the feature store's definitions (see cairn-spark's SparkTrainingSets). */
    public static TrainingSet trainingSet(EngineOptions engine, FeatureStore features, String service, String entities,
                                          String timestampColumn, String output) {
        try (SparkEngine spark = SparkEngine.start(engine.sparkMaster())) {
            return spark.trainingSet(features.catalog(), features.sources(), service, entities, timestampColumn, output);
        }
    }

    // A pipeline's Spark steps share one session (Spark has one per JVM): steps running at once must not stop it under
    // each other, so the last one done stops it.
    private static final Object LOCK = new Object();
    private static SparkEngine shared;
    private static String sharedMaster;
    private static int users;

    /**
     * The engines a pipeline's {@code engine: spark} steps run on (called only once the step found Spark's jars): one
     * session per JVM, started by the first step and stopped when the last running step is done.
     */
    public static DataEngine.Factory engines() {
        return SparkData::acquire;
    }

    private static DataEngine acquire(String master) {
        synchronized (LOCK) {
            if (shared != null && !Objects.equals(master, sharedMaster)) {
                throw CairnException.invalid("spark_master", master, "the master of the Spark steps running now ("
                        + (sharedMaster == null ? "the default" : sharedMaster) + "): one Spark session per process");
            }
            if (shared == null) {
                shared = SparkEngine.start(master);
                sharedMaster = master;
            }
            users++;
            return DataEngine.shared(shared, SparkData::release);
        }
    }

    private static void release() {
        synchronized (LOCK) {
            if (--users == 0) {
                SparkEngine engine = shared;
                shared = null;
                sharedMaster = null;
                engine.close();
            }
        }
    }
}
