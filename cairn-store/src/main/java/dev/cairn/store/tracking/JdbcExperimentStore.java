package dev.cairn.store.tracking;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.LifecycleStage;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.store.search.Comparisons;
import dev.cairn.store.search.Filter;
import dev.cairn.store.search.FilterParser;
import dev.cairn.store.search.PageTokens;
import dev.cairn.store.search.SqlFragment;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Experiments, with MLflow's semantics: ids are decimal strings, "Default" is id 0. */
public final class JdbcExperimentStore implements ExperimentStore {

    public static final String DEFAULT_EXPERIMENT_ID = "0";
    public static final String DEFAULT_EXPERIMENT_NAME = "Default";

    private static final String COLUMNS =
            "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time";

    private final Database database;
    private final String defaultArtifactRoot;

    public JdbcExperimentStore(Database database, String defaultArtifactRoot) {
        this.database = database;
        this.defaultArtifactRoot = stripTrailingSlash(defaultArtifactRoot);
    }

    /** Creates MLflow's default experiment when it is not there (first open, or after it was purged). */
    public void createDefaultExperiment() {
        database.write(connection -> {
            long now = System.currentTimeMillis();
            Jdbc.update(connection, "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,"
                            + " creation_time, last_update_time) VALUES (0, ?, ?, 'active', ?, ?) ON CONFLICT DO NOTHING",
                    DEFAULT_EXPERIMENT_NAME, defaultArtifactRoot + "/" + DEFAULT_EXPERIMENT_ID, now, now);
            return null;
        });
    }

    @Override
    public String createExperiment(String name, String artifactLocation, List<Tag> tags) {
        Validation.experimentName(name);
        List<Tag> tagList = tags == null ? List.of() : tags;
        tagList.forEach(Validation::experimentTag);
        if (artifactLocation != null && artifactLocation.isBlank()) artifactLocation = null;
        if (artifactLocation != null && artifactLocation.startsWith("runs:")) {
            throw CairnException.invalid("artifact_location", artifactLocation, "a storage location, not a runs:/ URI");
        }
        String location = artifactLocation;
        return database.write(connection -> {
            if (Jdbc.queryOne(connection, "SELECT 1 FROM experiments WHERE name = ?", row -> 1, name).isPresent()) {
                throw experimentNameInUse(name);
            }
            long now = System.currentTimeMillis();
            long id;
            try {
                id = Jdbc.query(connection, "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time,"
                                + " last_update_time) VALUES (?, ?, 'active', ?, ?) RETURNING experiment_id",
                        row -> row.getLong(1), List.of(name, location == null ? "" : location, now, now)).get(0);
            } catch (SQLException e) {
                if (Database.isUniqueViolation(e)) throw experimentNameInUse(name);
                throw e;
            }
            if (location == null) {
                Jdbc.update(connection, "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
                        defaultArtifactRoot + "/" + id, id);
            }
            for (Tag tag : tagList) upsertTag(connection, id, tag);
            return Long.toString(id);
        });
    }

