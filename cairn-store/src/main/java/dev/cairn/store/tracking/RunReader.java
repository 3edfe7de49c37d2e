package dev.cairn.store.tracking;

import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunData;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.Tag;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads runs with what they logged, a page at a time (a few queries per page, not per run). */
final class RunReader {

    static final String INFO_COLUMNS =
            "r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";

    private RunReader() {}

    static RunInfo info(ResultSet row) throws SQLException {
        return new RunInfo(row.getString(1), Long.toString(row.getLong(2)), row.getString(3), row.getString(4),
                RunStatus.valueOf(row.getString(5)), row.getLong(6), Jdbc.nullableLong(row, "end_time"), row.getString(8),
                JdbcExperimentStore.lifecycle(row.getString(9)));
    }

    static Optional<RunInfo> findInfo(Connection connection, String runId) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + INFO_COLUMNS + " FROM runs r WHERE r.run_uuid = ?", RunReader::info, runId);
    }

    static Metric metric(ResultSet row) throws SQLException {
        double value = row.getInt("is_nan") != 0 ? Double.NaN : row.getDouble("value");
        return new Metric(row.getString("key"), value, row.getLong("timestamp"), row.getLong("step"));
    }

    /** The runs with their latest metrics, params, tags and inputs, in the order given. */
    static List<Run> load(Connection connection, List<RunInfo> infos) throws SQLException {
        return load(connection, infos, null);
    }

    /**
     * The runs with their params, tags and inputs, and of their latest metrics those named in {@code metricKeys}
     * (all when null, none when empty), in the order given.
     */
    static List<Run> load(Connection connection, List<RunInfo> infos, List<String> metricKeys) throws SQLException {
        if (infos.isEmpty()) return List.of();
        Map<String, List<Metric>> metrics = new HashMap<>();
        Map<String, List<Param>> params = new HashMap<>();
        Map<String, List<Tag>> tags = new HashMap<>();
        Map<String, Map<String, DatasetInput>> inputs = new HashMap<>();
        for (List<RunInfo> chunk : Jdbc.chunks(infos, 500)) {
            List<Object> ids = new ArrayList<>(chunk.stream().map(RunInfo::runId).toList());
            String in = " WHERE run_uuid IN (" + Jdbc.placeholders(ids.size()) + ")";
            if (metricKeys == null) {
                Jdbc.query(connection, "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics" + in + " ORDER BY key",
                        row -> metrics.computeIfAbsent(row.getString("run_uuid"), k -> new ArrayList<>()).add(metric(row)), ids);
            } else {
                // By (run, key): the primary key's index, one lookup per run and key asked for.
                for (List<String> keys : Jdbc.chunks(metricKeys, 500)) {
                    List<Object> both = new ArrayList<>(ids);
                    both.addAll(keys);
                    Jdbc.query(connection, "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics" + in
                                    + " AND key IN (" + Jdbc.placeholders(keys.size()) + ")",
                            row -> metrics.computeIfAbsent(row.getString("run_uuid"), k -> new ArrayList<>()).add(metric(row)), both);
                }
                // In key order, as a full read gives them (several chunks of keys arrive chunk by chunk).
                metrics.values().forEach(list -> list.sort(Comparator.comparing(Metric::key)));
            }
            Jdbc.query(connection, "SELECT run_uuid, key, value FROM params" + in + " ORDER BY key",
                    row -> params.computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(new Param(row.getString(2), row.getString(3))), ids);
            Jdbc.query(connection, "SELECT run_uuid, key, value FROM tags" + in + " ORDER BY key",
                    row -> tags.computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(new Tag(row.getString(2), row.getString(3))), ids);
            loadInputs(connection, ids, inputs);
        }
        List<Run> runs = new ArrayList<>(infos.size());
        for (RunInfo info : infos) {
            String id = info.runId();
            RunData data = new RunData(List.copyOf(metrics.getOrDefault(id, List.of())),
                    List.copyOf(params.getOrDefault(id, List.of())), List.copyOf(tags.getOrDefault(id, List.of())));
            runs.add(new Run(info, data, List.copyOf(inputs.getOrDefault(id, Map.of()).values())));
        }
        return runs;
    }

    private static void loadInputs(Connection connection, List<Object> ids, Map<String, Map<String, DatasetInput>> inputs)
            throws SQLException {
        String in = " IN (" + Jdbc.placeholders(ids.size()) + ")";
        Map<String, Map<String, Dataset>> datasets = new HashMap<>();
        Jdbc.query(connection, "SELECT ri.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile"
                        + " FROM run_inputs ri JOIN datasets d ON d.dataset_uuid = ri.dataset_uuid WHERE ri.run_uuid" + in
                        + " ORDER BY d.name, d.digest",
                row -> datasets.computeIfAbsent(row.getString(1), k -> new LinkedHashMap<>()).put(row.getString(2),
                        new Dataset(row.getString(3), row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8))),
                ids);
        if (datasets.isEmpty()) return;
        Map<String, List<Tag>> inputTags = new HashMap<>();
        Jdbc.query(connection, "SELECT run_uuid, dataset_uuid, key, value FROM run_input_tags WHERE run_uuid" + in + " ORDER BY key",
                row -> inputTags.computeIfAbsent(row.getString(1) + "/" + row.getString(2), k -> new ArrayList<>())
                        .add(new Tag(row.getString(3), row.getString(4))), ids);
        datasets.forEach((runId, byUuid) -> {
            Map<String, DatasetInput> forRun = inputs.computeIfAbsent(runId, k -> new LinkedHashMap<>());
            byUuid.forEach((uuid, dataset) -> forRun.put(uuid,
                    new DatasetInput(dataset, List.copyOf(inputTags.getOrDefault(runId + "/" + uuid, List.of())))));
        });
    }
}
