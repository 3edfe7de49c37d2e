package dev.cairn.train.data;

import dev.cairn.core.schema.FieldType;

/**
 * One column of a {@link Frame}: numbers (NaN when missing) or strings (null when missing).
 * Arrays are owned by the column and never handed out for writing.
 */
public sealed interface Column permits Column.Numeric, Column.Text {

    String name();

    FieldType type();

    int size();

    boolean isMissing(int row);

    /** The value as a row map would hold it: Double/Long, String, or null when missing. */
    Object value(int row);

    /** A new column holding the given rows, in that order. */
    Column select(int[] rows);

    /** A numeric column; {@code type} is INTEGER, DOUBLE, BOOLEAN (0/1) or TIMESTAMP (epoch ms). */
    record Numeric(String name, FieldType type, double[] values) implements Column {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public boolean isMissing(int row) {
            return Double.isNaN(values[row]);
        }

        public double get(int row) {
            return values[row];
        }

        @Override
        public Object value(int row) {
            double v = values[row];
            if (Double.isNaN(v)) return null;
            return switch (type) {
                case INTEGER, TIMESTAMP -> (long) v;
                case BOOLEAN -> v != 0;
                default -> v;
            };
        }

        @Override
        public Column select(int[] rows) {
            double[] out = new double[rows.length];
            for (int i = 0; i < rows.length; i++) out[i] = values[rows[i]];
            return new Numeric(name, type, out);
        }
    }

    /** A string column, categorical for training. */
    record Text(String name, String[] values) implements Column {
        @Override
        public FieldType type() {
            return FieldType.STRING;
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public boolean isMissing(int row) {
            return values[row] == null;
        }

        public String get(int row) {
            return values[row];
        }

        @Override
        public Object value(int row) {
            return values[row];
        }

        @Override
        public Column select(int[] rows) {
            String[] out = new String[rows.length];
            for (int i = 0; i < rows.length; i++) out[i] = values[rows[i]];
            return new Text(name, out);
        }
    }
}
