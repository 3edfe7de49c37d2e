package dev.cairn.spark;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.PackageZip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Batch scoring on Spark with cairn-runtime: the model package is shipped once per executor
 * ({@code SparkContext.addFile}, named by the digest of its content) and loaded once per JVM
 * however many runs score with it; each partition is predicted in column batches by
 * {@link Model#predictColumns}, the same call {@code cairn score} makes (every row validated
 * against the signature, the same encoder), so the scores are the same bits. Batches are scored
 * as Spark's writer asks for rows, so a task holds one batch, not its partition. Rows come out as
 * {@code cairn score}'s: id, label, probability, model_version, scored_at. The Parquet output is
 * written to a hidden sibling directory and renamed into place when every task has succeeded:
 * whole or not at all. Where the time goes, and against what baseline: docs/benchmarks.md, Spark.
 */
public final class SparkScorer {
    /**
     * Models loaded on this JVM (the driver, an executor), by the SHA-256 of the package's zip: each package loaded
     * once per JVM however often it is scored. Kept for the JVM's life: a batch job scores with few packages.
     */
    private static final Map<String, Model> LOADED = new ConcurrentHashMap<>();

    private static Path shipDirectory;

    private SparkScorer() {}

    /** {@code scoredAt} is written as scored_at (null: now; a pipeline step gives its run's logical time). */
    public record Options(Path modelPackage, String idColumn, int batchRows, String modelVersion, String output, Instant scoredAt) {
        public Options {
            if (modelPackage == null) throw CairnException.invalid("model", null, "a model package directory or zip");
            if (batchRows < 1) throw CairnException.invalid("batch_rows", batchRows, "a number of rows ≥ 1");
            if (output == null) throw CairnException.invalid("output", null, "a Parquet directory to write");
            if (modelVersion == null) modelVersion = "local";
        }

        /** Scored now. */
        public Options(Path modelPackage, String idColumn, int batchRows, String modelVersion, String output) {
            this(modelPackage, idColumn, batchRows, modelVersion, output, null);
        }
    }

    public record Result(long rows, String output, long millis) {}

