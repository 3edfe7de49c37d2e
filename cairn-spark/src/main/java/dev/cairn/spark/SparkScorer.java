package dev.cairn.spark;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.PackageZip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Batch scoring on Spark with cairn-runtime: the model package is shipped once per executor
 * ({@code SparkContext.addFile}) and loaded once there; each partition is predicted in column
 * batches by {@link Model#predictColumns}, the same call {@code cairn score} makes, so the scores
 * are the same bits. Rows come out as {@code cairn score}'s: id, label, probability, model_version,
 * scored_at. The Parquet output is written to a hidden sibling directory and renamed into place
 * when every task has succeeded: whole or not at all.
 */
public final class SparkScorer {
    /** Models loaded on this JVM (an executor), by the shipped file's name: each loaded once. */
    private static final Map<String, Model> LOADED = new ConcurrentHashMap<>();

    private SparkScorer() {}

    public record Options(Path modelPackage, String idColumn, int batchRows, String modelVersion, String output) {
        public Options {
            if (modelPackage == null) throw CairnException.invalid("model", null, "a model package directory or zip");
            if (batchRows < 1) throw CairnException.invalid("batch_rows", batchRows, "a number of rows ≥ 1");
            if (output == null) throw CairnException.invalid("output", null, "a Parquet directory to write");
            if (modelVersion == null) modelVersion = "local";
        }
    }

    public record Result(long rows, String output, long millis) {}

    public static Result score(SparkTable table, Options options) {
        long started = System.currentTimeMillis();
        List<String> inputs;
        OutputSpec outputSpec;
        try (Model model = Models.load(options.modelPackage())) {
            inputs = model.signature().inputNames();
            outputSpec = model.signature().output();
        }
        List<String> names = Arrays.asList(table.data().schema().fieldNames());
        String idColumn = options.idColumn();
        if (idColumn != null && !names.contains(idColumn)) {
            throw CairnException.invalid("id", idColumn, "a column of the input: " + String.join(", ", names));
        }
        String shipped = ship(table, options.modelPackage());

        // Positions of the model's inputs in the input rows; absent ones are left to the model to report.
        List<String> present = inputs.stream().filter(names::contains).toList();
        int[] positions = present.stream().mapToInt(names::indexOf).toArray();
        String[] inputNames = present.toArray(String[]::new);
        int idIndex = idColumn == null ? -1 : names.indexOf(idColumn);
        int batchRows = options.batchRows();
        String version = options.modelVersion();
        String scoredAt = Instant.now().toString();
        // Plain values only: the partition function is serialized to the executors.
        boolean classifier = outputSpec.isClassifier();
        String[] classes = outputSpec.classes() == null ? new String[0] : outputSpec.classes().toArray(String[]::new);

        // Row numbers as `cairn score` gives them without --id: 1-based in the input's order. Only then, as numbering
        // costs a job of its own (counting each partition's rows first).
        JavaRDD<Tuple2<Row, Long>> rows = idColumn == null ? table.data().javaRDD().zipWithIndex().map(t -> t)
                : table.data().javaRDD().map(r -> new Tuple2<>(r, 0L));
        JavaRDD<Row> scored = rows.mapPartitions(part -> scorePartition(part, shipped, inputNames, positions, idIndex,
                classifier, classes, batchRows, version, scoredAt));
        DataType idType = idColumn == null ? DataTypes.LongType : table.data().schema().fields()[idIndex].dataType();
        StructType schema = new StructType()
                .add(idColumn == null ? "row_number" : idColumn, idType)
                .add("label", DataTypes.StringType)
                .add("probability", DataTypes.DoubleType)
                .add("model_version", DataTypes.StringType)
                .add("scored_at", DataTypes.StringType);
        long count = writeWhole(table, table.spark().createDataFrame(scored, schema), options.output());
        return new Result(count, options.output(), System.currentTimeMillis() - started);
    }

    /** Adds the package (zipped, if a directory) to the files Spark ships to every executor once; its name there. */
    private static String ship(SparkTable table, Path pkg) {
        try {
            // A fresh name per run, in a directory of our own: Spark refuses a second file of the same name with other content.
            String name = "cairn-model-" + UUID.randomUUID() + ".zip";
            Path zip = Files.createTempDirectory("cairn-model").resolve(name);
            if (Files.isDirectory(pkg)) PackageZip.zip(pkg, zip);
            else Files.copy(pkg, zip);
            // Deleted at exit in the reverse order of registration: the file, then its directory.
            zip.getParent().toFile().deleteOnExit();
            zip.toFile().deleteOnExit();
            table.spark().sparkContext().addFile(zip.toAbsolutePath().toString());
            return name;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot ship the model package " + pkg + " to Spark: " + e.getMessage(), e);
        }
    }

    private static Iterator<Row> scorePartition(Iterator<Tuple2<Row, Long>> part, String shipped, String[] inputNames, int[] positions,
                                                int idIndex, boolean classifier, String[] classes, int batchRows, String version,
                                                String scoredAt) {
        Model model = LOADED.computeIfAbsent(shipped, name -> Models.load(Path.of(SparkFiles.get(name))));
        List<Row> out = new ArrayList<>();
        Object[][] columns = new Object[inputNames.length][batchRows];
        Object[] ids = new Object[batchRows];
        int n = 0;
        while (part.hasNext()) {
            Tuple2<Row, Long> t = part.next();
            Row row = t._1();
            ids[n] = idIndex < 0 ? (Object) (t._2() + 1) : row.get(idIndex);
            for (int j = 0; j < positions.length; j++) columns[j][n] = row.get(positions[j]);
            if (++n == batchRows || !part.hasNext()) {
                Map<String, Object> batch = new HashMap<>();
                for (int j = 0; j < inputNames.length; j++) batch.put(inputNames[j], n == batchRows ? columns[j] : Arrays.copyOf(columns[j], n));
                List<Prediction> predictions = model.predictColumns(batch);
                for (int i = 0; i < n; i++) out.add(row(classifier, classes, ids[i], predictions.get(i), version, scoredAt));
                columns = new Object[inputNames.length][batchRows];
                n = 0;
            }
        }
        return out.iterator();
    }

    /** As {@code cairn score}: the label, and the probability of the positive class (binary) or of the label (multiclass). */
    private static Row row(boolean classifier, String[] classes, Object id, Prediction p, String version, String scoredAt) {
        if (!classifier) return RowFactory.create(id, null, p.value(), version, scoredAt);
        String positive = classes.length == 2 ? classes[1] : p.label();
        return RowFactory.create(id, p.label(), p.probabilities() == null ? null : p.probabilities().get(positive), version, scoredAt);
    }

    /** Writes beside the target, then swaps it in: readers see the old output or the new one, whole. */
    private static long writeWhole(SparkTable table, org.apache.spark.sql.Dataset<Row> scores, String output) {
        Configuration conf = table.spark().sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(output);
        org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".staging-" + UUID.randomUUID());
        org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
        try {
            FileSystem fs = target.getFileSystem(conf);
            try {
                scores.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
            } catch (RuntimeException e) {
                fs.delete(staging, true);
                if (e instanceof CairnException ce) throw ce;
                Throwable cause = e;
                while (cause.getCause() != null && !(cause instanceof CairnException)) cause = cause.getCause();
                if (cause instanceof CairnException ce) throw ce;
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Batch scoring on Spark failed (nothing was written): "
                        + SparkTable.firstLine(cause.getMessage()), Map.of("output", output), e);
            }
            long count = table.spark().read().parquet(staging.toString()).count();
            boolean existed = fs.exists(target);
            if (existed && !fs.rename(target, old)) throw new IOException("cannot move the previous " + target + " aside");
            if (!fs.rename(staging, target)) {
                if (existed) fs.rename(old, target);
                throw new IOException("cannot move " + staging + " to " + target);
            }
            if (existed) fs.delete(old, true);
            return count;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write " + output + ": " + e.getMessage(), e);
        }
    }
}
