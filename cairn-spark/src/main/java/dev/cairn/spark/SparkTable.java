package dev.cairn.spark;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.check.Check;
import dev.cairn.data.check.CheckTarget;
import dev.cairn.data.check.Validator;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.MalformedRow;
import dev.cairn.data.source.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * A dataset on Spark as cairn-data sees a loaded table: a temporary view, its columns with the
 * DuckDB type names the rest of Cairn uses (so profiles and results read the same whichever engine
 * made them), and the {@link CheckTarget} the validator runs checks through.
 */
public final class SparkTable implements CheckTarget {
    private static final AtomicLong VIEWS = new AtomicLong();
    private static final String FAIL = "__cairn_fail";

    private final SparkSession spark;
    private final Dataset<Row> data;
    private final String description;
    private final String view;
    private final List<Column> columns;

    public SparkTable(SparkSession spark, Dataset<Row> data, String description) {
        this.spark = spark;
        this.data = data;
        this.description = description;
        this.view = "cairn_data_" + VIEWS.incrementAndGet();
        data.createOrReplaceTempView(view);
        List<Column> cols = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
            String duck = duckType(f.dataType());
            cols.add(new Column(f.name(), duck, ColumnKind.ofDuckType(duck)));
        }
        this.columns = List.copyOf(cols);
        SparkDialect.register(spark);
    }

    /**
     * A CSV, Parquet or JSON-lines file (by its extension; a directory of Parquet files too) on any file system
     * Spark reads. CSV columns are typed by Spark's inference, which may differ from DuckDB's on odd files.
     */
    public static SparkTable read(SparkSession spark, String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        Dataset<Row> data;
        if (lower.endsWith(".parquet") || (!location.contains("://") && Files.isDirectory(Path.of(location)))) {
            data = spark.read().parquet(location);
        } else if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
            data = spark.read().option("header", "true").option("inferSchema", "true").csv(location);
        } else if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) {
            data = spark.read().json(location);
        } else {
            throw CairnException.invalid("source", location, "a .csv, .csv.gz, .parquet (file or directory) or .jsonl file for the Spark engine");
        }
        return new SparkTable(spark, data, location);
    }

    /** The DuckDB name of a Spark type, as cairn-data's profiles and checks use them. */
    static String duckType(DataType type) {
        if (type instanceof DecimalType d) return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
        if (type.equals(DataTypes.ByteType)) return "TINYINT";
        if (type.equals(DataTypes.ShortType)) return "SMALLINT";
        if (type.equals(DataTypes.IntegerType)) return "INTEGER";
        if (type.equals(DataTypes.LongType)) return "BIGINT";
        if (type.equals(DataTypes.FloatType)) return "FLOAT";
        if (type.equals(DataTypes.DoubleType)) return "DOUBLE";
        if (type.equals(DataTypes.BooleanType)) return "BOOLEAN";
        if (type.equals(DataTypes.DateType)) return "DATE";
        if (type.equals(DataTypes.TimestampType) || type.equals(DataTypes.TimestampNTZType)) return "TIMESTAMP";
        if (type.equals(DataTypes.StringType)) return "VARCHAR";
        return "VARCHAR";
    }

    public SparkSession spark() {
        return spark;
    }

    public Dataset<Row> data() {
        return data;
    }

    /** The temporary view's name, quoted for the DuckDB SQL that {@link SparkDialect} translates. */
    public String relation() {
        return Sql.identifier(view);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    /**
     * The aggregates in one job, except each {@code count(DISTINCT …)}, which runs in a job of its own: Spark plans
     * several distinct aggregates in one query by copying every row once per distinct aggregate (an Expand), which
     * on bench/data's checks made the one scan three times slower than the separate jobs together.
     */
    @Override
    public List<Double> aggregate(List<String> expressions) throws SQLException {
        List<String> plain = new ArrayList<>();
        List<Integer> plainAt = new ArrayList<>();
        Double[] values = new Double[expressions.size()];
        for (int i = 0; i < expressions.size(); i++) {
            String e = expressions.get(i);
            if (e.toUpperCase(Locale.ROOT).contains("DISTINCT")) {
                values[i] = query(List.of(e)).getFirst();
            } else {
                plain.add(e);
                plainAt.add(i);
            }
        }
        if (!plain.isEmpty()) {
            List<Double> row = query(plain);
            for (int k = 0; k < plain.size(); k++) values[plainAt.get(k)] = row.get(k);
        }
        return Arrays.asList(values);
    }

    private List<Double> query(List<String> expressions) throws SQLException {
        String sql = SparkDialect.translate("SELECT " + String.join(", ", expressions) + " FROM " + relation());
        Row row;
        try {
            row = spark.sql(sql).collectAsList().getFirst();
        } catch (CairnException e) {
            throw e;
        } catch (Exception e) {
            // Analysis and runtime errors alike: the validator then finds the check whose SQL cannot run.
            throw new SQLException(e.getMessage(), e);
        }
        List<Double> values = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
            Object v = row.get(i);
            values.add(v == null ? null : ((Number) v).doubleValue());
        }
        return values;
    }

    @Override
    public String sampleSql(Check check) {
        // No line numbers: a distributed read has no cheap global row order. The first failing rows Spark finds.
        return "SELECT * EXCEPT (" + FAIL + ") FROM (SELECT *, (" + SparkDialect.translate(check.failingRowPredicate()) + ") AS "
                + FAIL + " FROM " + view + ") WHERE " + FAIL + " LIMIT " + Validator.SAMPLES;
    }

    @Override
    public List<Map<String, Object>> samples(String sql, Check check) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (Row r : spark.sql(sql).collectAsList()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < r.size(); i++) row.put(r.schema().fields()[i].name(), Validator.plain(r.get(i)));
                rows.add(row);
            }
        } catch (Exception e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot fetch the failing rows of check '" + check.name()
                    + "' of " + description + ": " + firstLine(e.getMessage()), Map.of("check", check.name()), e);
        }
        return rows;
    }

    @Override
    public boolean lineOriented() {
        return false;
    }

    @Override
    public long malformedRowCount() {
        return 0;
    }

    @Override
    public List<MalformedRow> malformedRows() {
        return List.of();
    }

    @Override
    public RuntimeException queryError(String what, SQLException e) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot " + what + " " + description + " on Spark: "
                + firstLine(e.getMessage()), Map.of("source", description), e);
    }

    static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.strip().indexOf('\n');
        return nl < 0 ? message.strip() : message.strip().substring(0, nl);
    }
}
