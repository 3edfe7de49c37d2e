package dev.cairn.spark;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileSource;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Entity;
import dev.cairn.features.definition.Feature;
import dev.cairn.features.definition.FeatureService;
import dev.cairn.features.definition.SourceDefinition;
import dev.cairn.features.offline.TrainingSet;
import dev.cairn.features.offline.TrainingSets;
import dev.cairn.features.source.SourceOpener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.storage.StorageLevel;

/**
 * Point-in-time correct training sets on Spark, with the semantics of cairn-features' {@link TrainingSets} on DuckDB:
 * for each entity row (join keys and a time t) and each feature view of the service, a column or expression feature is
 * the value of the entity's latest source row with event time at or before t (of rows at one event time the later
 * created time wins, else the later row in the source), null when that row is older than the view's TTL; a window
 * aggregation is over the entity's rows with event time in (t - window, t] (count and sum 0 over none). No row after t
 * is used; the entity rows keep their order and columns, the features follow in the service's order.
 *
 * <p>Spark has no ASOF join, and a range join of every entity row with every earlier row of its entity grows with the
 * history. Instead, per view, the entity rows and the source's rows are put in one relation partitioned by join key and
 * ordered by (time, source rows before entity rows, position in the source): an entity row's features are the last
 * source row before it ({@code last(row, ignoreNulls)} over the rows so far), and its aggregations a range window over
 * the time. One shuffle per view, no row pairs. Positions are {@code monotonically_increasing_id} of the read, which
 * follows a file's order (for a directory of files, Spark's order of its splits).
 */
public final class SparkTrainingSets {
    private static final String ROW = "__cairn_row";
    private static final String TIME = "__cairn_time";
    private static final String KIND = "__cairn_kind";
    private static final String CREATED = "__cairn_created";
    private static final String ORDER = "__cairn_order";
    private static final String LATEST = "__cairn_latest";
    private static final String LATEST_TIME = "__cairn_latest_time";
    /** Source rows sort before the entity rows of the same time: a row at t is "at or before t". */
    private static final int SOURCE_ROW = 0;
    private static final int ENTITY_ROW = 1;
    private static final String EXPECTED_TIME = "a timestamp column (TIMESTAMP, DATE, or ISO-8601 text such as 2024-01-31 or "
            + "2024-01-31T12:00:00Z)";

    private SparkTrainingSets() {}

