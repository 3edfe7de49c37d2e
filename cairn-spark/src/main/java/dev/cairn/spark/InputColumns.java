package dev.cairn.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Function1;

/**
 * Reads one field of Spark's internal rows as the Java object a {@link org.apache.spark.sql.Row}
 * would hold (Long, Double, Boolean, String…, null when null), so the batch columns the scorer
 * gives cairn-runtime hold the same values as before, without a Row object per input row. Strings
 * of a column with few distinct values (categories) are decoded once each. Readers are made on
 * the executor, one per task: they are not thread-safe and not serialized.
 */
final class InputColumns {
    /** Distinct strings remembered per column; a column with more is decoded value by value. */
    private static final int MAX_REMEMBERED = 1024;

    private InputColumns() {}

    interface Reader {
        Object read(InternalRow row);
    }

    static Reader reader(int field, DataType type) {
        if (type.equals(DataTypes.LongType)) return row -> row.isNullAt(field) ? null : (Object) row.getLong(field);
        if (type.equals(DataTypes.DoubleType)) return row -> row.isNullAt(field) ? null : (Object) row.getDouble(field);
        if (type.equals(DataTypes.IntegerType)) return row -> row.isNullAt(field) ? null : (Object) row.getInt(field);
        if (type.equals(DataTypes.BooleanType)) return row -> row.isNullAt(field) ? null : (Object) row.getBoolean(field);
        if (type.equals(DataTypes.StringType)) return new Strings(field);
        // Anything else (decimals, dates, timestamps, nested types) as Spark converts it for a Row.
        Function1<Object, Object> convert = CatalystTypeConverters.createToScalaConverter(type);
        return row -> row.isNullAt(field) ? null : convert.apply(row.get(field, type));
    }

    /** A string column: each distinct value decoded from UTF-8 once, up to {@link #MAX_REMEMBERED} of them. */
    private static final class Strings implements Reader {
        private final int field;
        private final Map<UTF8String, String> seen = new HashMap<>();

        Strings(int field) {
            this.field = field;
        }

        @Override
        public Object read(InternalRow row) {
            if (row.isNullAt(field)) return null;
            UTF8String utf8 = row.getUTF8String(field);
            if (seen.size() >= MAX_REMEMBERED) return utf8.toString();
            String s = seen.get(utf8);
            if (s == null) {
                s = utf8.toString();
                // A copy as the key: the row's bytes may be a reused buffer of the reader's.
                seen.put(utf8.clone(), s);
            }
            return s;
        }
    }
}