    private static CairnException experimentNameInUse(String name) {
        return new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS,
                "Experiment(name=" + name + ") already exists. An active or deleted experiment with this name exists;"
                        + " purge the deleted one or choose another name",
                Map.of("resource", "experiment", "id", name));
    }

    @Override
    public Experiment getExperiment(String experimentId) {
        long id = parseId(experimentId);
        return database.read(connection -> find(connection, id)
                .orElseThrow(() -> CairnException.notFound("experiment", experimentId)));
    }

    @Override
    public Optional<Experiment> getExperimentByName(String name) {
        if (name == null) return Optional.empty();
        return database.read(connection -> {
            List<Experiment> found = load(connection, "SELECT " + COLUMNS + " FROM experiments e WHERE e.name = ?", List.of(name));
            return found.stream().findFirst();
        });
    }

    @Override
    public Page<Experiment> searchExperiments(ViewType viewType, String filter, List<String> orderBy, int maxResults,
                                              String pageToken) {
        Validation.maxResults(maxResults, Validation.SEARCH_MAX_RESULTS_THRESHOLD);
        long offset = PageTokens.parseOffset(pageToken);
        Filter parsed = FilterParser.parse(filter);
        SqlFragment where = SqlFragment.compile(parsed, c -> compileComparison(filter, c));
        List<Object> params = new ArrayList<>(where.params());
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM experiments e WHERE ")
                .append(lifecycleCondition("e.lifecycle_stage", viewType)).append(" AND ").append(where.sql())
                .append(" ORDER BY ").append(orderClause(orderBy))
                .append(" LIMIT ? OFFSET ?");
        params.add(maxResults + 1);
        params.add(offset);
        return database.read(connection -> {
            List<Experiment> rows = load(connection, sql.toString(), params);
            if (rows.size() <= maxResults) return new Page<>(rows, null);
            return new Page<>(rows.subList(0, maxResults), PageTokens.offset(offset + maxResults));
        });
    }

    private SqlFragment compileComparison(String filter, Filter.Comparison c) {
        String key = c.key().toLowerCase(Locale.ROOT);
        if (c.entity().equals("attribute")) {
            return switch (key) {
                case "name" -> Comparisons.string(filter, c, "e.name", database.dialect(), Comparisons.STRING);
                case "creation_time" -> Comparisons.number(filter, c, "e.creation_time", true);
                case "last_update_time" -> Comparisons.number(filter, c, "e.last_update_time", true);
                case "experiment_id" -> Comparisons.number(filter, c, "e.experiment_id", true);
                default -> throw Comparisons.error(filter, c, "invalid attribute key '" + c.key()
                        + "'; experiments can be searched by name, creation_time, last_update_time, experiment_id and tags.<key>");
            };
        }
        if (c.entity().equals("tag")) {
            SqlFragment value = Comparisons.string(filter, c, "t.value", database.dialect(), Comparisons.STRING);
            List<Object> params = new ArrayList<>();
            params.add(c.key());
            params.addAll(value.params());
            return new SqlFragment("EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ? AND "
                    + value.sql() + ")", params);
        }
        throw Comparisons.error(filter, c, "experiments can be searched by attributes and tags, not " + c.entity() + "s");
    }

    private static String orderClause(List<String> orderBy) {
        List<String> items = new ArrayList<>();
        boolean hasId = false;
        for (FilterParser.OrderKey key : FilterParser.parseOrderBy(orderBy)) {
            String column = switch (key.entity().equals("attribute") ? key.key().toLowerCase(Locale.ROOT) : "") {
                case "name" -> "e.name";
                case "creation_time" -> "e.creation_time";
                case "last_update_time" -> "e.last_update_time";
                case "experiment_id" -> "e.experiment_id";
                default -> throw CairnException.invalid("order_by", key.text(),
                        "one of name, creation_time, last_update_time, experiment_id with ASC or DESC");
            };
            hasId |= column.equals("e.experiment_id");
            items.add(column + (key.ascending() ? " ASC" : " DESC"));
        }
        if (items.isEmpty()) items.add("e.creation_time DESC");
        if (!hasId) items.add("e.experiment_id ASC");
        return String.join(", ", items);
    }

    @Override
    public void renameExperiment(String experimentId, String newName) {
        Validation.experimentName(newName);
        long id = parseId(experimentId);
        database.write(connection -> {
            Experiment experiment = find(connection, id).orElseThrow(() -> CairnException.notFound("experiment", experimentId));
            if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw new CairnException(ErrorCode.INVALID_STATE, "Cannot rename a non-active experiment.",
                        Map.of("field", "experiment_id", "value", experimentId, "expected", "an active experiment"));
            }
            if (experiment.name().equals(newName)) return null;
            if (Jdbc.queryOne(connection, "SELECT 1 FROM experiments WHERE name = ?", row -> 1, newName).isPresent()) {
                throw experimentNameInUse(newName);
            }
            Jdbc.update(connection, "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                    newName, System.currentTimeMillis(), id);
            return null;
        });
    }

    @Override
    public void deleteExperiment(String experimentId) {
        long id = parseId(experimentId);
        database.write(connection -> {
            // As MLflow (which looks the experiment up among active ones only): deleting it twice is
            // RESOURCE_DOES_NOT_EXIST, not a bad parameter.
            Experiment existing = find(connection, id).orElse(null);
            if (existing == null || existing.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No Experiment with id=" + id + " exists",
                        Map.of("resource", "experiment", "id", Long.toString(id)));
            }
            long now = System.currentTimeMillis();
            Jdbc.update(connection, "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?", now, id);
            // As MLflow: deleting an experiment deletes its runs.
            Jdbc.update(connection, "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ?"
                    + " AND lifecycle_stage = 'active'", now, id);
            return null;
        });
    }

    @Override
    public void restoreExperiment(String experimentId) {
        long id = parseId(experimentId);
        database.write(connection -> {
            Experiment experiment = find(connection, id).orElseThrow(() -> CairnException.notFound("experiment", experimentId));
            if (experiment.lifecycleStage() != LifecycleStage.DELETED) {
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "Cannot restore an active experiment. Experiment " + experimentId + " is not deleted",
                        Map.of("field", "experiment_id", "value", experimentId, "expected", "a deleted experiment"));
            }
            long now = System.currentTimeMillis();
            Jdbc.update(connection, "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?", now, id);
            Jdbc.update(connection, "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ?"
                    + " AND lifecycle_stage = 'deleted'", id);
            return null;
        });
    }

    @Override
    public void purgeExperiment(String experimentId) {
        long id = parseId(experimentId);
        database.write(connection -> {
            Experiment experiment = find(connection, id).orElseThrow(() -> CairnException.notFound("experiment", experimentId));
            if (experiment.lifecycleStage() != LifecycleStage.DELETED) {
                throw new CairnException(ErrorCode.INVALID_STATE,
                        "Experiment " + experimentId + " must be deleted before it is purged",
                        Map.of("field", "experiment_id", "value", experimentId, "expected", "a deleted experiment"));
            }
            // Children first, explicitly, so that purging does not depend on cascades being enabled.
            String runsOf = "(SELECT run_uuid FROM runs WHERE experiment_id = ?)";
            for (String table : List.of("run_input_tags", "run_inputs", "metrics", "latest_metrics", "params", "tags")) {
                Jdbc.update(connection, "DELETE FROM " + table + " WHERE run_uuid IN " + runsOf, id);
            }
            Jdbc.update(connection, "DELETE FROM runs WHERE experiment_id = ?", id);
            Jdbc.update(connection, "DELETE FROM datasets WHERE experiment_id = ?", id);
            Jdbc.update(connection, "DELETE FROM experiment_tags WHERE experiment_id = ?", id);
            Jdbc.update(connection, "DELETE FROM experiments WHERE experiment_id = ?", id);
            return null;
        });
    }

    @Override
    public void setExperimentTag(String experimentId, Tag tag) {
        Validation.experimentTag(tag);
        long id = parseId(experimentId);
        database.write(connection -> {
            requireActive(connection, id);
            upsertTag(connection, id, tag);
            Jdbc.update(connection, "UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?", System.currentTimeMillis(), id);
            return null;
        });
    }

    @Override
    public void deleteExperimentTag(String experimentId, String key) {
        long id = parseId(experimentId);
        database.write(connection -> {
            requireActive(connection, id);
            int deleted = Jdbc.update(connection, "DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", id, key);
            if (deleted == 0) {
                throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                        "No tag with name: " + key + " in experiment with id " + id,
                        Map.of("resource", "tag", "id", String.valueOf(key)));
            }
            Jdbc.update(connection, "UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?", System.currentTimeMillis(), id);
            return null;
        });
    }

    private static void upsertTag(Connection connection, long id, Tag tag) throws SQLException {
        Jdbc.update(connection, "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value", id, tag.key(), tag.value());
    }

    /** The experiment, which must exist and be active (MLflow refuses changes to deleted experiments). */
    static Experiment requireActive(Connection connection, long id) throws SQLException {
        Experiment experiment = find(connection, id).orElseThrow(() -> CairnException.notFound("experiment", id));
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "The experiment " + id + " must be in the 'active' state. Current state is deleted.",
                    Map.of("field", "experiment_id", "value", Long.toString(id), "expected", "an active experiment"));
        }
        return experiment;
    }

    static Optional<Experiment> find(Connection connection, long id) throws SQLException {
        return load(connection, "SELECT " + COLUMNS + " FROM experiments e WHERE e.experiment_id = ?", List.of(id))
                .stream().findFirst();
    }

    private static List<Experiment> load(Connection connection, String sql, List<Object> params) throws SQLException {
        record Row(long id, String name, String location, String stage, long created, long updated) {}
        List<Row> rows = Jdbc.query(connection, sql, (ResultSet r) -> new Row(r.getLong(1), r.getString(2), r.getString(3),
                r.getString(4), r.getLong(5), r.getLong(6)), params);
        if (rows.isEmpty()) return List.of();
        Map<Long, List<Tag>> tags = new HashMap<>();
        for (List<Row> chunk : Jdbc.chunks(rows, 500)) {
            List<Object> ids = new ArrayList<>(chunk.stream().map(Row::id).toList());
            Jdbc.query(connection, "SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN ("
                            + Jdbc.placeholders(ids.size()) + ") ORDER BY key",
                    r -> tags.computeIfAbsent(r.getLong(1), k -> new ArrayList<>()).add(new Tag(r.getString(2), r.getString(3))), ids);
        }
        return rows.stream().map(r -> new Experiment(Long.toString(r.id()), r.name(), r.location(), lifecycle(r.stage()),
                r.created(), r.updated(), List.copyOf(tags.getOrDefault(r.id(), List.of())))).toList();
    }

    static LifecycleStage lifecycle(String stored) {
        return "deleted".equals(stored) ? LifecycleStage.DELETED : LifecycleStage.ACTIVE;
    }

    static String lifecycleCondition(String column, ViewType viewType) {
        return switch (viewType == null ? ViewType.ACTIVE_ONLY : viewType) {
            case ACTIVE_ONLY -> column + " = 'active'";
            case DELETED_ONLY -> column + " = 'deleted'";
            case ALL -> "1 = 1";
        };
    }

    /** Experiment ids are decimal strings; anything else names no experiment. */
    static long parseId(String experimentId) {
        if (experimentId != null && experimentId.matches("\\d{1,18}")) return Long.parseLong(experimentId);
        throw CairnException.notFound("experiment", experimentId);
    }

    private static String stripTrailingSlash(String root) {
        String s = root;
        while (s.endsWith("/") && !s.endsWith("://") && s.length() > 1) s = s.substring(0, s.length() - 1);
        return s;
    }
}
