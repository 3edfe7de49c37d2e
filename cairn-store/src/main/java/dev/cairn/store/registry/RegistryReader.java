package dev.cairn.store.registry;

import dev.cairn.core.registry.ModelAlias;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.ModelVersionStatus;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.tracking.Tag;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads registered models and versions with their tags and aliases, a page at a time. */
final class RegistryReader {

    static final String DELETED_STAGE = "Deleted_Internal";
    static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");

    static final String VERSION_COLUMNS = "v.name, v.version, v.creation_time, v.last_updated_time, v.description, v.user_id,"
            + " v.current_stage, v.source, v.run_id, v.status, v.status_message";
    static final String MODEL_COLUMNS = "m.name, m.creation_time, m.last_updated_time, m.description";

    private RegistryReader() {}

    /** A version row without tags and aliases; {@link #versions} adds them. */
    record VersionRow(String name, long version, long created, long updated, String description, String userId, String stage,
                      String source, String runId, String status, String statusMessage) {}

    record ModelRow(String name, long created, long updated, String description) {}

    static VersionRow versionRow(ResultSet r) throws SQLException {
        return new VersionRow(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getString(5), r.getString(6),
                r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11));
    }

    static ModelRow modelRow(ResultSet r) throws SQLException {
        return new ModelRow(r.getString(1), r.getLong(2), r.getLong(3), r.getString(4));
    }

    static List<ModelVersion> versions(Connection connection, List<VersionRow> rows) throws SQLException {
        if (rows.isEmpty()) return List.of();
        Map<String, List<Tag>> tags = new HashMap<>();
        Map<String, List<String>> aliases = new HashMap<>();
        List<String> names = rows.stream().map(VersionRow::name).distinct().toList();
        for (List<String> chunk : Jdbc.chunks(names, 500)) {
            List<Object> bound = new ArrayList<>(chunk);
            String in = " IN (" + Jdbc.placeholders(chunk.size()) + ")";
            Jdbc.query(connection, "SELECT name, version, key, value FROM model_version_tags WHERE name" + in + " ORDER BY key",
                    r -> tags.computeIfAbsent(r.getString(1) + "\u0000" + r.getLong(2), k -> new ArrayList<>())
                            .add(new Tag(r.getString(3), r.getString(4))), bound);
            Jdbc.query(connection, "SELECT name, version, alias FROM registered_model_aliases WHERE name" + in + " ORDER BY alias",
                    r -> aliases.computeIfAbsent(r.getString(1) + "\u0000" + r.getLong(2), k -> new ArrayList<>())
                            .add(r.getString(3)), bound);
        }
        List<ModelVersion> result = new ArrayList<>(rows.size());
        for (VersionRow row : rows) {
            String key = row.name() + "\u0000" + row.version();
            result.add(new ModelVersion(row.name(), row.version(), row.created(), row.updated(), row.userId(), row.stage(),
                    row.description(), row.source(), row.runId(), ModelVersionStatus.valueOf(row.status()), row.statusMessage(),
                    List.copyOf(tags.getOrDefault(key, List.of())), List.copyOf(aliases.getOrDefault(key, List.of()))));
        }
        return result;
    }

    static List<RegisteredModel> models(Connection connection, List<ModelRow> rows) throws SQLException {
        if (rows.isEmpty()) return List.of();
        Map<String, List<Tag>> tags = new HashMap<>();
        Map<String, List<ModelAlias>> aliases = new HashMap<>();
        Map<String, List<VersionRow>> latest = new HashMap<>();
        for (List<ModelRow> chunk : Jdbc.chunks(rows, 500)) {
            List<Object> bound = new ArrayList<>(chunk.stream().map(ModelRow::name).toList());
            String in = " IN (" + Jdbc.placeholders(chunk.size()) + ")";
            Jdbc.query(connection, "SELECT name, key, value FROM registered_model_tags WHERE name" + in + " ORDER BY key",
                    r -> tags.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(new Tag(r.getString(2), r.getString(3))), bound);
            Jdbc.query(connection, "SELECT name, alias, version FROM registered_model_aliases WHERE name" + in + " ORDER BY alias",
                    r -> aliases.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(new ModelAlias(r.getString(2), r.getLong(3))), bound);
            // The latest version in each stage, as MLflow's registered model shows them.
            Jdbc.query(connection, "SELECT " + VERSION_COLUMNS + " FROM model_versions v WHERE v.name" + in
                            + " AND v.current_stage <> '" + DELETED_STAGE + "' AND v.version = (SELECT MAX(w.version) FROM model_versions w"
                            + " WHERE w.name = v.name AND w.current_stage = v.current_stage) ORDER BY v.version",
                    r -> latest.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(versionRow(r)), bound);
        }
        List<VersionRow> allLatest = latest.values().stream().flatMap(List::stream).toList();
        Map<String, List<ModelVersion>> latestVersions = new HashMap<>();
        for (ModelVersion version : versions(connection, allLatest)) {
            latestVersions.computeIfAbsent(version.name(), k -> new ArrayList<>()).add(version);
        }
        return rows.stream().map(row -> new RegisteredModel(row.name(), row.created(), row.updated(), row.description(),
                List.copyOf(latestVersions.getOrDefault(row.name(), List.of())), List.copyOf(tags.getOrDefault(row.name(), List.of())),
                List.copyOf(aliases.getOrDefault(row.name(), List.of())))).toList();
    }
}
