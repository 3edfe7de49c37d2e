package dev.cairn.features.offline;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Progress;
import dev.cairn.data.source.Sql;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Entity;
import dev.cairn.features.definition.Feature;
import dev.cairn.features.definition.FeatureService;
import dev.cairn.features.source.EventTime;
import dev.cairn.features.source.RowPosition;
import dev.cairn.features.source.SourceOpener;
import dev.cairn.features.source.ViewRows;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Builds point-in-time correct training sets on DuckDB. For every entity row (join keys and a time t, e.g. a label's
 * time) and every feature view of the service:
 * <ul>
 *   <li>a column or expression feature is the value of the entity's latest source row with event time at or before t
 *       (an ASOF join); a row older than the view's TTL (t - event time &gt; TTL) gives null; of two rows with the same
 *       event time, the one with the later created time wins, else the one later in the source;</li>
 *   <li>a window aggregation is over the entity's rows with event time in (t - window, t]: count and sum are 0 over
 *       no rows, mean, min and max null (when the source declares a created time, rows of one entity and event time
 *       count once, as the latest created).</li>
 * </ul>
 * No row after t is ever used. The output has the entity rows' columns, in their order, then the features in the
 * order the service names them.
 */
public final class TrainingSets {
    private static final String ENTITIES = "cairn_entities";
    private static final String ROW = "__cairn_row";
    private static final String TIME = "__cairn_entity_time";

    private final SourceOpener sources;

    public TrainingSets(SourceOpener sources) {
        this.sources = sources;
    }

