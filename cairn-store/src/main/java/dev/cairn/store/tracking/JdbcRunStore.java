package dev.cairn.store.tracking;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.LifecycleStage;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.store.search.PageTokens;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Runs and what they log, with MLflow's rules: params are immutable, metrics keep their history. */
public final class JdbcRunStore implements RunStore {

    private final Database database;
    private final RunSearch search;

    public JdbcRunStore(Database database) {
        this.database = database;
        this.search = new RunSearch(database);
    }

    @Override
    public Run createRun(String experimentId, String userId, long startTime, String runName, List<Tag> tags) {
        long experiment = JdbcExperimentStore.parseId(experimentId);
        List<Tag> tagList = tags == null ? List.of() : tags;
        tagList.forEach(Validation::runTag);
        String tagName = tagList.stream().filter(t -> SystemTags.RUN_NAME.equals(t.key())).map(Tag::value)
                .filter(Objects::nonNull).reduce((first, second) -> second).orElse(null);
        if (runName != null && tagName != null && !runName.equals(tagName)) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='"
                            + runName + "', mlflow.runName='" + tagName + "').",
                    Map.of("field", "run_name", "value", runName, "expected", "the same value as the mlflow.runName tag, '" + tagName + "'"));
        }
        String name = runName != null ? runName : tagName != null ? tagName : RunNames.generate();
        Validation.length("Tag value", Validation.MAX_TAG_VAL_LENGTH, name);
        Map<String, String> allTags = new LinkedHashMap<>();
        for (Tag tag : tagList) allTags.put(tag.key(), tag.value());
        allTags.put(SystemTags.RUN_NAME, name);
        String runId = UUID.randomUUID().toString().replace("-", "");
        long start = startTime > 0 ? startTime : System.currentTimeMillis();
        return database.write(connection -> {
            Experiment exp = JdbcExperimentStore.requireActive(connection, experiment);
            String artifactUri = exp.artifactLocation() + "/" + runId + "/artifacts";
            Jdbc.update(connection, "INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time,"
                            + " deleted_time, lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 'active', ?)",
                    runId, experiment, name, userId, RunStatus.RUNNING.name(), start, artifactUri);
            upsertTags(connection, runId, allTags.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList());
            RunInfo info = RunReader.findInfo(connection, runId).orElseThrow();
            return RunReader.load(connection, List.of(info)).get(0);
        });
    }

    @Override
    public Run getRun(String runId) {
        return database.read(connection -> {
            RunInfo info = find(connection, runId);
            return RunReader.load(connection, List.of(info)).get(0);
        });
    }

    @Override
    public RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName) {
        if (runName != null) Validation.length("Tag value", Validation.MAX_TAG_VAL_LENGTH, runName);
        return database.write(connection -> {
            RunInfo info = requireActive(connection, runId);
            Jdbc.update(connection, "UPDATE runs SET status = ?, end_time = ?, name = ? WHERE run_uuid = ?",
                    (status != null ? status : info.status()).name(), endTime != null ? endTime : info.endTime(),
                    runName != null ? runName : info.runName(), runId);
            if (runName != null) upsertTags(connection, runId, List.of(new Tag(SystemTags.RUN_NAME, runName)));
            return RunReader.findInfo(connection, runId).orElseThrow();
        });
    }

    @Override
    public void deleteRun(String runId) {
        database.write(connection -> {
            find(connection, runId);
            Jdbc.update(connection, "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?",
                    System.currentTimeMillis(), runId);
            return null;
        });
    }

    @Override
    public void restoreRun(String runId) {
        database.write(connection -> {
            find(connection, runId);
            Jdbc.update(connection, "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?", runId);
            return null;
        });
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        List<Metric> metricList = metrics == null ? List.of() : metrics;
        List<Param> paramList = params == null ? List.of() : params;
        List<Tag> tagList = tags == null ? List.of() : tags;
        Validation.batch(metricList, paramList, tagList);
        database.write(connection -> {
            requireActive(connection, runId);
            if (!paramList.isEmpty()) insertParams(connection, runId, paramList);
            if (!tagList.isEmpty()) upsertTags(connection, runId, tagList);
            if (!metricList.isEmpty()) insertMetrics(connection, runId, metricList);
            return null;
        });
    }

    /**
     * Inserts new params, then compares every key of the batch with what is stored: inserting first
     * means a concurrent writer of the same key is seen after its commit (PostgreSQL waits on the
     * conflicting row), so two different values can never both succeed.
     */
    private static void insertParams(Connection connection, String runId, List<Param> params) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) DO NOTHING")) {
            for (Param param : params) {
                insert.setString(1, runId);
                insert.setString(2, param.key());
                insert.setString(3, param.value());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Param param : params) wanted.put(param.key(), param.value());
        List<Object> bound = new ArrayList<>();
        bound.add(runId);
        bound.addAll(wanted.keySet());
        Map<String, String> stored = new HashMap<>();
        Jdbc.query(connection, "SELECT key, value FROM params WHERE run_uuid = ? AND key IN (" + Jdbc.placeholders(wanted.size()) + ")",
                row -> stored.put(row.getString(1), row.getString(2)), bound);
        for (Map.Entry<String, String> entry : wanted.entrySet()) {
            String old = stored.get(entry.getKey());
            if (old != null && !old.equals(entry.getValue())) {
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "Changing param values is not allowed. Param with key='" + entry.getKey() + "' was already logged with value='"
                                + old + "' for run ID='" + runId + "'. Attempted logging new value '" + entry.getValue() + "'.",
                        Map.of("field", "params." + entry.getKey(), "value", entry.getValue(), "existing", old,
                                "expected", "the value already logged, '" + old + "'"));
            }
        }
    }

    private static void upsertTags(Connection connection, String runId, List<Tag> tags) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value")) {
            String runName = null;
            for (Tag tag : tags) {
                upsert.setString(1, runId);
                upsert.setString(2, tag.key());
                upsert.setString(3, tag.value());
                upsert.addBatch();
                if (SystemTags.RUN_NAME.equals(tag.key()) && tag.value() != null) runName = tag.value();
            }
            upsert.executeBatch();
            // As MLflow: the mlflow.runName tag and the run's name are one thing.
            if (runName != null) Jdbc.update(connection, "UPDATE runs SET name = ? WHERE run_uuid = ?", runName, runId);
        }
    }

    /** Rows per multi-row INSERT: fewer statements to step through (6 parameters a row, far below SQLite's limit). */
    private static final int METRIC_ROWS_PER_INSERT = 100;

    private static void insertMetrics(Connection connection, String runId, List<Metric> metrics) throws SQLException {
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric metric : metrics) latest.merge(metric.key(), metric, (a, b) -> isAfter(b, a) ? b : a);
        // A point logged again exactly as before is stored once (the unique index on metrics), as in MLflow.
        String insert = "INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES ";
        for (List<Metric> chunk : Jdbc.chunks(metrics, METRIC_ROWS_PER_INSERT)) {
            try (PreparedStatement statement = connection.prepareStatement(insert + rows(chunk.size()) + " ON CONFLICT DO NOTHING")) {
                int index = 0;
                for (Metric metric : chunk) index = bindMetric(statement, index, runId, metric);
                statement.executeUpdate();
            }
        }
        // Keeps the latest point per key (by step, then timestamp, then value, as MLflow) without reading it first.
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,"
                        + " timestamp = excluded.timestamp, step = excluded.step"
                        + " WHERE excluded.step > latest_metrics.step"
                        + " OR (excluded.step = latest_metrics.step AND (excluded.timestamp > latest_metrics.timestamp"
                        + " OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))")) {
            for (Metric metric : latest.values()) {
                bindMetric(upsert, 0, runId, metric);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static String rows(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
        return sb.toString();
    }

    /** Binds one metric after parameter {@code offset}; returns the new offset. NaN is stored as 0 with is_nan set
     * (as MLflow does): SQLite turns a bound NaN into NULL. */
    private static int bindMetric(PreparedStatement statement, int offset, String runId, Metric metric) throws SQLException {
        boolean nan = Double.isNaN(metric.value());
        statement.setString(offset + 1, runId);
        statement.setString(offset + 2, metric.key());
        statement.setDouble(offset + 3, nan ? 0.0 : metric.value());
        statement.setInt(offset + 4, nan ? 1 : 0);
        statement.setLong(offset + 5, metric.timestamp());
        statement.setLong(offset + 6, metric.step());
        return offset + 6;
    }

    private static boolean isAfter(Metric a, Metric b) {
        if (a.step() != b.step()) return a.step() > b.step();
        if (a.timestamp() != b.timestamp()) return a.timestamp() > b.timestamp();
        double va = Double.isNaN(a.value()) ? 0.0 : a.value();
        double vb = Double.isNaN(b.value()) ? 0.0 : b.value();
        return va > vb;
    }

    @Override
    public void deleteTag(String runId, String key) {
        database.write(connection -> {
            requireActive(connection, runId);
            int deleted = Jdbc.update(connection, "DELETE FROM tags WHERE run_uuid = ? AND key = ?", runId, key);
            if (deleted == 0) {
                throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                        "No tag with name: " + key + " in run with id " + runId,
                        Map.of("resource", "tag", "id", String.valueOf(key)));
            }
            return null;
        });
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        List<DatasetInput> inputList = inputs == null ? List.of() : inputs;
        inputList.forEach(JdbcRunStore::validateInput);
        database.write(connection -> {
            RunInfo run = requireActive(connection, runId);
            long experimentId = Long.parseLong(run.experimentId());
            for (DatasetInput input : inputList) {
                Dataset dataset = input.dataset();
                String datasetId = Jdbc.queryOne(connection, "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
                        row -> row.getString(1), experimentId, dataset.name(), dataset.digest()).orElse(null);
                if (datasetId == null) {
                    datasetId = UUID.randomUUID().toString().replace("-", "");
                    Jdbc.update(connection, "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", datasetId, experimentId, dataset.name(), dataset.digest(),
                            dataset.sourceType(), dataset.source(), dataset.schema(), dataset.profile());
                }
                Jdbc.update(connection, "INSERT INTO run_inputs (run_uuid, dataset_uuid) VALUES (?, ?) ON CONFLICT DO NOTHING", runId, datasetId);
                for (Tag tag : input.tags() == null ? List.<Tag>of() : input.tags()) {
                    Jdbc.update(connection, "INSERT INTO run_input_tags (run_uuid, dataset_uuid, key, value) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (run_uuid, dataset_uuid, key) DO UPDATE SET value = excluded.value", runId, datasetId, tag.key(), tag.value());
                }
            }
            return null;
        });
    }

    private static void validateInput(DatasetInput input) {
        if (input == null || input.dataset() == null) throw CairnException.invalid("datasets", null, "a dataset input with a dataset");
        Dataset dataset = input.dataset();
        if (dataset.name() == null || dataset.name().isEmpty()) throw CairnException.invalid("dataset.name", dataset.name(), "a non-empty name");
        if (dataset.digest() == null || dataset.digest().isEmpty()) throw CairnException.invalid("dataset.digest", dataset.digest(), "a non-empty digest");
        Validation.length("Dataset name", Validation.MAX_DATASET_NAME_SIZE, dataset.name());
        Validation.length("Dataset digest", Validation.MAX_DATASET_DIGEST_SIZE, dataset.digest());
        Validation.length("Dataset source", Validation.MAX_DATASET_SOURCE_SIZE, dataset.source());
        Validation.length("Dataset schema", Validation.MAX_DATASET_SCHEMA_SIZE, dataset.schema());
        Validation.length("Dataset profile", Validation.MAX_DATASET_PROFILE_SIZE, dataset.profile());
        for (Tag tag : input.tags() == null ? List.<Tag>of() : input.tags()) {
            if (tag == null || tag.key() == null || tag.key().isEmpty()) throw CairnException.invalid("input_tag.key", null, "a non-empty key");
            if (tag.value() == null) throw CairnException.invalid("input_tag.value", null, "a value for input tag '" + tag.key() + "'");
            Validation.length("Input tag key", Validation.MAX_INPUT_TAG_KEY_SIZE, tag.key());
            Validation.length("Input tag value", Validation.MAX_INPUT_TAG_VALUE_SIZE, tag.value());
        }
    }

    @Override
    public List<Metric> getMetricHistory(String runId, String metricKey) {
        return database.read(connection -> {
            find(connection, runId);
            return Jdbc.query(connection, "SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ?"
                    + " ORDER BY step, timestamp, value, is_nan", RunReader::metric, runId, metricKey);
        });
    }

    /**
     * Pages by keyset, not offset, so that the last page of a million points costs what the first
     * does: a point is unique by (step, timestamp, value, is_nan) within its run and key (the
     * table's primary key), and the token names the last point sent.
     */
    @Override
    public Page<Metric> getMetricHistory(String runId, String metricKey, int maxResults, String pageToken) {
        Validation.maxResults(maxResults, MAX_HISTORY_RESULTS);
        long[] after = PageTokens.parseKeyset(pageToken, "point", 4);
        return database.read(connection -> {
            find(connection, runId);
            List<Object> params = new ArrayList<>(List.of(runId, metricKey));
            String where = "";
            if (after != null) {
                where = " AND (step, timestamp, value, is_nan) > (?, ?, ?, ?)";
                params.addAll(List.of(after[0], after[1], Double.longBitsToDouble(after[2]), after[3]));
            }
            params.add(maxResults + 1);
            List<Metric> rows = Jdbc.query(connection, "SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ?"
                    + where + " ORDER BY step, timestamp, value, is_nan LIMIT ?", RunReader::metric, params);
            if (rows.size() <= maxResults) return new Page<>(rows, null);
            Metric last = rows.get(maxResults - 1);
            // NaN is stored as 0 with is_nan set (see bind): the token holds what is stored.
            boolean nan = Double.isNaN(last.value());
            String next = PageTokens.keyset("point", last.step(), last.timestamp(),
                    Double.doubleToLongBits(nan ? 0.0 : last.value()), nan ? 1 : 0);
            return new Page<>(List.copyOf(rows.subList(0, maxResults)), next);
        });
    }

    @Override
    public Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy,
                                int maxResults, String pageToken) {
        return search.search(experimentIds, filter, viewType, orderBy, maxResults, pageToken, null);
    }

    @Override
    public Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy,
                                int maxResults, String pageToken, Collection<String> metricKeys) {
        if (metricKeys == null) throw CairnException.invalid("metric_keys", null, "the metric keys to read (empty for none)");
        return search.search(experimentIds, filter, viewType, orderBy, maxResults, pageToken, List.copyOf(new LinkedHashSet<>(metricKeys)));
    }

    /**
     * Each run's keys straight from the primary key's index (run, key), in key order and at most {@code limit} of
     * them, merged: the first {@code limit} keys of the union are among them. Once {@code limit} keys are held, a
     * run's scan stops at the largest of them. So 50 runs of 12,000 metrics cost 50 short index reads, not a sort of
     * 600,000 keys; a text to find makes each run's scan read its keys (not their values).
     */
    @Override
    public List<String> metricKeys(List<String> runIds, String contains, int limit) {
        RunStore.checkMetricKeys(runIds, limit);
        String needle = contains == null ? "" : contains.strip().toLowerCase(Locale.ROOT);
        String like = needle.isEmpty() ? null
                : "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return database.read(connection -> {
            TreeSet<String> keys = new TreeSet<>();
            for (String runId : new LinkedHashSet<>(runIds)) {
                List<Object> params = new ArrayList<>(List.of(runId));
                StringBuilder sql = new StringBuilder("SELECT key FROM latest_metrics WHERE run_uuid = ?");
                if (like != null) {
                    sql.append(" AND LOWER(key) LIKE ? ESCAPE '\\'");
                    params.add(like);
                }
                if (keys.size() >= limit) {
                    sql.append(" AND key < ?");
                    params.add(keys.last());
                }
                sql.append(" ORDER BY key LIMIT ?");
                params.add(limit);
                keys.addAll(Jdbc.query(connection, sql.toString(), row -> row.getString(1), params));
                while (keys.size() > limit) keys.pollLast();
            }
            return List.copyOf(keys);
        });
    }

    /** The runs' infos by primary key, then their data in the few queries per 500 runs that a search page costs. */
    @Override
    public List<Run> getRuns(List<String> runIds, Collection<String> metricKeys) {
        RunStore.checkBatch(runIds);
        List<String> ids = List.copyOf(new LinkedHashSet<>(runIds));
        List<String> keys = metricKeys == null ? null : List.copyOf(new LinkedHashSet<>(metricKeys));
        return database.read(connection -> {
            Map<String, RunInfo> found = new HashMap<>();
            for (List<String> chunk : Jdbc.chunks(ids, 500)) {
                for (RunInfo info : Jdbc.query(connection, "SELECT " + RunReader.INFO_COLUMNS + " FROM runs r WHERE r.run_uuid IN ("
                        + Jdbc.placeholders(chunk.size()) + ")", RunReader::info, chunk)) {
                    found.put(info.runId(), info);
                }
            }
            List<RunInfo> infos = ids.stream().filter(found::containsKey).map(found::get).toList();
            return RunReader.load(connection, infos, keys);
        });
    }

    /** A page of the (run, key) primary key's index: 50 of a run's 12,000 metrics are 50 index rows. */
    @Override
    public Page<Metric> latestMetrics(String runId, String contains, int maxResults, String pageToken) {
        Validation.maxResults(maxResults, MAX_LATEST_RESULTS);
        long offset = PageTokens.parseOffset(pageToken);
        String needle = contains == null ? "" : contains.strip().toLowerCase(Locale.ROOT);
        return database.read(connection -> {
            find(connection, runId);
            List<Object> params = new ArrayList<>(List.of(runId));
            StringBuilder sql = new StringBuilder("SELECT key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid = ?");
            if (!needle.isEmpty()) {
                sql.append(" AND LOWER(key) LIKE ? ESCAPE '\\'");
                params.add("%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            }
            sql.append(" ORDER BY key LIMIT ? OFFSET ?");
            params.add(maxResults + 1);
            params.add(offset);
            List<Metric> rows = Jdbc.query(connection, sql.toString(), RunReader::metric, params);
            if (rows.size() <= maxResults) return new Page<>(rows, null);
            return new Page<>(List.copyOf(rows.subList(0, maxResults)), PageTokens.offset(offset + maxResults));
        });
    }

    /**
     * One read for all the runs: which of them exist (one query), then each run's first {@code maxPerRun} points by the
     * metrics' primary key (run, key, step, timestamp, value, is_nan) through one prepared statement, an index range
     * scan per run. (One query numbering every run's points with ROW_NUMBER() was 4–8 times slower in SQLite: it sorts
     * all the points instead of reading them in index order.)
     */
    @Override
    public Map<String, List<Metric>> getMetricHistories(List<String> runIds, String metricKey, int maxPerRun) {
        RunStore.checkBatch(runIds);
        Validation.maxResults(maxPerRun, MAX_HISTORY_RESULTS);
        List<String> ids = List.copyOf(new LinkedHashSet<>(runIds));
        return database.read(connection -> {
            Set<String> existing = new HashSet<>();
            for (List<String> chunk : Jdbc.chunks(ids, 500)) {
                existing.addAll(Jdbc.query(connection, "SELECT run_uuid FROM runs WHERE run_uuid IN (" + Jdbc.placeholders(chunk.size()) + ")",
                        row -> row.getString(1), chunk));
            }
            Map<String, List<Metric>> histories = new LinkedHashMap<>();
            try (PreparedStatement history = connection.prepareStatement("SELECT key, value, is_nan, timestamp, step FROM metrics"
                    + " WHERE run_uuid = ? AND key = ? ORDER BY step, timestamp, value, is_nan LIMIT ?")) {
                for (String id : ids) {
                    if (!existing.contains(id)) continue;
                    history.setString(1, id);
                    history.setString(2, metricKey);
                    history.setInt(3, maxPerRun);
                    List<Metric> points = new ArrayList<>();
                    try (var rows = history.executeQuery()) {
                        while (rows.next()) points.add(RunReader.metric(rows));
                    }
                    histories.put(id, List.copyOf(points));
                }
            }
            return histories;
        });
    }

    private static RunInfo find(Connection connection, String runId) throws SQLException {
        if (runId == null || runId.isEmpty()) throw CairnException.invalid("run_id", runId, "a run id");
        return RunReader.findInfo(connection, runId).orElseThrow(() -> CairnException.notFound("run", runId));
    }

    /** The run, which must exist and be active: MLflow refuses writes to a deleted run. */
    private static RunInfo requireActive(Connection connection, String runId) throws SQLException {
        RunInfo info = find(connection, runId);
        if (info.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "The run " + runId + " must be in the 'active' state. Current state is deleted.",
                    Map.of("field", "run_id", "value", runId, "expected", "an active run"));
        }
        return info;
    }
}