    public static Result score(SparkTable table, Options options) {
        long started = System.currentTimeMillis();
        Shipped shipped = ship(table, options.modelPackage());
        // The driver's copy comes from the same cache as the executors' (on local[N] it is the same JVM, so the
        // package is loaded once there): loading it here also reports a package XGBoost cannot load before any task.
        Model model = loaded(shipped.digest(), () -> Models.load(shipped.pkg()));
        List<String> inputs = model.signature().inputNames();
        OutputSpec outputSpec = model.signature().output();
        List<String> names = Arrays.asList(table.data().schema().fieldNames());
        String idColumn = options.idColumn();
        if (idColumn != null && !names.contains(idColumn)) {
            throw CairnException.invalid("id", idColumn, "a column of the input: " + String.join(", ", names));
        }

        // Positions of the model's inputs in the input rows; absent ones are left to the model to report.
        List<String> present = inputs.stream().filter(names::contains).toList();
        int[] positions = present.stream().mapToInt(names::indexOf).toArray();
        String[] inputNames = present.toArray(String[]::new);
        int idIndex = idColumn == null ? -1 : names.indexOf(idColumn);
        int batchRows = options.batchRows();
        String version = options.modelVersion();
        String scoredAt = (options.scoredAt() == null ? Instant.now() : options.scoredAt()).toString();
        // Plain values only: the partition function is serialized to the executors.
        boolean classifier = outputSpec.isClassifier();
        String[] classes = outputSpec.classes() == null ? new String[0] : outputSpec.classes().toArray(String[]::new);

        // Row numbers as `cairn score` gives them without --id: 1-based in the input's order. Only then, as numbering
        // costs a job of its own (counting each partition's rows first).
        String digest = shipped.digest();
        String fileName = shipped.fileName();
        DataType[] types = Arrays.stream(table.data().schema().fields()).map(StructField::dataType).toArray(DataType[]::new);
        // Spark's own rows (InternalRow), not Row objects: each value is read straight into the batch's columns, as
        // the Java object a Row would hold, without a Row per input row (see InputColumns).
        JavaRDD<InternalRow> input = table.data().queryExecution().toRdd().toJavaRDD();
        JavaRDD<Row> scored = idColumn == null
                ? input.zipWithIndex().mapPartitions(part -> new PartitionScorer(new Numbered(part), digest, fileName,
                        inputNames, positions, -1, types, classifier, classes, batchRows, version, scoredAt))
                : input.mapPartitions(part -> new PartitionScorer(part, digest, fileName, inputNames, positions,
                        idIndex, types, classifier, classes, batchRows, version, scoredAt));
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

    /** The package as shipped: read and verified once on the driver, its zip's SHA-256, and the file name executors find it by. */
    private record Shipped(ModelPackage pkg, String digest, String fileName) {}

    /** The directory this JVM's shipped packages are written to, made on first use and deleted at exit (after its files). */
    private static synchronized Path shipDirectory() throws IOException {
        if (shipDirectory == null) {
            Path dir = Files.createTempDirectory("cairn-model");
            dir.toFile().deleteOnExit();
            shipDirectory = dir;
        }
        return shipDirectory;
    }

    /** A model loaded on this JVM (driver or executor), once per package content. */
    private static Model loaded(String digest, Supplier<Model> load) {
        return LOADED.computeIfAbsent(digest, d -> load.get());
    }

    /**
     * Adds the package, as a zip named after its content's digest, to the files Spark ships to every executor once.
     * The same package scored again is the same file (Spark ships it once per application) and the same cached
     * model on each executor; a package of other content is another name, which Spark requires.
     */
    private static Shipped ship(SparkTable table, Path path) {
        ModelPackage pkg = ModelPackage.read(path);
        try {
            // PackageZip writes entries in a fixed order with fixed times: the same files give the same bytes.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PackageZip.write(pkg, bytes);
            byte[] zipBytes = bytes.toByteArray();
            String digest = Sha256.of(zipBytes);
            String name = "cairn-model-" + digest + ".zip";
            SparkContext sc = table.spark().sparkContext();
            boolean added = CollectionConverters.asJava(sc.listFiles()).stream().anyMatch(f -> f.endsWith("/" + name));
            if (!added) {
                // In a directory of this JVM's own: the driver serves the file to executors for as long as it runs.
                Path zip = shipDirectory().resolve(name);
                Files.write(zip, zipBytes);
                zip.toFile().deleteOnExit();
                sc.addFile(zip.toAbsolutePath().toString());
            }
            return new Shipped(pkg, digest, name);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot ship the model package " + path + " to Spark: " + e.getMessage(), e);
        }
    }

    /** Rows as {@code zipWithIndex} gives them, with the 0-based index of the last row given. */
    private static final class Numbered implements Iterator<InternalRow> {
        private final Iterator<Tuple2<InternalRow, Long>> in;
        private long last = -1;

        Numbered(Iterator<Tuple2<InternalRow, Long>> in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public InternalRow next() {
            Tuple2<InternalRow, Long> t = in.next();
            last = t._2();
            return t._1();
        }
    }

    /**
     * One partition's scores, a batch at a time as Spark's writer asks for rows: each batch of input rows goes to
     * {@link Model#predictColumns} as columns (validated and encoded there, as everywhere), and only that batch's
     * output rows are held, not the whole partition's. The column arrays are reused from batch to batch: the model
     * reads them during the call and keeps nothing.
     */
    private static final class PartitionScorer implements Iterator<Row> {
        private final Iterator<InternalRow> part;
        private final Numbered numbered;
        private final InputColumns.Reader[] readers;
        private final InputColumns.Reader idReader;
        private final Model model;
        private final String[] inputNames;
        private final int[] positions;
        private final int idIndex;
        private final boolean classifier;
        private final String[] classes;
        private final String version;
        private final String scoredAt;
        private final Object[][] columns;
        private final Object[] ids;
        private final Map<String, Object> batch = new HashMap<>();
        private Row[] out = new Row[0];
        private int next;

        PartitionScorer(Iterator<InternalRow> part, String digest, String fileName, String[] inputNames, int[] positions, int idIndex,
                        DataType[] types, boolean classifier, String[] classes, int batchRows, String version, String scoredAt) {
            this.part = part;
            this.numbered = part instanceof Numbered n ? n : null;
            this.readers = new InputColumns.Reader[positions.length];
            for (int j = 0; j < positions.length; j++) readers[j] = InputColumns.reader(positions[j], types[positions[j]]);
            this.idReader = idIndex < 0 ? null : InputColumns.reader(idIndex, types[idIndex]);
            this.model = loaded(digest, () -> Models.load(Path.of(SparkFiles.get(fileName))));
            this.inputNames = inputNames;
            this.positions = positions;
            this.idIndex = idIndex;
            this.classifier = classifier;
            this.classes = classes;
            this.version = version;
            this.scoredAt = scoredAt;
            this.columns = new Object[inputNames.length][batchRows];
            this.ids = new Object[batchRows];
        }

        @Override
        public boolean hasNext() {
            if (next < out.length) return true;
            if (!part.hasNext()) return false;
            scoreBatch();
            return next < out.length;
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new NoSuchElementException();
            return out[next++];
        }

        private void scoreBatch() {
            int batchRows = ids.length;
            int n = 0;
            while (n < batchRows && part.hasNext()) {
                InternalRow row = part.next();
                ids[n] = numbered != null ? (Object) (numbered.last + 1) : idReader.read(row);
                for (int j = 0; j < readers.length; j++) columns[j][n] = readers[j].read(row);
                n++;
            }
            for (int j = 0; j < inputNames.length; j++) batch.put(inputNames[j], n == batchRows ? columns[j] : Arrays.copyOf(columns[j], n));
            List<Prediction> predictions = model.predictColumns(batch);
            if (out.length != n) out = new Row[n];
            for (int i = 0; i < n; i++) out[i] = row(classifier, classes, ids[i], predictions.get(i), version, scoredAt);
            next = 0;
        }
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
            } catch (Exception e) {
                // Spark's job failure is a SparkException, a checked exception Scala throws undeclared: caught here
                // too, so that the staging directory goes and the task's own CairnException (a refused row) comes out.
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