    /**
     * Builds the training set of {@code serviceName} for the rows of {@code entities} (their time in
     * {@code timestampColumn}) into {@code output} (Parquet, written whole or not at all).
     */
    public TrainingSet build(Catalog catalog, String serviceName, DataSource entities, String timestampColumn, Path output,
                             Progress progress) {
        FeatureService service = catalog.service(serviceName);
        List<Catalog.Selection> selections = catalog.select(service);
        Map<String, Long> versions = versions(catalog, service, selections);
        Path target = output.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) throw CairnException.invalid("output", output.toString(), "a file path (.parquet), not a directory");
        Path temporary = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (LoadedTable table = DataReader.open(entities, progress)) {
            table.requireWellFormed("entities");
            Connection connection = table.connection();
            EventTime.useUtc(connection);
            List<String> outputFeatures = checkColumns(table.columns().stream().map(Column::name).toList(), table.source().describe(),
                    selections, timestampColumn);
            Column time = table.column(timestampColumn).orElseThrow();
            // A view over the entity rows, numbered by their storage (as a view's rows are: ViewRows).
            RowPosition position = RowPosition.of(connection, table.relation(), entities);
            execute(connection, "CREATE " + (position.window() ? "TABLE " : "VIEW ") + ENTITIES + " AS SELECT *, " + position.order() + " AS "
                    + ROW + ", " + EventTime.sql(time, "", "timestamp_column") + " AS " + TIME + " FROM " + position.from());
            EventTime.requireReadable(connection, ENTITIES, time, TIME, ROW, "entity rows of " + entities.describe(), "timestamp_column",
                    table::lineSql);

            // One statement joins the entity rows with every view and writes them, in their order: the entity rows carry
            // what each view is probed with (keys as the view holds them, the ASOF key), and each view's latest row is
            // an ASOF join of its own (no intermediate table of the joined values to write and join back by row).
            List<String> probeColumns = new ArrayList<>();
            List<String> joins = new ArrayList<>();
            Map<String, String> featureColumns = new LinkedHashMap<>();
            for (int i = 0; i < selections.size(); i++) {
                Catalog.Selection selection = selections.get(i);
                progress.update("features", i, selections.size());
                String relation = "cairn_view_source_" + i;
                DataSource source = sources.open(selection.source());
                List<Column> columns = DataReader.add(table, source, relation, progress);
                Probe probed = probe(connection, table, selection, ViewRows.create(connection, relation, source, columns, selection,
                        "cairn_view_rows_" + i), i);
                ViewRows rows = probed.rows();
                probeColumns.addAll(probed.columns());
                if (selection.features().stream().anyMatch(f -> !(f instanceof Feature.Aggregate))) {
                    joins.add(latest(connection, selection, rows, i, probeColumns, featureColumns));
                }
                if (selection.features().stream().anyMatch(f -> f instanceof Feature.Aggregate)) {
                    String windows = windows(connection, selection, rows, probed, i);
                    joins.add("LEFT JOIN " + windows + " ON " + windows + "." + ROW + " = e." + ROW);
                    for (int j = 0; j < rows.features().size(); j++) {
                        if (rows.features().get(j) instanceof Feature.Aggregate) {
                            featureColumns.put(rows.features().get(j).name(), windows + "." + ViewRows.feature(j));
                        }
                    }
                }
            }
            progress.update("features", selections.size(), selections.size());
            String select = outputFeatures.stream().map(f -> featureColumns.get(f) + " AS " + Sql.identifier(f))
                    .collect(Collectors.joining(", "));
            List<String> internal = new ArrayList<>(List.of(ROW, TIME));
            probeColumns.forEach(c -> internal.add(c.substring(c.lastIndexOf(" AS ") + 4)));
            String entityRows = probeColumns.isEmpty() ? ENTITIES : "(SELECT *, " + String.join(", ", probeColumns) + " FROM " + ENTITIES + ")";
            Files.createDirectories(target.getParent());
            execute(connection, "COPY (SELECT e.* EXCLUDE (" + String.join(", ", internal) + ")" + (select.isEmpty() ? "" : ", " + select)
                    + " FROM " + entityRows + " e " + String.join(" ", joins) + " ORDER BY e." + ROW + ") TO "
                    + Sql.literal(temporary.toString()) + " (FORMAT parquet)");
            long rowCount;
            try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + ENTITIES)) {
                r.next();
                rowCount = r.getLong(1);
            }
            String sha256 = Sha256.of(temporary, "output");
            move(temporary, target);
            return new TrainingSet(service.name(), target, sha256, rowCount, outputFeatures, versions);
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot build the training set of '" + serviceName + "': "
                    + firstLine(e.getMessage()), Map.of("service", serviceName), e);
        } catch (IOException e) {
            throw CairnException.invalid("output", output.toString(), "a file that can be written (" + e.getMessage() + ")");
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // A leftover temporary file beside the output is harmless and named as one.
            }
        }
    }

    /**
     * The features the training set adds, in order, once the entity rows (their {@code columns}; {@code entities}
     * describes them) have the time column and every join key and no feature has the name of one of their columns.
     * Every engine's training sets check the same.
     */
    public static List<String> checkColumns(List<String> columns, String entities, List<Catalog.Selection> selections,
                                            String timestampColumn) {
        String names = String.join(", ", columns);
        if (!columns.contains(timestampColumn)) {
            throw CairnException.invalid("timestamp_column", timestampColumn, "a column of the entity rows with each row's time (their "
                    + "columns are " + names + ")");
        }
        List<String> features = new ArrayList<>();
        for (Catalog.Selection selection : selections) {
            for (Entity entity : selection.entities()) {
                for (String key : entity.joinKeys()) {
                    if (!columns.contains(key)) {
                        throw CairnException.invalid("entities", entities, "entity rows with the column '" + key
                                + "' (join key of entity '" + entity.name() + "', used by feature view '" + selection.view().name()
                                + "'); their columns are " + names);
                    }
                }
            }
            for (Feature f : selection.features()) {
                if (columns.contains(f.name())) {
                    throw CairnException.invalid("entities", entities, "entity rows without a column named like the "
                            + "feature '" + f.name() + "' of feature view '" + selection.view().name() + "' (the training set adds it)");
                }
                features.add(f.name());
            }
        }
        return features;
    }

    /**
     * The entity rows' join keys as the view's rows hold them ({@code columns}: SQL over the entity rows, each ending in
     * AS its name): keys of the same type are compared as they are, numbers with numbers, anything else as text (a
     * CSV's 42 and a database's '42' are one customer); the view's rows then have their keys cast too.
     */
    private static Probe probe(Connection connection, LoadedTable table, Catalog.Selection selection, ViewRows rows, int i)
            throws SQLException {
        List<String> keyColumns = new ArrayList<>();
        List<String> castRows = new ArrayList<>();
        List<String> joinKeys = selection.joinKeys();
        boolean recast = false;
        for (int k = 0; k < joinKeys.size(); k++) {
            Column entity = table.column(joinKeys.get(k)).orElseThrow();
            Column source = rows.keyColumns().get(k);
            boolean same = entity.duckType().equalsIgnoreCase(source.duckType())
                    || entity.kind() == ColumnKind.NUMERIC && source.kind() == ColumnKind.NUMERIC;
            keyColumns.add((same ? entity.sql() : "CAST(" + entity.sql() + " AS VARCHAR)") + " AS " + probeKey(i, k));
            castRows.add(same ? ViewRows.key(k) : "CAST(" + ViewRows.key(k) + " AS VARCHAR) AS " + ViewRows.key(k));
            recast |= !same;
        }
        if (!recast) return new Probe(keyColumns, rows);
        String recastRows = rows.table() + "_as_text";
        execute(connection, "CREATE VIEW " + recastRows + " AS SELECT * REPLACE (" + castRows.stream()
                .filter(c -> c.startsWith("CAST")).collect(Collectors.joining(", ")) + ") FROM " + rows.table());
        return new Probe(keyColumns, rows.withTable(recastRows));
    }

    /** The entity rows' key {@code k} as view {@code i}'s rows hold it. */
    private static String probeKey(int i, int k) {
        return "__cairn_p" + i + "_k" + k;
    }

    /** What the entity rows are probed with (SQL over them, each ending in AS its name), and the view's rows to probe. */
    private record Probe(List<String> columns, ViewRows rows) {}

    private static final String SEQUENCE = "__cairn_sequence";

    /**
     * Column and expression features: the latest row at or before each entity row's time, within the TTL, as an ASOF
     * join (returned) of the entity rows ({@code e} in the final statement) with the view's rows; the entity side's
     * extra columns go to {@code probeColumns}, each feature's SQL to {@code featureColumns}.
     */
    private static String latest(Connection connection, Catalog.Selection selection, ViewRows rows, int i, List<String> probeColumns,
                                 Map<String, String> featureColumns) throws SQLException {
        String f = "cairn_latest_" + i;
        Duration ttl = selection.view().ttl();
        for (int j = 0; j < rows.features().size(); j++) {
            if (rows.features().get(j) instanceof Feature.Aggregate) continue;
            String value = f + "." + ViewRows.feature(j);
            featureColumns.put(rows.features().get(j).name(), ttl == null ? value
                    : "CASE WHEN " + f + "." + ViewRows.TIME + " >= e." + TIME + " - " + interval(ttl) + " THEN " + value + " END");
        }
        StringBuilder on = new StringBuilder();
        for (int k = 0; k < rows.keyColumns().size(); k++) {
            on.append(k == 0 ? "" : " AND ").append("e.").append(probeKey(i, k)).append(" = ").append(f).append(".").append(ViewRows.key(k));
        }
        if (selection.source().createdTimestamp() == null) {
            // Of two rows of an entity at one event time the later in the source wins: the join orders the rows by
            // (event time, row number) packed in one key (AsofKey), without a sort of the whole source to drop the others.
            AsofKey key = AsofKey.of(connection, rows);
            String sequence = "__cairn_p" + i + "_seq";
            probeColumns.add(key.entity(TIME) + " AS " + sequence);
            return "ASOF LEFT JOIN (SELECT *, " + key.source(ViewRows.TIME, ViewRows.ORDER) + " AS " + SEQUENCE + " FROM " + rows.table()
                    + ") " + f + " ON " + on + " AND e." + sequence + " >= " + f + "." + SEQUENCE;
        }
        // A created time decides first (later wins, unknown first), then the row number: one row per entity and event
        // time is kept before the join.
        String deduplicated = "cairn_view_latest_" + i;
        execute(connection, "CREATE TABLE " + deduplicated + " AS SELECT * FROM " + rows.table() + " QUALIFY row_number() OVER "
                + "(PARTITION BY " + keyList(rows, "") + ", " + ViewRows.TIME + " ORDER BY " + ViewRows.CREATED + " DESC NULLS LAST, "
                + ViewRows.ORDER + " DESC) = 1");
        return "ASOF LEFT JOIN " + deduplicated + " " + f + " ON " + on + " AND e." + TIME + " >= " + f + "." + ViewRows.TIME;
    }

    /** Window aggregations: over each entity row's rows with event time in (t - window, t]. */
    private static String windows(Connection connection, Catalog.Selection selection, ViewRows rows, Probe probe, int i)
            throws SQLException {
        String input = rows.table();
        if (selection.source().createdTimestamp() != null) {
            // A created time says rows of one entity and event time are versions of one row: the latest counts, once.
            input = "cairn_view_versions_" + i;
            execute(connection, "CREATE TABLE " + input + " AS SELECT * FROM " + rows.table() + " QUALIFY row_number() OVER "
                    + "(PARTITION BY " + keyList(rows, "") + ", " + ViewRows.TIME + " ORDER BY " + ViewRows.CREATED
                    + " DESC NULLS LAST, " + ViewRows.ORDER + " DESC) = 1");
        }
        Duration longest = Duration.ZERO;
        List<String> aggregates = new ArrayList<>();
        for (int j = 0; j < rows.features().size(); j++) {
            if (!(rows.features().get(j) instanceof Feature.Aggregate a)) continue;
            if (a.window().compareTo(longest) > 0) longest = a.window();
            aggregates.add(aggregate(a, "f." + ViewRows.feature(j), "f." + ViewRows.TIME + " > p." + TIME + " - " + interval(a.window()))
                    + " AS " + ViewRows.feature(j));
        }
        String result = "cairn_windows_" + i;
        StringBuilder on = new StringBuilder();
        for (int k = 0; k < rows.keyColumns().size(); k++) on.append("p.").append(probeKey(i, k)).append(" = f.").append(ViewRows.key(k)).append(" AND ");
        on.append("f.").append(ViewRows.TIME).append(" <= p.").append(TIME).append(" AND f.").append(ViewRows.TIME).append(" > p.").append(TIME)
                .append(" - ").append(interval(longest));
        execute(connection, "CREATE TEMP TABLE " + result + " AS SELECT p." + ROW + ", " + String.join(", ", aggregates) + " FROM (SELECT "
                + ROW + ", " + TIME + ", " + String.join(", ", probe.columns()) + " FROM " + ENTITIES + ") p LEFT JOIN " + input + " f ON "
                + on + " GROUP BY p." + ROW);
        return result;
    }

    /** One aggregation of {@code value} over the rows where {@code inWindow}; count and sum are 0 over no rows, the others null. */
    public static String aggregate(Feature.Aggregate a, String value, String inWindow) {
        String filter = " FILTER (WHERE " + inWindow + ")";
        return switch (a.function()) {
            case COUNT -> "count(" + value + ")" + filter;
            case SUM -> "coalesce(CAST(sum(" + value + ")" + filter + " AS DOUBLE), 0.0)";
            case MEAN -> "avg(" + value + ")" + filter;
            case MIN -> "min(" + value + ")" + filter;
            case MAX -> "max(" + value + ")" + filter;
        };
    }

    /** A duration as a DuckDB INTERVAL (exact, in microseconds). */
    public static String interval(Duration d) {
        return "to_microseconds(CAST(" + (d.getSeconds() * 1_000_000L + d.getNano() / 1_000) + " AS BIGINT))";
    }

    private static String keyList(ViewRows rows, String alias) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < rows.keyColumns().size(); k++) keys.add((alias.isEmpty() ? "" : alias + ".") + ViewRows.key(k));
        return String.join(", ", keys);
    }

    /** The version of every definition a training set is built from: the service first, then each view with its source and entities. */
    public static Map<String, Long> versions(Catalog catalog, FeatureService service, List<Catalog.Selection> selections) {
        Map<String, Long> versions = new LinkedHashMap<>();
        versions.put(service.name(), catalog.stored(service.name()).version());
        for (Catalog.Selection s : selections) {
            versions.put(s.view().name(), catalog.stored(s.view().name()).version());
            versions.put(s.source().name(), catalog.stored(s.source().name()).version());
            for (Entity e : s.entities()) versions.put(e.name(), catalog.stored(e.name()).version());
        }
        return versions;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) return "unknown error";
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
