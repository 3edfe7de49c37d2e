package dev.cairn.spark;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.ProfiledValidation;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.check.Validator;
import dev.cairn.data.engine.DataEngine;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.offline.TrainingSet;
import dev.cairn.features.source.SourceOpener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;

/**
 * Cairn's data work on Spark, for the CLI ({@code --engine spark}) and {@link SparkJob}: validate,
 * profile and score a source with the same specs, profiles and models as on DuckDB. One session per
 * engine; {@link #close()} stops it (unless spark-submit started it) and removes its scratch files.
 */
public final class SparkEngine implements DataEngine {
    private final SparkSession spark;
    private final Path work;

    private SparkEngine(SparkSession spark, Path work) {
        this.spark = spark;
        this.work = work;
    }

    /** A session on {@code master} ({@code local[*]}, {@code local[2]}, {@code spark://…}, {@code yarn}; null: spark-submit's or local[*]). */
    public static SparkEngine start(String master) {
        try {
            Path work = Files.createTempDirectory("cairn-spark");
            return new SparkEngine(SparkSessions.getOrCreate(master, work), work);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot create Spark's scratch directory: " + e.getMessage(), e);
        }
    }

    public SparkSession session() {
        return spark;
    }

    public SparkTable read(String location) {
        return SparkTable.read(spark, location);
    }

    @Override
    public DatasetProfile profile(String location) {
        return SparkProfiler.profile(read(location));
    }

    @Override
    public ValidationResult validate(String location, DataSpec spec, String environment, MetricsHistory history) {
        return Validator.validate(read(location), spec, environment, history);
    }

    /** Validates and profiles one reading of the source (cached between the two). */
    public ProfiledValidation profileAndValidate(String location, DataSpec spec, String environment, MetricsHistory history) {
        SparkTable table = read(location);
        SparkTable cached = new SparkTable(spark, table.data().cache(), table.describe());
        try {
            ValidationResult validation = Validator.validate(cached, spec, environment, history);
            return new ProfiledValidation(SparkProfiler.profile(cached), validation);
        } finally {
            cached.data().unpersist();
        }
    }

    public SparkScorer.Result score(String input, SparkScorer.Options options) {
        return SparkScorer.score(read(input), options);
    }

    @Override
    public long score(String input, Path modelPackage, String idColumn, int batchRows, String modelVersion, Instant scoredAt,
                      String output) {
        return score(input, new SparkScorer.Options(modelPackage, idColumn, batchRows, modelVersion, output, scoredAt)).rows();
    }

    /** A point-in-time training set of a feature service for the entity rows in a file; see {@link SparkTrainingSets}. */
    public TrainingSet trainingSet(Catalog catalog, SourceOpener sources, String service, String entities, String timestampColumn,
                                   String output) {
        return SparkTrainingSets.build(spark, catalog, sources, service, entities, timestampColumn, output);
    }

    @Override
    public void close() {
        if (System.getProperty("spark.master") == null) spark.stop();
        LoadedTable.deleteRecursively(work);
    }
}
