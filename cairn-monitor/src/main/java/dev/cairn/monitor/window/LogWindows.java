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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * window has merged are read; their rows are grouped by model version and window, a version's windows are
 * flattened together once and each profiled from its own rows, and the result is merged into the window's stored state. Updates of one
 * deployment and window size are serialized by a file lock, so the server's scheduled update and a
 * {@code cairn monitor} command can run at the same time.
 */
public final class LogWindows {
    private static final Map<Path, ReentrantLock> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path logRoot;
    private final WindowStore store;
    private final BiFunction<String, String, MonitoredModel> models;
    private final boolean batched;

    /** What one update did. */
    public record Update(int segmentsRead, int windowsUpdated, long rowsAdded, List<String> versionsSkipped) {}

    /**
     * @param models loads a model (name, version) with its reference, as {@link dev.cairn.monitor.ReferenceLoader#load} does
     */
    public LogWindows(Path logRoot, WindowStore store, BiFunction<String, String, MonitoredModel> models) {
        this(logRoot, store, models, true);
    }

    /** With {@code batched} false, each window is computed alone, as before windows were batched (for tests comparing the two). */
    LogWindows(Path logRoot, WindowStore store, BiFunction<String, String, MonitoredModel> models, boolean batched) {
        this.logRoot = logRoot;
        this.store = store;
        this.models = models;
        this.batched = batched;
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
            // Which (model, version, window) each new segment has rows for, in order: a window's list of segments is stored.
            Map<Key, Set<String>> groups = new TreeMap<>();
            Set<String> segmentsRead = new LinkedHashSet<>();
            // With each group's requests answered and refused: a window's counts are sums of its groups' (a scan of the
            // log fewer than counting each window's requests again).
            List<GroupCount> groupCounts = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT model, model_version, "
                    + size.startSql("time") + " AS ws, seg, count(*) FILTER (WHERE error IS NULL), count(*) FILTER (WHERE error IS NOT NULL) FROM "
                    + requests + " GROUP BY ALL ORDER BY ALL")) {
                while (r.next()) {
                    long start = r.getLong(3);
                    boolean noTime = r.wasNull();
                    Key key = new Key(r.getString(1), r.getString(2), start);
                    groups.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(r.getString(4));
                    segmentsRead.add(r.getString(4));
                    if (!noTime) groupCounts.add(new GroupCount(r.getString(2), start, r.getString(4), r.getLong(5), r.getLong(6)));
                }
            }
            int windows = 0;
            long rows = 0;
            List<String> skipped = new ArrayList<>();
            int done = 0;
            // The windows to compute, each with the segments it has not merged, by model version: a version's windows are
            // computed together (one flattening, one database), which spared each of many small windows (hours over days)
            // a database and a flattening of its own.
            Map<Key, WindowState> existing = new TreeMap<>();
            Map<Key, List<String>> fresh = new TreeMap<>();
            Map<String, MonitoredModel> loaded = new HashMap<>();
            Map<String, String> failed = new HashMap<>();
            for (Map.Entry<Key, Set<String>> g : groups.entrySet()) {
                Key key = g.getKey();
                WindowState stored = store.find(deployment, size, key.version(), key.start());
                Set<String> segments = new LinkedHashSet<>(g.getValue());
                if (stored != null) segments.removeAll(stored.segments());
                if (segments.isEmpty()) continue;
                String modelKey = key.model() + "\u0000" + key.version();
                if (!loaded.containsKey(modelKey) && !failed.containsKey(modelKey)) {
                    try {
                        loaded.put(modelKey, models.apply(key.model(), key.version()));
                    } catch (CairnException e) {
                        failed.put(modelKey, e.getMessage());
                    }
                }
                if (failed.containsKey(modelKey)) {
                    skipped.add(key.model() + "/" + key.version() + ": " + failed.get(modelKey));
                    continue;
                }
                if (stored != null) existing.put(key, stored);
                fresh.put(key, List.copyOf(segments));
            }
            Map<String, Map<Key, List<String>>> byModel = new LinkedHashMap<>();
            for (Map.Entry<Key, List<String>> f : fresh.entrySet()) {
                byModel.computeIfAbsent(f.getKey().model() + "\u0000" + f.getKey().version(), k -> new LinkedHashMap<>())
                        .put(f.getKey(), f.getValue());
            }
            for (Map.Entry<String, Map<Key, List<String>>> m : byModel.entrySet()) {
                MonitoredModel model = loaded.get(m.getKey());
                Map<Key, WindowState> parts = computeAll(c, deployment, size, requests, model, m.getValue(), batched, groupCounts);
                for (Map.Entry<Key, WindowState> p : parts.entrySet()) {
                    progress.update("windows", done++, groups.size());
                    WindowState stored = existing.get(p.getKey());
                    store.save(size, stored == null ? p.getValue() : stored.merge(p.getValue()));
                    windows++;
                    rows += p.getValue().rows();
                }
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

    /**
     * The parts of windows {@code fresh} (each window of one model version, with the segments it has not merged) from
     * the log's {@code requests}: their rows flattened, profiled and checked, their refusals counted. Several windows
     * share one flattening into one table, each profiled from its own rows of it: the same rows in the same order as
     * a window flattened alone, so the same state.
     */
    private Map<Key, WindowState> computeAll(Connection c, String deployment, WindowSize size, String requests, MonitoredModel model,
                                             Map<Key, List<String>> fresh, boolean batch, List<GroupCount> groupCounts) throws SQLException {
        Map<Key, WindowState> parts = new LinkedHashMap<>();
        // In memory: the table lives only while the windows are computed, and writing it compressed to a file was a sixth
        // of its flattening. DuckDB spills to the table's temporary directory beyond its memory limit.
        if (!batch || fresh.size() == 1) {
            for (Map.Entry<Key, List<String>> f : fresh.entrySet()) {
                Key key = f.getKey();
                String window = "(SELECT * FROM " + requests + " WHERE " + filter(size, key, f.getValue()) + ")";
                Counts counts = counts(c, window, null, Map.of(0L, f.getValue()), key.version(), Map.of(0L, key.start()), groupCounts)
                        .getOrDefault(0L, new Counts());
                try (LoadedTable table = DataReader.open(new QuerySource(describe(deployment, model, key), flat(window, model, List.of())),
                        Progress.NONE, TableStorage.MEMORY)) {
                    parts.put(key, profile(table, deployment, size, key, model, counts, f.getValue()));
                }
            }
            return parts;
        }
        Key first = fresh.keySet().iterator().next();
        // Each request's window computed once, then compared with each window's start (a window's own filter would compute
        // it once per window).
        String window = "(SELECT * FROM (SELECT *, " + size.startSql("time") + " AS " + WINDOW + " FROM " + requests
                + " WHERE model_version = " + Sql.literal(first.version()) + ") WHERE " + fresh.entrySet().stream()
                .map(f -> "(" + WINDOW + " = " + f.getKey().start() + " AND seg IN (" + f.getValue().stream().map(Sql::literal)
                        .collect(Collectors.joining(", ")) + "))").collect(Collectors.joining(" OR ")) + ")";
        Map<Long, List<String>> segmentsByStart = new LinkedHashMap<>();
        Map<Long, Long> starts = new LinkedHashMap<>();
        for (Map.Entry<Key, List<String>> f : fresh.entrySet()) {
            segmentsByStart.put(f.getKey().start(), f.getValue());
            starts.put(f.getKey().start(), f.getKey().start());
        }
        Map<Long, Counts> counts = counts(c, window, WINDOW, segmentsByStart, first.version(), starts, groupCounts);
        String describe = "prediction log of " + deployment + " (" + model.name() + " version " + first.version() + ", "
                + fresh.size() + " windows)";
        try (LoadedTable table = DataReader.open(new QuerySource(describe, flat(window, model, List.of(WINDOW))), Progress.NONE,
                TableStorage.MEMORY)) {
            int n = 0;
            for (Map.Entry<Key, List<String>> f : fresh.entrySet()) {
                Key key = f.getKey();
                // A view of the window's rows: the table holds the windows in the log's order, so a window's rows are read in
                // the order a table of its own would hold them.
                String view = "cairn_window_" + n++;
                try (Statement s = table.connection().createStatement()) {
                    s.execute("CREATE VIEW " + view + " AS SELECT * EXCLUDE (" + WINDOW + ") FROM " + table.relation() + " WHERE "
                            + WINDOW + " = " + key.start());
                }
                try (LoadedTable part = DataReader.part(table, view, new QuerySource(describe(deployment, model, key), "SELECT * FROM " + view))) {
                    parts.put(key, profile(part, deployment, size, key, model, counts.getOrDefault(key.start(), new Counts()), f.getValue()));
                }
                try (Statement s = table.connection().createStatement()) {
                    s.execute("DROP VIEW " + view);
                }
            }
        }
        return parts;
    }

    /** The column of a batch's flattened rows that holds each row's window (its start). */
    private static final String WINDOW = "__window";

    /** A window's requests in the log: its model version, its time, the segments it has not merged. */
    private static String filter(WindowSize size, Key key, List<String> segments) {
        return "model_version = " + Sql.literal(key.version()) + " AND " + size.startSql("time") + " = " + key.start() + " AND seg IN ("
                + segments.stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
    }

    private static String describe(String deployment, MonitoredModel model, Key key) {
        return "prediction log of " + deployment + " (" + model.name() + " version " + key.version() + ", window from "
                + java.time.Instant.ofEpochMilli(key.start()) + ")";
    }

    /** A window's rows flattened, with each row's reconstruction error when the model has a multivariate reference. */
    private static String flat(String window, MonitoredModel model, List<String> carried) {
        String flat = LogSql.window(window, model, carried);
        String withError = Multivariate.withError(model, flat, LogSql.RECONSTRUCTION);
        return withError != null ? withError : flat;
    }

    /** A window's requests answered and refused, and its refusals by field. */
    private static final class Counts {
        long requests;
        long refused;
        final Map<String, Long> refusedByField = new TreeMap<>();
    }

    /** The requests answered and refused of one (model version, window start, segment) of the log, any model. */
    private record GroupCount(String version, long start, String segment, long requests, long refused) {}

    /**
     * The counts of the requests of {@code window}, by the window column {@code by} (all under 0 when null): under each
     * key, the requests of model version {@code version} in the window starting at {@code starts.get(key)} and in the
     * segments {@code segments.get(key)}, as the sum of their groups' counts (what {@code window}'s filter selects);
     * the refusals by field counted from {@code window} when there are refusals.
     */
    private static Map<Long, Counts> counts(Connection c, String window, String by, Map<Long, List<String>> segments, String version,
                                            Map<Long, Long> starts, List<GroupCount> groupCounts) throws SQLException {
        String key = by == null ? "0::BIGINT" : by;
        Map<Long, Counts> counts = new TreeMap<>();
        boolean anyRefused = false;
        // As SQL's model_version = version: a NULL version matches nothing.
        Map<Long, List<GroupCount>> byStart = new HashMap<>();
        for (GroupCount g : groupCounts) {
            if (version != null && version.equals(g.version())) byStart.computeIfAbsent(g.start(), k -> new ArrayList<>()).add(g);
        }
        for (Map.Entry<Long, List<String>> w : segments.entrySet()) {
            Set<String> segs = new HashSet<>(w.getValue());
            long requests = 0;
            long refused = 0;
            for (GroupCount g : byStart.getOrDefault(starts.get(w.getKey()), List.of())) {
                if (!segs.contains(g.segment())) continue;
                requests += g.requests();
                refused += g.refused();
            }
            if (requests + refused == 0) continue;
            Counts n = counts.computeIfAbsent(w.getKey(), k -> new Counts());
            n.requests = requests;
            n.refused = refused;
            anyRefused |= refused > 0;
        }
        if (anyRefused) {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT w, f, count(*) FROM (SELECT DISTINCT " + key
                    + " AS w, request_id, unnest(from_json(error_fields, '[\"VARCHAR\"]')) AS f FROM " + window
                    + " WHERE error IS NOT NULL AND error_fields IS NOT NULL) GROUP BY w, f")) {
                while (r.next()) counts.computeIfAbsent(r.getLong(1), k -> new Counts()).refusedByField.put(r.getString(2), r.getLong(3));
            }
        }
        return counts;
    }

    /** One window's part from its flattened rows {@code table}: profiled and checked. */
    private static WindowState profile(LoadedTable table, String deployment, WindowSize size, Key key, MonitoredModel model, Counts counts,
                                       List<String> segments) throws SQLException {
        List<String> profiled = new ArrayList<>(model.signature().inputNames());
        profiled.add(LogSql.SCORE);
        profiled.add(LogSql.LABEL);
        profiled.add(LogSql.LATENCY);
        if (table.column(LogSql.RECONSTRUCTION).isPresent()) profiled.add(LogSql.RECONSTRUCTION);
        Map<String, FieldQuality> quality;
        ScoreHistogram bins = new ScoreHistogram();
        DatasetProfile profile;
        try (ExecutorService side = Executors.newSingleThreadExecutor(r -> {
                 Thread t = new Thread(r, "cairn-window-checks");
                 t.setDaemon(true);
                 return t;
             })) {
            // The quality counts and the score histogram meanwhile, on a connection of their own: the profile leaves
            // a core idle while its KLL updates run.
            Future<Map<String, FieldQuality>> checks = side.submit(() -> checks(table, model, bins));
            profile = Profiler.profile(table, profiled, Progress.NONE);
            quality = await(checks);
        }
        return new WindowState(deployment, key.model(), key.version(), key.start(), size.end(java.time.Instant.ofEpochMilli(key.start())).toEpochMilli(),
                counts.requests, counts.refused, counts.refusedByField, profile.rowCount(), quality, bins, profile, segments);
    }

    /** The inputs' quality counts of a window's table, and its scores added to {@code bins}. */
    private static Map<String, FieldQuality> checks(LoadedTable table, MonitoredModel model, ScoreHistogram bins) throws SQLException {
        try (Connection c = table.newConnection()) {
            Map<String, FieldQuality> quality;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(LogSql.quality(table.relation(), model))) {
                quality = LogSql.qualityCounts(r, model);
            }
            // Scores counted by bin in one grouping, binned as the histogram bins them, rather than each row's score read
            // into Java: the profile's readers and its KLL thread share the cores with these checks.
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT " + ScoreHistogram.binSql(LogSql.SCORE, bins.bins())
                    + ", count(*) FROM " + table.relation() + " WHERE " + LogSql.SCORE + " IS NOT NULL AND NOT isnan(" + LogSql.SCORE
                    + ") GROUP BY 1")) {
                while (r.next()) bins.add(r.getInt(1), r.getLong(2));
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
