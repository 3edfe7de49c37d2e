package dev.cairn.runtime.preprocess;

import java.util.List;
import java.util.Map;

/**
 * Input rows as the encoder reads them, by row index and input field index, whether they come as
 * maps (one per row) or as columns (one array per field). Index-based so that name lookups are
 * done once per batch, not per value.
 */
public interface RowSource {

    int size();

    /** Whether the row has the field at all (a key or a column), as opposed to holding null. */
    boolean has(int row, int field);

    Object get(int row, int field);

    /** Rows as maps, read by the given field names. */
    static RowSource ofMaps(List<? extends Map<String, ?>> rows, List<String> fieldNames) {
        String[] names = fieldNames.toArray(String[]::new);
        return new RowSource() {
            @Override
            public int size() {
                return rows.size();
            }

            @Override
            public boolean has(int row, int field) {
                Map<String, ?> r = rows.get(row);
                return r.get(names[field]) != null || r.containsKey(names[field]);
            }

            @Override
            public Object get(int row, int field) {
                return rows.get(row).get(names[field]);
            }
        };
    }

    /** One row as a map. */
    static RowSource ofMap(Map<String, ?> row, List<String> fieldNames) {
        return ofMap(row, fieldNames.toArray(String[]::new));
    }

    /** One row as a map, read by field names given as an array (shared, not copied: callers keep it unchanged). */
    static RowSource ofMap(Map<String, ?> row, String[] names) {
        return new RowSource() {
            @Override
            public int size() {
                return 1;
            }

            @Override
            public boolean has(int r, int field) {
                return row.get(names[field]) != null || row.containsKey(names[field]);
            }

            @Override
            public Object get(int r, int field) {
                return row.get(names[field]);
            }
        };
    }

    /**
     * Columns by field name, each an array ({@code double[]}, {@code float[]}, {@code long[]},
     * {@code int[]}, {@code boolean[]}, {@code Object[]} or any subtype like {@code String[]}) or a
     * {@link List}; all of the same length. A field without a column is missing in every row.
     */
    static RowSource ofColumns(Map<String, ?> columns, List<String> fieldNames) {
        return ColumnRows.of(columns, fieldNames);
    }
}
