package dev.cairn.features.offline;

import dev.cairn.features.source.ViewRows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The number a point-in-time (ASOF) join orders a view's rows by, so that of two rows of one entity at one event time
 * the later in the source wins: (event time, row position) packed in one number, the position in the low bits. Each
 * entity row asks for the greatest key at or below (its time, any position), which is the latest row at or before its
 * time and, of several at that time, the last in the source: the same row as removing the earlier ones first, without
 * sorting the whole source by (entity, time) to do it (that sort cost more than the join itself: bench/features).
 *
 * <p>A BIGINT key when it provably fits ({@link Packed}): the times counted in the coarsest unit every row's time is a
 * whole number of (second, millisecond, microsecond) from the source's earliest time, shifted left by the bits of the
 * greatest position. Else a HUGEINT key ({@link Wide}: microseconds and 40 bits of position), which always fits and
 * makes DuckDB's join markedly slower (about twice the join's time at 10M rows, bench/features).
 */
sealed interface AsofKey permits AsofKey.Packed, AsofKey.Wide {

    /** SQL of a source row's key from its event time and position (1-based) columns. */
    String source(String time, String position);

    /** SQL of the greatest key an entity row at {@code time} may match: no row after {@code time} has a key at or below it. */
    String entity(String time);

    /**
     * The key for the rows of {@code rows}. Their first and last time and their count come from a Parquet file's
     * statistics (no scan); whether every time is a whole second (or millisecond) is one scan of the times, stopped at
     * the first that is not.
     */
    static AsofKey of(Connection connection, ViewRows rows) throws SQLException {
        long min;
        long max;
        long positions;
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT epoch_us(min(" + ViewRows.TIME + ")), epoch_us(max(" + ViewRows.TIME + ")), count(*) FROM "
                     + rows.table())) {
            r.next();
            min = r.getLong(1);
            if (r.wasNull()) return new Wide();
            max = r.getLong(2);
            if (r.wasNull()) return new Wide();
            // Positions run from 1 to the row count (RowPosition).
            positions = r.getLong(3);
        }
        long unit = 1;
        for (long candidate : new long[] {1_000_000, 1_000}) {
            if (!exists(connection, "SELECT 1 FROM " + rows.table() + " WHERE epoch_us(" + ViewRows.TIME + ") % " + candidate + " <> 0 LIMIT 1")) {
                unit = candidate;
                break;
            }
        }
        return choose(min, max, positions, unit);
    }

    private static boolean exists(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next();
        }
    }

    /**
     * A BIGINT key for source times from {@code min} to {@code max} microseconds, each a whole number of {@code unit}
     * microseconds, and positions up to {@code positions}, if every key (and an entity row's) fits in a BIGINT; else a
     * HUGEINT key.
     */
    static AsofKey choose(long min, long max, long positions, long unit) {
        if (positions < 1 || unit < 1 || max < min) return new Wide();
        int bits = 64 - Long.numberOfLeadingZeros(positions);
        if (bits > 62) return new Wide();
        long span;
        try {
            span = Math.subtractExact(max, min) / unit;
        } catch (ArithmeticException e) {
            return new Wide();
        }
        // The greatest key is (span + 1) * 2^bits - 1 (an entity row at or after the last time): it fits when
        // span + 1 <= 2^(63 - bits).
        if (span >= (1L << (63 - bits))) return new Wide();
        return new Packed(min, max, unit, bits);
    }

    /**
     * ((time - min) / unit) * 2^bits + position. An entity row's time t is counted as the whole units up to it
     * (floor), at most the last source time: a source row at or before t has at most that count and any position below
     * 2^bits; one after t has a greater count (its time is a whole number of units). Before the first source time no
     * row matches (-1).
     */
    record Packed(long min, long max, long unit, int bits) implements AsofKey {
        @Override
        public String source(String time, String position) {
            return "((epoch_us(" + time + ") - " + min + ") // " + unit + " * " + (1L << bits) + " + " + position + ")";
        }

        @Override
        public String entity(String time) {
            // Compared as times, not microseconds: epoch_us of an infinite time is null (least() then takes the last time,
            // right for +infinity; -infinity is before the first).
            return "(CASE WHEN " + time + " < make_timestamp(CAST(" + min + " AS BIGINT)) THEN CAST(-1 AS BIGINT) ELSE (least(epoch_us("
                    + time + "), " + max + ") - " + min + ") // " + unit + " * " + (1L << bits) + " + " + ((1L << bits) - 1) + " END)";
        }
    }

    /** 2^40: positions (below it) beside a time in microseconds in one HUGEINT. */
    record Wide() implements AsofKey {
        private static final String SCALE = "1099511627776";

        @Override
        public String source(String time, String position) {
            return "(CAST(epoch_us(" + time + ") AS HUGEINT) * " + SCALE + " + " + position + ")";
        }

        @Override
        public String entity(String time) {
            return "(CAST(epoch_us(" + time + ") AS HUGEINT) * " + SCALE + " + (" + SCALE + " - 1))";
        }
    }
}
