package dev.cairn.runtime.preprocess;

import dev.cairn.core.error.CairnException;
import java.util.List;
import java.util.Map;

/** Columnar input: one accessor per field, chosen once per batch from the column's array type. */
final class ColumnRows implements RowSource {

    private interface Column {
        Object get(int row);
    }

    private final Column[] columns;
    private final int size;

    private ColumnRows(Column[] columns, int size) {
        this.columns = columns;
        this.size = size;
    }

    static ColumnRows of(Map<String, ?> data, List<String> fieldNames) {
        Column[] columns = new Column[fieldNames.size()];
        int size = -1;
        String sizeFrom = null;
        for (Map.Entry<String, ?> e : data.entrySet()) {
            int n = length(e.getKey(), e.getValue());
            if (size >= 0 && n != size) {
                throw CairnException.invalid(e.getKey(), n + " values",
                        size + " values, as many as column '" + sizeFrom + "' has");
            }
            size = n;
            sizeFrom = e.getKey();
        }
        for (int i = 0; i < columns.length; i++) {
            Object column = data.get(fieldNames.get(i));
            columns[i] = column == null ? null : accessor(column);
        }
        return new ColumnRows(columns, Math.max(size, 0));
    }

    private static int length(String name, Object column) {
        if (column instanceof List<?> l) return l.size();
        if (column != null && column.getClass().isArray()) return java.lang.reflect.Array.getLength(column);
        throw CairnException.invalid(name, column == null ? null : column.getClass().getSimpleName(),
                "an array or a list of values");
    }

    private static Column accessor(Object column) {
        return switch (column) {
            case double[] a -> row -> a[row];
            case float[] a -> row -> a[row];
            case long[] a -> row -> a[row];
            case int[] a -> row -> a[row];
            case boolean[] a -> row -> a[row];
            case short[] a -> row -> a[row];
            case byte[] a -> row -> a[row];
            case Object[] a -> row -> a[row];
            case List<?> l -> l::get;
            default -> throw new IllegalStateException("checked in length()");
        };
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean has(int row, int field) {
        return columns[field] != null;
    }

    @Override
    public Object get(int row, int field) {
        Column c = columns[field];
        return c == null ? null : c.get(row);
    }
}
