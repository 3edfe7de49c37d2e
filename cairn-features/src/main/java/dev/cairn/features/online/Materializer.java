package dev.cairn.features.online;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Progress;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Entity;
import dev.cairn.features.definition.Feature;
import dev.cairn.features.definition.FeatureView;
import dev.cairn.features.offline.TrainingSets;
import dev.cairn.features.source.EventTime;
import dev.cairn.features.source.SourceOpener;
import dev.cairn.features.source.ViewRows;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes the latest values of each entity of a feature view into an online store, as of a time: for column and
 * expression features the entity's latest source row at or before it, for window aggregations the rows in
 * (as-of - window, as-of]. Incremental by event time: the view's {@link Watermark} in the store says up to which event
 * time rows were written, and the next run rewrites only the entities with rows after it, plus, for window
 * aggregations, the entities with rows that left a window since the last run's as-of time. So a run with no new rows
 * (and no row leaving a window) writes nothing. A view whose definition changed (or its source's or entities') is
 * rewritten whole, as is any view with {@code full}.
 *
 * <p>Rows that arrive late, with an event time at or before the watermark, are not seen by an incremental run (the
 * watermark is what makes it incremental); {@code full} picks them up.
 */
public final class Materializer {
    private static final int BATCH = 5_000;

    private final SourceOpener sources;

    public Materializer(SourceOpener sources) {
        this.sources = sources;
    }

    /** What one view's materialization did. */
    public record Result(String view, long written, boolean full, Watermark watermark) {}

    /** Materializes {@code viewName}, or every view when null, as of {@code asOf}. */
    public List<Result> materialize(Catalog catalog, OnlineStore store, String viewName, Instant asOf, boolean full, Progress progress) {
        List<FeatureView> views = viewName == null ? catalog.views() : List.of(catalog.view(viewName));
        if (views.isEmpty()) throw CairnException.invalid("view", null, "feature views in the registry (apply definitions first)");
        List<Result> results = new ArrayList<>();
        for (FeatureView view : views) results.add(materialize(catalog, store, catalog.select(view), asOf, full, progress));
        return results;
    }

