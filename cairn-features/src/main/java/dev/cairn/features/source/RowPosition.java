package dev.cairn.features.source;

import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileFormat;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where a loaded source's rows are read from ({@code from}) and the SQL of each row's position in the source, from 1
 * to the row count without a gap ({@code order}; a training set's ASOF key takes the count as the greatest position). The position comes from the storage when it can: a Parquet file's row number (the loaded relation
 * is a view over the file, and the number is only seen reading the file directly), or the row id of the table a CSV,
 * JSON-lines or JDBC source was loaded into (loaded in the source's order). Only another relation is numbered with a
 * window ({@code window}: the rows must then be copied once, as a window over a view would run at each read). Numbering
 * 10M rows with a window and copying them cost about as much as the point-in-time join itself (bench/features).
 */
public record RowPosition(String from, String order, boolean window) {

    public static RowPosition of(Connection connection, String relation, DataSource source) throws SQLException {
        boolean table = isTable(connection, relation);
        if (!table && source instanceof FileSource f && f.format() == FileFormat.PARQUET) {
            return new RowPosition("read_parquet(" + Sql.literal(f.path().toString()) + ")", "(file_row_number + 1)", false);
        }
        if (table) return new RowPosition(relation, "(rowid + 1)", false);
        return new RowPosition(relation, "row_number() OVER ()", true);
    }

    private static boolean isTable(Connection connection, String relation) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary")) {
            s.setString(1, relation);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }
}
