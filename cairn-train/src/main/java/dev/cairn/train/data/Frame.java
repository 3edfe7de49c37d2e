package dev.cairn.train.data;

import dev.cairn.core.error.CairnException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory table of equally long columns, the unit that splits and trainers work on. */
public final class Frame {
    private final List<Column> columns;
    private final int rows;

    public Frame(List<Column> columns) {
        this.columns = List.copyOf(columns);
        this.rows = columns.isEmpty() ? 0 : columns.getFirst().size();
        for (Column c : columns) {
            if (c.size() != rows) {
                throw new IllegalArgumentException("column " + c.name() + " has " + c.size() + " rows, expected " + rows);
            }
        }
    }

    public int rowCount() {
        return rows;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    public boolean has(String name) {
        return columns.stream().anyMatch(c -> c.name().equals(name));
    }

    /** The named column, or INVALID_PARAMETER_VALUE naming {@code role} (e.g. "label") and the columns there are. */
    public Column column(String name, String role) {
        for (Column c : columns) {
            if (c.name().equals(name)) return c;
        }
        throw CairnException.invalid(role, name, "one of the data's columns " + names());
    }

    public Frame select(int[] rowIndexes) {
        return new Frame(columns.stream().map(c -> c.select(rowIndexes)).toList());
    }

    public Frame drop(Collection<String> names) {
        return new Frame(columns.stream().filter(c -> !names.contains(c.name())).toList());
    }

    /** One row as a map from column name to value (null when missing), the form a model is served with. */
    public Map<String, Object> row(int row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Column c : columns) out.put(c.name(), c.value(row));
        return out;
    }

    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) out.add(row(i));
        return out;
    }
}