    private Result materialize(Catalog catalog, OnlineStore store, Catalog.Selection selection, Instant asOf, boolean full,
                               Progress progress) {
        String view = selection.view().name();
        String fingerprint = fingerprint(catalog, selection);
        Optional<Watermark> previous = store.watermark(view);
        boolean rewrite = full || previous.isEmpty() || !previous.get().fingerprint().equals(fingerprint);
        if (!rewrite && asOf.isBefore(previous.get().asOf())) {
            throw CairnException.invalid("as_of", asOf.toString(), "a time at or after the last materialization of '" + view + "' ("
                    + previous.get().asOf() + "), or a full materialization");
        }
        try (LoadedTable table = DataReader.open(sources.open(selection.source()), progress)) {
            table.requireWellFormed("sources." + selection.source().name());
            Connection connection = table.connection();
            EventTime.useUtc(connection);
            ViewRows rows = ViewRows.create(connection, table.relation(), table.source(), table.columns(), selection, "cairn_view_rows");
            String at = timestamp(asOf);
            String keys = keys(rows, "");
            execute(connection, "CREATE TABLE cairn_affected AS SELECT DISTINCT " + keys + " FROM " + rows.table() + " r WHERE "
                    + notNull(rows) + " AND (" + (rewrite ? "r." + ViewRows.TIME + " <= " + at : changed(selection, previous.get(), at)) + ")");
            execute(connection, "CREATE TABLE cairn_latest AS SELECT r.* FROM " + rows.table() + " r JOIN cairn_affected a ON "
                    + on(rows, "a", "r") + " WHERE r." + ViewRows.TIME + " <= " + at + " QUALIFY row_number() OVER (PARTITION BY "
                    + keys(rows, "r") + " ORDER BY r." + ViewRows.TIME + " DESC, r." + ViewRows.CREATED + " DESC NULLS LAST, r."
                    + ViewRows.ORDER + " DESC) = 1");
            boolean windows = selection.view().hasAggregates();
            if (windows) aggregate(connection, selection, rows, at);
            Instant eventTime = latestEventTime(connection, rows, at).orElse(previous.filter(p -> !rewrite).map(Watermark::eventTime).orElse(null));

            List<String> columns = new ArrayList<>();
            for (int j = 0; j < rows.features().size(); j++) {
                columns.add((rows.features().get(j) instanceof Feature.Aggregate ? "g." : "l.") + ViewRows.feature(j));
            }
            String select = "SELECT " + keys(rows, "a") + ", epoch_us(l." + ViewRows.TIME + ")" + (columns.isEmpty() ? "" : ", " + String.join(", ", columns))
                    + " FROM cairn_affected a JOIN cairn_latest l ON " + on(rows, "a", "l")
                    + (windows ? " LEFT JOIN cairn_windows g ON " + on(rows, "a", "g") : "") + " ORDER BY " + keys(rows, "a");
            if (rewrite) store.clear(view);
            long written = write(connection, store, selection, rows, select, progress);
            Watermark watermark = new Watermark(view, fingerprint, eventTime, asOf);
            store.setWatermark(watermark);
            return new Result(view, written, rewrite, watermark);
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot materialize feature view '" + view + "': " + e.getMessage(),
                    Map.of("view", view), e);
        }
    }

    /**
     * The rows whose entities need a new record: rows after the watermark (up to as-of) and, per window, rows that
     * were inside it at the last run's as-of time and are not at this one.
     */
    private static String changed(Catalog.Selection selection, Watermark previous, String at) {
        String time = "r." + ViewRows.TIME;
        List<String> conditions = new ArrayList<>();
        conditions.add((previous.eventTime() == null ? "TRUE" : time + " > " + timestamp(previous.eventTime())) + " AND " + time + " <= " + at);
        TreeSet<Duration> windows = new TreeSet<>();
        for (Feature f : selection.view().features()) if (f instanceof Feature.Aggregate a) windows.add(a.window());
        String before = timestamp(previous.asOf());
        for (Duration w : windows) {
            conditions.add(time + " > " + before + " - " + TrainingSets.interval(w) + " AND " + time + " <= " + at + " - "
                    + TrainingSets.interval(w));
        }
        return "(" + String.join(") OR (", conditions) + ")";
    }

    /** The window aggregations of the affected entities as of {@code at}, as the training set computes them. */
    private static void aggregate(Connection connection, Catalog.Selection selection, ViewRows rows, String at) throws SQLException {
        String input = rows.table();
        if (selection.source().createdTimestamp() != null) {
            input = "cairn_view_versions";
            execute(connection, "CREATE TABLE " + input + " AS SELECT * FROM " + rows.table() + " QUALIFY row_number() OVER (PARTITION BY "
                    + keys(rows, "") + ", " + ViewRows.TIME + " ORDER BY " + ViewRows.CREATED + " DESC NULLS LAST, " + ViewRows.ORDER
                    + " DESC) = 1");
        }
        Duration longest = Duration.ZERO;
        List<String> aggregates = new ArrayList<>();
        for (int j = 0; j < rows.features().size(); j++) {
            if (!(rows.features().get(j) instanceof Feature.Aggregate a)) continue;
            if (a.window().compareTo(longest) > 0) longest = a.window();
            aggregates.add(TrainingSets.aggregate(a, "r." + ViewRows.feature(j), "r." + ViewRows.TIME + " > " + at + " - "
                    + TrainingSets.interval(a.window())) + " AS " + ViewRows.feature(j));
        }
        execute(connection, "CREATE TABLE cairn_windows AS SELECT " + keys(rows, "a") + ", " + String.join(", ", aggregates)
                + " FROM cairn_affected a LEFT JOIN " + input + " r ON " + on(rows, "a", "r") + " AND r." + ViewRows.TIME + " <= " + at
                + " AND r." + ViewRows.TIME + " > " + at + " - " + TrainingSets.interval(longest) + " GROUP BY " + keys(rows, "a"));
    }

    private static long write(Connection connection, OnlineStore store, Catalog.Selection selection, ViewRows rows, String select,
                              Progress progress) throws SQLException {
        String view = selection.view().name();
        int keyCount = rows.keyColumns().size();
        long total;
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM cairn_affected")) {
            r.next();
            total = r.getLong(1);
        }
        long written = 0;
        List<OnlineRecord> batch = new ArrayList<>(BATCH);
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(select)) {
            while (r.next()) {
                List<Object> key = new ArrayList<>(keyCount);
                for (int k = 1; k <= keyCount; k++) key.add(r.getObject(k));
                Map<String, Object> values = new LinkedHashMap<>();
                for (int j = 0; j < rows.features().size(); j++) values.put(rows.features().get(j).name(), r.getObject(keyCount + 2 + j));
                batch.add(new OnlineRecord(EntityKey.of(key), OnlineJson.instant(r.getLong(keyCount + 1)), values));
                if (batch.size() == BATCH) {
                    store.put(view, batch);
                    written += batch.size();
                    batch.clear();
                    progress.update("materialize " + view, written, total);
                }
            }
        }
        if (!batch.isEmpty()) store.put(view, batch);
        written += batch.size();
        progress.update("materialize " + view, written, total);
        return written;
    }

    private static Optional<Instant> latestEventTime(Connection connection, ViewRows rows, String at) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT epoch_us(max(" + ViewRows.TIME + ")) FROM " + rows.table() + " WHERE " + ViewRows.TIME
                     + " <= " + at)) {
            r.next();
            long micros = r.getLong(1);
            return r.wasNull() ? Optional.empty() : Optional.of(OnlineJson.instant(micros));
        }
    }

    /** The definitions a view's records are computed from: its own, its source's and its entities' versions. */
    static String fingerprint(Catalog catalog, Catalog.Selection selection) {
        StringBuilder text = new StringBuilder(catalog.stored(selection.view().name()).sha256())
                .append('\n').append(catalog.stored(selection.source().name()).sha256());
        for (Entity e : selection.entities()) text.append('\n').append(catalog.stored(e.name()).sha256());
        return Sha256.of(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String timestamp(Instant t) {
        return "make_timestamp(CAST(" + OnlineJson.micros(t) + " AS BIGINT))";
    }

    private static String keys(ViewRows rows, String alias) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < rows.keyColumns().size(); k++) keys.add((alias.isEmpty() ? "" : alias + ".") + ViewRows.key(k));
        return String.join(", ", keys);
    }

    private static String notNull(ViewRows rows) {
        List<String> conditions = new ArrayList<>();
        for (int k = 0; k < rows.keyColumns().size(); k++) conditions.add("r." + ViewRows.key(k) + " IS NOT NULL");
        return String.join(" AND ", conditions);
    }

    private static String on(ViewRows rows, String left, String right) {
        List<String> on = new ArrayList<>();
        for (int k = 0; k < rows.keyColumns().size(); k++) on.add(left + "." + ViewRows.key(k) + " = " + right + "." + ViewRows.key(k));
        return String.join(" AND ", on);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
