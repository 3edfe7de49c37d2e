package dev.cairn.monitor.window;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.Profiler;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Progress;
import dev.cairn.data.source.QuerySource;
import dev.cairn.data.source.Sql;
import dev.cairn.data.source.TableStorage;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.monitor.log.PredictionLogLayout;
import dev.cairn.monitor.multivariate.Multivariate;
import dev.cairn.monitor.performance.ScoreHistogram;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * Keeps a deployment's windows up to date from its prediction log, incrementally: only segments no
 * window has merged are read; their rows are grouped by model version and window, each group is
 * flattened and profiled once, and the result is merged into the window's stored state. Updates of one
 * deployment and window size are serialized by a file lock, so the server's scheduled update and a
 * {@code cairn monitor} command can run at the same time.
 */
public final class LogWindows {
    private static final Map<Path, ReentrantLock> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path logRoot;
    private final WindowStore store;
    private final BiFunction<String, String, MonitoredModel> models;

    /** What one update did. */
    public record Update(int segmentsRead, int windowsUpdated, long rowsAdded, List<String> versionsSkipped) {}

    /**
     * @param models loads a model (name, version) with its reference, as {@link dev.cairn.monitor.ReferenceLoader#load} does
     */
    public LogWindows(Path logRoot, WindowStore store, BiFunction<String, String, MonitoredModel> models) {
        this.logRoot = logRoot;
        this.store = store;
        this.models = models;
    }

    public WindowStore store() {
        return store;
    }

    public Update update(String deployment, WindowSize size, Progress progress) {
        Path lockFile = store.directory(deployment, size).resolve(".lock").toAbsolutePath().normalize();
        // A file lock excludes other processes; threads of this one (the server's loop and a request) queue on a
        // lock of their own, since a JVM may hold a file lock only once.
        ReentrantLock local = LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return updateLocked(deployment, size, progress);
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot lock the monitoring state of '" + deployment + "': " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    private Update updateLocked(String deployment, WindowSize size, Progress progress) {
        Set<String> seen = store.seen(deployment, size);
        List<Path> plain = new ArrayList<>();
        List<Path> compacted = new ArrayList<>();
        for (Path f : PredictionLogLayout.files(logRoot, PredictionLogLayout.PREDICTIONS)) {
            if (PredictionLogLayout.isCompacted(f)) compacted.add(f);
            else if (!seen.contains(PredictionLogLayout.segmentId(f))) plain.add(f);
        }
        if (plain.isEmpty() && compacted.isEmpty()) return new Update(0, 0, 0, List.of());
        try (Connection c = Bookkeeping.connection()) {
            Set<String> columns = columns(c, plain, compacted);
            String requests = LogSql.requests(plain, compacted, seen, deployment, columns);
            // Which (model, version, window) each new segment has rows for.
            Map<Key, Set<String>> groups = new TreeMap<>();
            Set<String> segmentsRead = new LinkedHashSet<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT model, model_version, "
                    + size.startSql("time") + " AS ws, seg FROM " + requests + " GROUP BY ALL")) {
                while (r.next()) {
                    Key key = new Key(r.getString(1), r.getString(2), r.getLong(3));
                    groups.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(r.getString(4));
                    segmentsRead.add(r.getString(4));
                }
            }
            int windows = 0;
            long rows = 0;
            List<String> skipped = new ArrayList<>();
            int done = 0;
            for (Map.Entry<Key, Set<String>> g : groups.entrySet()) {
                Key key = g.getKey();
                progress.update("windows", done++, groups.size());
                WindowState existing = store.find(deployment, size, key.version(), key.start());
                Set<String> fresh = new LinkedHashSet<>(g.getValue());
                if (existing != null) fresh.removeAll(existing.segments());
                if (fresh.isEmpty()) continue;
                MonitoredModel model;
                try {
                    model = models.apply(key.model(), key.version());
                } catch (CairnException e) {
                    skipped.add(key.model() + "/" + key.version() + ": " + e.getMessage());
                    continue;
                }
                String window = "(SELECT * FROM " + requests + " WHERE model_version = " + Sql.literal(key.version())
                        + " AND " + size.startSql("time") + " = " + key.start() + " AND seg IN ("
                        + fresh.stream().map(Sql::literal).collect(Collectors.joining(", ")) + "))";
                WindowState part = compute(c, deployment, key, size, window, model, List.copyOf(fresh));
                WindowState merged = existing == null ? part : existing.merge(part);
                store.save(size, merged);
                windows++;
                rows += part.rows();
            }
            progress.update("windows", groups.size(), groups.size());
            // Plain files with no rows for this deployment are seen too: nothing in them will ever count here.
            Set<String> nowSeen = new LinkedHashSet<>(seen);
            for (Path f : plain) nowSeen.add(PredictionLogLayout.segmentId(f));
            nowSeen.addAll(segmentsRead);
            if (skipped.isEmpty()) store.saveSeen(deployment, size, nowSeen);
            return new Update(plain.size() + compacted.size(), windows, rows, skipped);
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read the prediction log " + logRoot + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    /**
     * One in-memory DuckDB for the queries that decide what an update reads (the files' columns, which segments hold
     * which windows, the requests counted): starting and closing a database per update was a tenth of a small update's
     * time. It holds no data; each update queries through a connection of its own.
     */
    private static final class Bookkeeping {
        private static final DuckDBConnection DATABASE = open();

