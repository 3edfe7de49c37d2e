package dev.cairn.train.data;

import dev.cairn.core.schema.FieldType;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a CSV, Parquet or JSON-lines file into a {@link Frame} through cairn-data's reader, so
 * training sees the same columns and types that profiling and validation see. Numeric, boolean and
 * temporal columns become numbers; everything else is text. Malformed CSV lines are refused
 * rather than skipped: a model must not silently train on fewer rows than its data holds.
 */
public final class FrameReader {
    private FrameReader() {}

    public static Frame read(Path path) {
        try (LoadedTable table = DataReader.open(FileSource.of(path));
             Statement st = table.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table.relation())) {
            table.requireWellFormed("data");
            return toFrame(rs);
        } catch (SQLException e) {
            throw DataReader.queryError(FileSource.of(path), "read", e);
        }
    }

    private static Frame toFrame(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        FieldType[] types = new FieldType[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = meta.getColumnLabel(i + 1);
            types[i] = typeOf(meta.getColumnTypeName(i + 1));
        }
        List<List<Object>> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) cells.add(new ArrayList<>());
        while (rs.next()) {
            for (int i = 0; i < n; i++) {
                Object v = rs.getObject(i + 1);
                cells.get(i).add(v);
            }
        }
        List<Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Object> values = cells.get(i);
            if (types[i] == FieldType.STRING) {
                String[] out = new String[values.size()];
                for (int r = 0; r < out.length; r++) out[r] = values.get(r) == null ? null : values.get(r).toString();
                columns.add(new Column.Text(names[i], out));
            } else {
                double[] out = new double[values.size()];
                for (int r = 0; r < out.length; r++) out[r] = toDouble(values.get(r));
                columns.add(new Column.Numeric(names[i], types[i], out));
            }
        }
        return new Frame(columns);
    }

    private static FieldType typeOf(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.equals("BOOLEAN")) return FieldType.BOOLEAN;
        if (t.startsWith("INTERVAL")) return FieldType.STRING;
        if (t.contains("INT")) return FieldType.INTEGER;
        if (t.equals("DOUBLE") || t.equals("FLOAT") || t.equals("REAL") || t.startsWith("DECIMAL")) return FieldType.DOUBLE;
        if (t.startsWith("TIMESTAMP") || t.equals("DATE")) return FieldType.TIMESTAMP;
        return FieldType.STRING;
    }

    private static double toDouble(Object v) {
        return switch (v) {
            case null -> Double.NaN;
            case Number num -> num.doubleValue();
            case Boolean b -> b ? 1 : 0;
            case Timestamp ts -> ts.getTime();
            case java.sql.Date d -> d.toLocalDate().toEpochDay() * 86_400_000L;
            case java.time.LocalDate d -> d.toEpochDay() * 86_400_000L;
            case java.time.LocalDateTime d -> d.toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            case java.time.OffsetDateTime d -> d.toInstant().toEpochMilli();
            default -> Double.parseDouble(v.toString());
        };
    }
}