    /**
     * Builds the training set of {@code serviceName} for the rows of {@code entities} (a file Spark reads; their time in
     * {@code timestampColumn}) into {@code output}, a Parquet directory written whole or not at all. The feature
     * views' sources must be files (a JDBC source is refused: read it into a file first).
     */
    public static TrainingSet build(SparkSession spark, Catalog catalog, SourceOpener sources, String serviceName, String entities,
                                    String timestampColumn, String output) {
        FeatureService service = catalog.service(serviceName);
        List<Catalog.Selection> selections = catalog.select(service);
        Map<String, Long> versions = TrainingSets.versions(catalog, service, selections);
        Dataset<Row> read = SparkTable.read(spark, entities).data();
        List<String> columns = Arrays.asList(read.columns());
        List<String> features = TrainingSets.checkColumns(columns, entities, selections, timestampColumn);
        // Numbered as read, before anything reorders the rows; kept, as every view probes them and the output follows them.
        Dataset<Row> rows = read.withColumn(ROW, monotonically_increasing_id())
                .withColumn(TIME, micros(read, timestampColumn, "timestamp_column"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            requireReadable(rows, timestampColumn, ROW, "entity rows of " + entities, "timestamp_column");
            Dataset<Row> joined = rows;
            for (int i = 0; i < selections.size(); i++) {
                Dataset<Row> values = view(spark, rows, selections.get(i), sources, i);
                String row = ROW + "_" + i;
                joined = joined.join(values, joined.col(ROW).equalTo(values.col(row)), "left").drop(row);
            }
            List<Column> select = new ArrayList<>();
            for (String c : columns) select.add(col(quote(c)));
            for (String f : features) select.add(col(quote(f)));
            Dataset<Row> set = joined.orderBy(ROW).select(select.toArray(Column[]::new));
            String sha256 = writeWhole(spark, set, output);
            Path path = output.contains("://") ? Path.of(output) : Path.of(output).toAbsolutePath().normalize();
            return new TrainingSet(service.name(), path, sha256, rows.count(), features, versions);
        } finally {
            rows.unpersist();
        }
    }

    /** One view's features for the entity rows: {@code __cairn_row_<i>} and a column per feature, named as the feature. */
    private static Dataset<Row> view(SparkSession spark, Dataset<Row> entities, Catalog.Selection selection, SourceOpener sources,
                                     int i) {
        SourceDefinition definition = selection.source();
        String sourceName = definition.name();
        String sourceField = "sources." + sourceName;
        String viewField = "feature_views." + selection.view().name();
        DataSource opened = sources.open(definition);
        if (!(opened instanceof FileSource file)) {
            throw CairnException.invalid(sourceField, opened.describe(), "a file source (CSV, Parquet, JSON lines) for the Spark engine; "
                    + "read a database's rows into a file first");
        }
        Dataset<Row> read = SparkTable.read(spark, file.path().toString()).data();
        List<String> sourceColumns = Arrays.asList(read.columns());
        Dataset<Row> raw = read.withColumn(ORDER, monotonically_increasing_id());

        List<String> joinKeys = selection.joinKeys();
        List<Column> sourceSide = new ArrayList<>();
        List<Column> entitySide = new ArrayList<>();
        List<Column> keys = new ArrayList<>();
        Column keysPresent = lit(true);
        for (int k = 0; k < joinKeys.size(); k++) {
            String key = joinKeys.get(k);
            require(sourceColumns, key, viewField + ".entities", "join key of entity '" + owner(selection, key) + "'", sourceName);
            DataType type = keyType(entities.schema().apply(key).dataType(), read.schema().apply(key).dataType());
            String name = "__cairn_k" + k;
            sourceSide.add(col(quote(key)).cast(type).as(name));
            entitySide.add(col(quote(key)).cast(type).as(name));
            keys.add(col(name));
            keysPresent = keysPresent.and(col(name).isNotNull());
        }
        require(sourceColumns, definition.eventTimestamp(), sourceField + ".event_timestamp", "event timestamp", sourceName);
        sourceSide.add(micros(read, definition.eventTimestamp(), sourceField + ".event_timestamp").as(TIME));
        boolean versioned = definition.createdTimestamp() != null;
        if (versioned) {
            require(sourceColumns, definition.createdTimestamp(), sourceField + ".created_timestamp", "created timestamp", sourceName);
            sourceSide.add(micros(read, definition.createdTimestamp(), sourceField + ".created_timestamp").as(CREATED));
        } else {
            sourceSide.add(lit(null).cast(DataTypes.LongType).as(CREATED));
        }
        sourceSide.add(col(ORDER));
        sourceSide.add(lit(SOURCE_ROW).as(KIND));
        sourceSide.add(lit(null).cast(DataTypes.LongType).as(ROW));
        List<Feature> features = selection.features();
        for (int j = 0; j < features.size(); j++) {
            Feature f = features.get(j);
            String field = viewField + ".features." + f.name();
            Column input = switch (f) {
                case Feature.Column c -> col(quote(require(sourceColumns, c.column(), field + ".column", "column of feature '" + f.name() + "'",
                        sourceName)));
                case Feature.Expression e -> expression(read, e.sql(), field + ".sql", sourceName);
                case Feature.Aggregate a -> a.column() != null
                        ? col(quote(require(sourceColumns, a.column(), field + ".column", "column of feature '" + f.name() + "'", sourceName)))
                        : a.sql() != null ? expression(read, a.sql(), field + ".sql", sourceName) : lit(1);
            };
            sourceSide.add(input.as(feature(j)));
        }
        Dataset<Row> sourceRows = raw.select(sourceSide.toArray(Column[]::new)).filter(keysPresent);
        requireReadable(raw.withColumn(TIME, micros(read, definition.eventTimestamp(), sourceField + ".event_timestamp")),
                definition.eventTimestamp(), ORDER, "rows of source '" + sourceName + "'", sourceField + ".event_timestamp");
        if (versioned) {
            // A created time says rows of one entity and event time are versions of one row: only the latest counts.
            WindowSpec versions = Window.partitionBy(concat(keys, col(TIME))).orderBy(col(CREATED).desc_nulls_last(), col(ORDER).desc());
            sourceRows = sourceRows.withColumn("__cairn_version", row_number().over(versions)).filter(col("__cairn_version").equalTo(1))
                    .drop("__cairn_version");
        }

        entitySide.add(col(TIME));
        entitySide.add(lit(null).cast(DataTypes.LongType).as(CREATED));
        entitySide.add(col(ROW).as(ORDER));
        entitySide.add(lit(ENTITY_ROW).as(KIND));
        entitySide.add(col(ROW));
        for (int j = 0; j < features.size(); j++) {
            entitySide.add(lit(null).cast(sourceRows.schema().apply(feature(j)).dataType()).as(feature(j)));
        }
        Dataset<Row> both = sourceRows.unionByName(entities.select(entitySide.toArray(Column[]::new)));

        Column[] partition = keys.toArray(Column[]::new);
        List<Column> out = new ArrayList<>();
        out.add(col(ROW).as(ROW + "_" + i));
        List<Column> latestFields = new ArrayList<>();
        latestFields.add(col(TIME).as(LATEST_TIME));
        for (int j = 0; j < features.size(); j++) if (!(features.get(j) instanceof Feature.Aggregate)) latestFields.add(col(feature(j)));
        if (latestFields.size() > 1) {
            // The last source row so far: entity rows carry no struct, so ignoring nulls skips them (a source row's null
            // value is inside its struct and stays null, as on DuckDB).
            WindowSpec sofar = Window.partitionBy(partition).orderBy(col(TIME), col(KIND), col(ORDER))
                    .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
            both = both.withColumn(LATEST, last(when(col(KIND).equalTo(SOURCE_ROW), struct(latestFields.toArray(Column[]::new))), true)
                    .over(sofar));
        }
        Duration ttl = selection.view().ttl();
        for (int j = 0; j < features.size(); j++) {
            Feature f = features.get(j);
            Column value;
            if (f instanceof Feature.Aggregate a) {
                WindowSpec window = Window.partitionBy(partition).orderBy(col(TIME)).rangeBetween(-(microseconds(a.window()) - 1), 0);
                Column x = col(feature(j));
                value = switch (a.function()) {
                    case COUNT -> count(x).over(window);
                    case SUM -> coalesce(sum(x).over(window).cast(DataTypes.DoubleType), lit(0.0));
                    case MEAN -> avg(x).over(window);
                    case MIN -> min(x).over(window);
                    case MAX -> max(x).over(window);
                };
            } else {
                value = col(LATEST).getField(feature(j));
                if (ttl != null) value = when(col(LATEST).getField(LATEST_TIME).geq(col(TIME).minus(microseconds(ttl))), value);
            }
            out.add(value.as(f.name()));
        }
        // Computed on every row of the partition; only the entity rows' are wanted.
        return both.select(concat(out, col(KIND))).filter(col(KIND).equalTo(ENTITY_ROW)).drop(KIND);
    }

    private static Column[] concat(List<Column> columns, Column more) {
        List<Column> all = new ArrayList<>(columns);
        all.add(more);
        return all.toArray(Column[]::new);
    }

    private static String feature(int j) {
        return "__cairn_f" + j;
    }

    /**
     * The type both sides' key is compared in, as on DuckDB: as it is when the types are the same, numbers as numbers
     * (integers as BIGINT, else DOUBLE), anything else as text (a CSV's 42 and a database's '42' are one customer).
     */
    private static DataType keyType(DataType entity, DataType source) {
        if (entity.equals(source)) return entity;
        if (entity instanceof NumericType && source instanceof NumericType) {
            return fractional(entity) || fractional(source) ? DataTypes.DoubleType : DataTypes.LongType;
        }
        return DataTypes.StringType;
    }

    private static boolean fractional(DataType t) {
        return t instanceof DoubleType || t instanceof FloatType || t instanceof DecimalType;
    }

    /** A time column as microseconds since the epoch (UTC): timestamps as they are, dates at midnight, ISO-8601 text parsed. */
    private static Column micros(Dataset<Row> data, String name, String field) {
        DataType type = data.schema().apply(name).dataType();
        Column c = col(quote(name));
        Column timestamp;
        if (type instanceof TimestampType) timestamp = c;
        else if (type instanceof TimestampNTZType || type instanceof DateType) timestamp = c.cast(DataTypes.TimestampType);
        else if (type instanceof StringType) timestamp = expr("try_cast(" + quote(name) + " AS TIMESTAMP)");
        else throw CairnException.invalid(field, name, EXPECTED_TIME + "; '" + name + "' is " + SparkTable.duckType(type));
        return unix_micros(timestamp);
    }

    /**
     * Refuses rows without a readable time, as DuckDB's training sets do: such a row cannot be placed in time, and leaving
     * it out would silently change the result.
     */
    private static void requireReadable(Dataset<Row> rows, String column, String order, String what, String field) {
        Dataset<Row> bad = rows.filter(col(TIME).isNull());
        List<Row> first = bad.orderBy(col(order)).select(col(quote(column)).cast(DataTypes.StringType)).limit(1).collectAsList();
        if (first.isEmpty()) return;
        long count = bad.count();
        String value = first.getFirst().getString(0);
        throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "The " + what + " have " + count + (count == 1 ? " row" : " rows")
                + " without a readable time in '" + column + "'; the first is " + (value == null ? "empty" : "'" + value + "'")
                + "; expected " + EXPECTED_TIME.replace("a timestamp column", "a time"),
                Map.of("field", field, "value", value == null ? "" : value, "rows", count));
    }

