package dev.cairn.data.profile;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Progress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Profiles a loaded table. Exact counts of every column come from one DuckDB aggregation scan (as
 * Deequ compiles its analyzers into one scan); the moments and sketches of numbers from one streamed
 * pass over the numeric columns (split into groups of columns, one thread each, with the KLL updates
 * on a thread of their own: {@link KllFeeder}); for other columns, their sketches (and a text
 * column's lengths, number types and extremes) from DuckDB's grouped value counts, which give the
 * same as every row would (frequent items take weights; HLL depends only on the set of values).
 *
 * <p>A profile is reproducible: the same data give the same JSON. Rows are read in the table's
 * order (DuckDB keeps insertion order), value counts in value order, and the KLL sketches'
 * compaction coins are a function of the data ({@link ReproducibleKll}).
 */
public final class Profiler {
    /** Values per batch of a numeric column: moments and KLL updates are made batch by batch. */
    static final int BATCH = 4096;

    private Profiler() {}

    public static DatasetProfile profile(LoadedTable table) {
        return profile(table, Progress.NONE);
    }

    public static DatasetProfile profile(LoadedTable table, Progress progress) {
        return profileColumns(table, table.columns(), progress);
    }

    /**
     * Profiles only the named columns of the table, in the order given (e.g. monitoring profiles a
     * window's typed inputs and predictions but not the raw text it checks their quality from).
     */
    public static DatasetProfile profile(LoadedTable table, List<String> names, Progress progress) {
        List<Column> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(table.column(name).orElseThrow(() -> CairnException.invalid("column", name,
                    "a column of " + table.source().describe())));
        }
        return profileColumns(table, chosen, progress);
    }

    private static DatasetProfile profileColumns(LoadedTable table, List<Column> columns, Progress progress) {
        List<ColumnAccumulator> accumulators = new ArrayList<>();
        for (Column c : columns) accumulators.add(new ColumnAccumulator(c.name(), c.duckType(), c.kind()));
        long rows;
        try {
            rows = aggregateScan(table, columns, accumulators);
            sketchPasses(table, columns, accumulators, rows, progress);
        } catch (SQLException e) {
            throw DataReader.queryError(table.source(), "profile", e);
        }
        return new DatasetProfile(DatasetProfile.FORMAT, table.source().describe(), rows, table.malformedRowCount(),
                table.malformedRows(), accumulators.stream().map(ColumnAccumulator::toProfile).toList());
    }

    private static long aggregateScan(LoadedTable table, List<Column> columns, List<ColumnAccumulator> acc) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (Column c : columns) {
            String x = c.sql();
            sql.append(", count(").append(x).append(')');
            switch (c.kind()) {
                case NUMERIC -> {
                    // Counts and moments of numbers are taken in the streamed pass, with the sketches.
                }
                case STRING -> {
                    // A text column's lengths, number types and extremes come with its value counts (see valueCounts).
                    if (statsFromCounts(c)) break;
                    sql.append(", min(length(").append(x).append(")), max(length(").append(x)
                        .append(")), sum(length(").append(x).append("))")
                        .append(", count(TRY_CAST(").append(x).append(" AS BIGINT)), count(TRY_CAST(").append(x).append(" AS DOUBLE))")
                        .append(", min(").append(x).append("), max(").append(x).append(')');
                }
                case BOOLEAN, TEMPORAL -> sql.append(", min(").append(x).append(")::VARCHAR, max(").append(x).append(")::VARCHAR");
            }
        }
        sql.append(" FROM ").append(table.relation());
        try (Statement s = table.connection().createStatement(); ResultSet r = s.executeQuery(sql.toString())) {
            r.next();
            int i = 1;
            long rows = r.getLong(i++);
            for (int k = 0; k < columns.size(); k++) {
                Column c = columns.get(k);
                ColumnAccumulator a = acc.get(k);
                long present = r.getLong(i++);
                a.count = rows;
                a.missing = rows - present;
                switch (c.kind()) {
                    case NUMERIC -> a.typeCounts.put(ColumnKind.fieldType(c.duckType()).name().toLowerCase(), present);
                    case STRING -> {
                        if (statsFromCounts(c)) break;
                        long minLength = r.getLong(i++);
                        boolean any = !r.wasNull();
                        long maxLength = r.getLong(i++);
                        a.totalLength = r.getLong(i++);
                        if (any) {
                            a.minLength = minLength;
                            a.maxLength = maxLength;
                        }
                        long integers = r.getLong(i++);
                        long decimals = r.getLong(i++);
                        a.minValue = r.getString(i++);
                        a.maxValue = r.getString(i++);
                        if (integers > 0) a.typeCounts.put("integer", integers);
                        if (decimals - integers > 0) a.typeCounts.put("double", decimals - integers);
                        if (present - decimals > 0) a.typeCounts.put("string", present - decimals);
                    }
                    case BOOLEAN, TEMPORAL -> {
                        a.minValue = r.getString(i++);
                        a.maxValue = r.getString(i++);
                        a.typeCounts.put(ColumnKind.fieldType(c.duckType()).name().toLowerCase(), present);
                    }
                }
            }
            return rows;
        }
    }

    private static void sketchPasses(LoadedTable table, List<Column> columns, List<ColumnAccumulator> acc, long rows,
                                     Progress progress) throws SQLException {
        List<Integer> numeric = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        for (int k = 0; k < columns.size(); k++) (columns.get(k).kind() == ColumnKind.NUMERIC ? numeric : other).add(k);
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
        int groups = Math.min(threads, numeric.size());
        List<List<Integer>> numericGroups = new ArrayList<>();
        for (int g = 0; g < groups; g++) numericGroups.add(new ArrayList<>());
        for (int k = 0; k < numeric.size(); k++) numericGroups.get(k % groups).add(numeric.get(k));

        // One thread per group of numeric columns and one more for the text columns' value counts, which then run while
        // the numeric readers wait for the KLL updates rather than after them; without numbers, the value counts in parallel.
        int poolSize = groups == 0 ? threads : groups + (other.isEmpty() ? 0 : 1);

        AtomicLong done = new AtomicLong();
        long total = Math.max(1, rows * Math.max(1, groups) + other.size());
        ExecutorService pool = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "cairn-profile");
            t.setDaemon(true);
            return t;
        });
        KllFeeder kll = new KllFeeder(BATCH);
        try (kll) {
            List<Future<?>> futures = new ArrayList<>();
            for (List<Integer> group : numericGroups) {
                futures.add(pool.submit(() -> {
                    streamNumeric(table, columns, acc, group, kll, done, total, progress);
                    return null;
                }));
            }
            for (int k : other) {
                futures.add(pool.submit(() -> {
                    valueCounts(table, columns.get(k), acc.get(k));
                    progress.update("profile", done.addAndGet(1), total);
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
            kll.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Profiling was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CairnException ce) throw ce;
            if (cause instanceof SQLException se) throw se;
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Profiling failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        progress.update("profile", total, total);
    }

    private static void streamNumeric(LoadedTable table, List<Column> columns, List<ColumnAccumulator> acc, List<Integer> group,
                                      KllFeeder kll, AtomicLong done, long total, Progress progress) throws SQLException, InterruptedException {
        int n = group.size();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int j = 0; j < n; j++) sql.append(j > 0 ? ", " : "").append("CAST(").append(columns.get(group.get(j)).sql()).append(" AS DOUBLE)");
        sql.append(" FROM ").append(table.relation());
        double[][] buffers = new double[n][BATCH];
        int[] filled = new int[n];
        long[] zeros = new long[n];
        long[] nan = new long[n];
        long[] infinite = new long[n];
        try (Connection connection = table.newConnection(); Statement s = connection.createStatement();
             ResultSet r = s.executeQuery(sql.toString())) {
            long local = 0;
            while (r.next()) {
                for (int j = 0; j < n; j++) {
                    double v = r.getDouble(j + 1);
                    if (v == 0) {
                        if (r.wasNull()) continue;
                        zeros[j]++;
                    } else if (!Double.isFinite(v)) {
                        if (Double.isNaN(v)) nan[j]++; else infinite[j]++;
                        continue;
                    }
                    buffers[j][filled[j]++] = v;
                    if (filled[j] == BATCH) {
                        ColumnAccumulator a = acc.get(group.get(j));
                        addBatch(a, buffers[j], BATCH);
                        buffers[j] = kll.swap(a.kll, buffers[j]);
                        filled[j] = 0;
                    }
                }
                if (++local % 65_536 == 0) progress.update("profile", done.addAndGet(65_536), total);
            }
            done.addAndGet(local % 65_536);
            for (int j = 0; j < n; j++) {
                ColumnAccumulator a = acc.get(group.get(j));
                addBatch(a, buffers[j], filled[j]);
                kll.last(a.kll, buffers[j], filled[j]);
                a.zeros = zeros[j];
                a.nan = nan[j];
                a.infinite = infinite[j];
            }
        }
    }

    /**
     * Adds a batch of finite values to all but the KLL sketch (which the {@link KllFeeder} updates): exact moments
     * (batch mean and sum of squares, then Chan's merge), extremes and the distinct-count sketch.
     */
    private static void addBatch(ColumnAccumulator a, double[] values, int length) {
        if (length == 0) return;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            double v = values[i];
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
            a.hll.update(v);
        }
        double mean = sum / length;
        double m2 = 0;
        for (int i = 0; i < length; i++) {
            double d = values[i] - mean;
            m2 += d * d;
        }
        a.addMoments(length, mean, m2);
        a.min = a.min == null ? min : Math.min(a.min, min);
        a.max = a.max == null ? max : Math.max(a.max, max);
    }

    /**
     * Whether a text column's lengths, number types and extremes are taken from its value counts, once per distinct
     * value, rather than from every row in the aggregation scan: the same figures (DuckDB's own length and casts,
     * weighted by the counts; the first and last value in order are its minimum and maximum), at a fraction of the cost
     * when the table is not dictionary-compressed (an in-memory one). Only for VARCHAR, whose values are grouped and
     * ordered as themselves.
     */
    private static boolean statsFromCounts(Column c) {
        return c.kind() == ColumnKind.STRING && c.duckType().equalsIgnoreCase("VARCHAR");
    }

    private static void valueCounts(LoadedTable table, Column column, ColumnAccumulator a) throws SQLException {
        String x = column.sql();
        boolean stats = statsFromCounts(column);
        // In a fixed order: the frequent-items sketch (which values it keeps once full, and its serial form) depends on it.
        String v = "CAST(" + x + " AS VARCHAR)";
        String sql = "SELECT " + v + ", count(*)"
                + (stats ? ", length(" + v + "), TRY_CAST(" + v + " AS BIGINT) IS NOT NULL, TRY_CAST(" + v + " AS DOUBLE) IS NOT NULL" : "")
                + " FROM " + table.relation() + " WHERE " + x + " IS NOT NULL GROUP BY 1 ORDER BY 1";
        long integers = 0;
        long decimals = 0;
        try (Connection connection = table.newConnection(); Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                String value = r.getString(1);
                long n = r.getLong(2);
                a.items.update(value, n);
                a.hll.update(value);
                if (!stats) continue;
                long length = r.getLong(3);
                a.minLength = a.minLength == null ? length : Math.min(a.minLength, length);
                a.maxLength = a.maxLength == null ? length : Math.max(a.maxLength, length);
                a.totalLength += n * length;
                if (r.getBoolean(4)) integers += n;
                if (r.getBoolean(5)) decimals += n;
                if (a.minValue == null) a.minValue = value;
                a.maxValue = value;
            }
        }
        if (!stats) return;
        long present = a.count - a.missing;
        if (integers > 0) a.typeCounts.put("integer", integers);
        if (decimals - integers > 0) a.typeCounts.put("double", decimals - integers);
        if (present - decimals > 0) a.typeCounts.put("string", present - decimals);
    }
}