        private static DuckDBConnection open() {
            try {
                return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            } catch (SQLException e) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot start DuckDB: " + e.getMessage(), e);
            }
        }

        static Connection connection() throws SQLException {
            return DATABASE.duplicate();
        }
    }

    private record Key(String model, String version, long start) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(start, o.start);
            if (c != 0) return c;
            c = String.valueOf(model).compareTo(String.valueOf(o.model));
            return c != 0 ? c : String.valueOf(version).compareTo(String.valueOf(o.version));
        }
    }

    private static Set<String> columns(Connection c, List<Path> plain, List<Path> compacted) throws SQLException {
        List<Path> all = new ArrayList<>(plain);
        all.addAll(compacted);
        Set<String> names = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM read_parquet("
                + LogSql.list(all) + ", union_by_name = true)")) {
            while (r.next()) names.add(r.getString("column_name"));
        }
        return names;
    }

    /** One group's part of a window: its rows flattened, profiled and checked, its refusals counted. */
    private WindowState compute(Connection c, String deployment, Key key, WindowSize size, String window,
                                MonitoredModel model, List<String> segments) throws SQLException {
        long requests = 0;
        long refused = 0;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT count(*) FILTER (WHERE error IS NULL), count(*) FILTER (WHERE error IS NOT NULL) FROM " + window)) {
            r.next();
            requests = r.getLong(1);
            refused = r.getLong(2);
        }
        Map<String, Long> refusedByField = new TreeMap<>();
        if (refused > 0) {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT f, count(*) FROM (SELECT DISTINCT request_id, "
                    + "unnest(from_json(error_fields, '[\"VARCHAR\"]')) AS f FROM " + window
                    + " WHERE error IS NOT NULL AND error_fields IS NOT NULL) GROUP BY f")) {
                while (r.next()) refusedByField.put(r.getString(1), r.getLong(2));
            }
        }
        String flat = LogSql.window(window, model);
        String withError = Multivariate.withError(model, flat, LogSql.RECONSTRUCTION);
        if (withError != null) flat = withError;
        List<String> profiled = new ArrayList<>(model.signature().inputNames());
        profiled.add(LogSql.SCORE);
        profiled.add(LogSql.LABEL);
        profiled.add(LogSql.LATENCY);
        if (withError != null) profiled.add(LogSql.RECONSTRUCTION);
        Map<String, FieldQuality> quality;
        ScoreHistogram bins = new ScoreHistogram();
        DatasetProfile profile;
        long rows;
        String describe = "prediction log of " + deployment + " (" + model.name() + " version "
                + key.version() + ", window from " + java.time.Instant.ofEpochMilli(key.start()) + ")";
        // In memory: the table lives only while the window is computed, and writing it compressed to a file was a sixth of
        // its flattening. DuckDB spills to the table's temporary directory beyond its memory limit.
        try (LoadedTable table = DataReader.open(new QuerySource(describe, flat), Progress.NONE, TableStorage.MEMORY);
             ExecutorService side = Executors.newSingleThreadExecutor(r -> {
                 Thread t = new Thread(r, "cairn-window-checks");
                 t.setDaemon(true);
                 return t;
             })) {
            // The quality counts and the score histogram meanwhile, on a connection of their own: the profile leaves
            // a core idle while its KLL updates run.
            Future<Map<String, FieldQuality>> checks = side.submit(() -> checks(table, model, bins));
            profile = Profiler.profile(table, profiled, Progress.NONE);
            rows = profile.rowCount();
            quality = await(checks);
        }
        return new WindowState(deployment, key.model(), key.version(), key.start(), size.end(java.time.Instant.ofEpochMilli(key.start())).toEpochMilli(),
                requests, refused, refusedByField, rows, quality, bins, profile, segments);
    }

    /** The inputs' quality counts of a window's table, and its scores added to {@code bins}. */
    private static Map<String, FieldQuality> checks(LoadedTable table, MonitoredModel model, ScoreHistogram bins) throws SQLException {
        try (Connection c = table.newConnection()) {
            Map<String, FieldQuality> quality;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(LogSql.quality(table.relation(), model))) {
                quality = LogSql.qualityCounts(r, model);
            }
            // Scores are read as they are: the histogram's own binning decides the bin, as it would for any reader.
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT " + LogSql.SCORE + " FROM "
                    + table.relation() + " WHERE " + LogSql.SCORE + " IS NOT NULL")) {
                while (r.next()) bins.add(r.getDouble(1));
            }
            return quality;
        }
    }

    private static <T> T await(Future<T> future) throws SQLException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Computing a window was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException se) throw se;
            if (cause instanceof RuntimeException re) throw re;
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Computing a window failed: " + cause, cause);
        }
    }
}