    /** A feature's SQL (DuckDB's, as the definitions hold it), as Spark runs it; checked on the source's columns. */
    private static Column expression(Dataset<Row> source, String sql, String field, String sourceName) {
        Column column = expr("(" + SparkDialect.translate(sql) + ")");
        try {
            source.select(column).schema();
        } catch (Exception e) {
            throw CairnException.invalid(field, sql, "a SQL expression Spark can compute over the columns of source '" + sourceName + "' ("
                    + SparkTable.firstLine(e.getMessage()) + ")");
        }
        return column;
    }

    private static String require(List<String> columns, String name, String field, String what, String source) {
        if (columns.contains(name)) return name;
        throw CairnException.invalid(field, name, "a column of source '" + source + "' (the " + what + "); its columns are "
                + String.join(", ", columns));
    }

    private static String owner(Catalog.Selection selection, String key) {
        return selection.entities().stream().filter(e -> e.joinKeys().contains(key)).map(Entity::name).findFirst().orElse("?");
    }

    private static long microseconds(Duration d) {
        return d.getSeconds() * 1_000_000L + d.getNano() / 1_000;
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * Writes the set beside {@code output}, then swaps it in (readers see the old set or the new one, whole); the SHA-256
     * of its Parquet files' bytes, in the order of their names.
     */
    private static String writeWhole(SparkSession spark, Dataset<Row> set, String output) {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(output);
        org.apache.hadoop.fs.Path parent = target.getParent() != null ? target.getParent() : new org.apache.hadoop.fs.Path(".");
        org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(parent, "." + target.getName() + ".staging-" + UUID.randomUUID());
        org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(parent, "." + target.getName() + ".old-" + UUID.randomUUID());
        try {
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try {
                set.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
            } catch (RuntimeException e) {
                fs.delete(staging, true);
                Throwable cause = e;
                while (cause.getCause() != null && !(cause instanceof CairnException)) cause = cause.getCause();
                if (cause instanceof CairnException ce) throw ce;
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot build the training set on Spark (nothing was written): "
                        + SparkTable.firstLine(cause.getMessage()), Map.of("output", output), e);
            }
            String sha256 = sha256(fs, staging);
            boolean existed = fs.exists(target);
            if (existed && !fs.rename(target, old)) throw new IOException("cannot move the previous " + target + " aside");
            if (!fs.rename(staging, target)) {
                if (existed) fs.rename(old, target);
                throw new IOException("cannot move " + staging + " to " + target);
            }
            if (existed) fs.delete(old, true);
            return sha256;
        } catch (IOException e) {
            throw CairnException.invalid("output", output, "a directory that can be written (" + e.getMessage() + ")");
        }
    }

    private static String sha256(FileSystem fs, org.apache.hadoop.fs.Path directory) throws IOException {
        List<org.apache.hadoop.fs.Path> parts = Arrays.stream(fs.listStatus(directory)).map(FileStatus::getPath)
                .filter(p -> p.getName().endsWith(".parquet")).sorted().collect(Collectors.toList());
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        for (org.apache.hadoop.fs.Path part : parts) {
            try (InputStream in = fs.open(part)) {
                for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            }
        }
        return Sha256.hex(digest);
    }
}
