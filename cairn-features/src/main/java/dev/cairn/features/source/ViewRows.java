package dev.cairn.features.source;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.DataSource;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Feature;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A view's source rows as the feature store computes with them, in one relation: the join keys ({@code __cairn_k0},
 * ...), the event time ({@code __cairn_time}, TIMESTAMP in UTC), the created time ({@code __cairn_created}, null
 * without one), the row's position in the source ({@code __cairn_order}, from 1) and each wanted feature's input
 * ({@code __cairn_f0}, ...: the column or expression; for an aggregation, what it aggregates). Training sets and
 * materialization both start from it, so a feature means the same offline and online.
 *
 * <p>The relation is a DuckDB view over the loaded source, not a copy, its position taken from the storage
 * ({@link RowPosition}); only a source numbered with a window is copied.
 *
 * @param table      the relation's name (a view, or a table)
 * @param keyColumns the source's join key columns, in order (with their types)
 * @param features   the features, in the order of their {@code __cairn_f} columns
 */
public record ViewRows(String table, List<Column> keyColumns, List<Feature> features) {
    public static final String TIME = "__cairn_time";
    public static final String CREATED = "__cairn_created";
    public static final String ORDER = "__cairn_order";

    public static String key(int i) {
        return "__cairn_k" + i;
    }

    public static String feature(int i) {
        return "__cairn_f" + i;
    }

    /**
     * Creates {@code table} from the loaded source {@code relation} with {@code columns}. Every column the view names
     * must be there, every expression must run on it, and every row must have a readable event time; else the error
     * names the view's field and the value.
     */
    public static ViewRows create(Connection connection, String relation, DataSource source, List<Column> columns,
                                  Catalog.Selection selection, String table) throws SQLException {
        String viewField = "feature_views." + selection.view().name();
        String sourceName = selection.source().name();
        List<Column> keys = new ArrayList<>();
        List<String> select = new ArrayList<>();
        List<String> joinKeys = selection.joinKeys();
        for (int i = 0; i < joinKeys.size(); i++) {
            Column c = column(columns, joinKeys.get(i), viewField + ".entities", "join key of entity '" + owner(selection, joinKeys.get(i))
                    + "'", sourceName);
            keys.add(c);
            select.add(c.sql() + " AS " + key(i));
        }
        String sourceField = "sources." + sourceName;
        Column event = column(columns, selection.source().eventTimestamp(), sourceField + ".event_timestamp", "event timestamp", sourceName);
        select.add(EventTime.sql(event, "", sourceField + ".event_timestamp") + " AS " + TIME);
        if (selection.source().createdTimestamp() != null) {
            Column created = column(columns, selection.source().createdTimestamp(), sourceField + ".created_timestamp", "created timestamp",
                    sourceName);
            select.add(EventTime.sql(created, "", sourceField + ".created_timestamp") + " AS " + CREATED);
        } else {
            select.add("CAST(NULL AS TIMESTAMP) AS " + CREATED);
        }
        RowPosition position = RowPosition.of(connection, relation, source);
        select.add(position.order() + " AS " + ORDER);
        List<Feature> features = selection.features();
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            String field = viewField + ".features." + f.name();
            String input = switch (f) {
                case Feature.Column c -> column(columns, c.column(), field + ".column", "column of feature '" + f.name() + "'", sourceName).sql();
                case Feature.Expression e -> expression(connection, relation, e.sql(), field + ".sql", sourceName);
                case Feature.Aggregate a -> a.column() != null
                        ? column(columns, a.column(), field + ".column", "column of feature '" + f.name() + "'", sourceName).sql()
                        : a.sql() != null ? expression(connection, relation, a.sql(), field + ".sql", sourceName) : "1";
            };
            select.add(input + " AS " + feature(i));
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE " + (position.window() ? "TABLE " : "VIEW ") + table + " AS SELECT " + String.join(", ", select) + " FROM "
                    + position.from());
            // A view computes its expressions when read: run them all once here, so that an expression failing on some
            // row (a cast) is refused as the view's error, naming it, as when the rows were copied.
            List<String> computed = new ArrayList<>();
            for (int i = 0; i < features.size(); i++) if (!(features.get(i) instanceof Feature.Column)) computed.add("count(" + feature(i) + ")");
            if (!position.window() && !computed.isEmpty()) {
                // count(x) needs each x, so each expression runs on each row (count(*) would let DuckDB skip them).
                s.executeQuery("SELECT " + String.join(", ", computed) + " FROM " + table).close();
            }
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot compute feature view '" + selection.view().name()
                    + "' from source '" + sourceName + "': " + firstLine(e.getMessage()), Map.of("field", viewField), e);
        }
        EventTime.requireReadable(connection, table, event, TIME, ORDER, "rows of source '" + sourceName + "'",
                sourceField + ".event_timestamp", null);
        return new ViewRows(table, List.copyOf(keys), List.copyOf(features));
    }

    /** The same rows under another relation's name (one that recasts the join keys, say). */
    public ViewRows withTable(String name) {
        return new ViewRows(name, keyColumns, features);
    }

    private static String owner(Catalog.Selection selection, String key) {
        return selection.entities().stream().filter(e -> e.joinKeys().contains(key)).map(e -> e.name()).findFirst().orElse("?");
    }

    private static Column column(List<Column> columns, String name, String field, String what, String source) {
        for (Column c : columns) if (c.name().equals(name)) return c;
        throw CairnException.invalid(field, name, "a column of source '" + source + "' (the " + what + "); its columns are "
                + columns.stream().map(Column::name).collect(Collectors.joining(", ")));
    }

    /** The expression in parentheses, once it ran on the source (so an error names the feature, not a query). */
    private static String expression(Connection connection, String relation, String sql, String field, String source) throws SQLException {
        String wrapped = "(" + sql + ")";
        try (Statement s = connection.createStatement()) {
            s.executeQuery("SELECT " + wrapped + " FROM " + relation + " LIMIT 0").close();
        } catch (SQLException e) {
            throw CairnException.invalid(field, sql, "a DuckDB SQL expression over the columns of source '" + source + "' ("
                    + firstLine(e.getMessage()).replaceAll("\\s*LINE \\d+:.*", "") + ")");
        }
        return wrapped;
    }

    static String firstLine(String message) {
        if (message == null) return "unknown error";
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
