package dev.cairn.store.registry;

import static dev.cairn.store.registry.RegistryReader.DELETED_STAGE;
import static dev.cairn.store.registry.RegistryReader.MODEL_COLUMNS;
import static dev.cairn.store.registry.RegistryReader.VERSION_COLUMNS;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AliasPrecondition;
import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.ModelVersionStatus;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model registry, with MLflow's semantics (versions numbered 1, 2, … never reused, legacy
 * stages, aliases). Every alias change, stage transition, creation, deletion and rename writes an
 * audit row in the same transaction.
 */
public final class JdbcRegistryStore implements RegistryStore {

    static final int MAX_AUDIT_RESULTS = 10_000;

    private final Database database;
    private final RegistrySearch search;

    public JdbcRegistryStore(Database database) {
        this.database = database;
        this.search = new RegistrySearch(database);
    }

    @Override
    public RegisteredModel createRegisteredModel(String name, String description, List<Tag> tags, String actor) {
        RegistryValidation.modelName("name", name);
        List<Tag> tagList = tags == null ? List.of() : tags;
        tagList.forEach(RegistryValidation::tag);
        return database.write(connection -> {
            if (findModel(connection, name, false) != null) throw modelExists(name);
            long now = System.currentTimeMillis();
            try {
                Jdbc.update(connection, "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)",
                        name, now, now, description);
            } catch (SQLException e) {
                if (Database.isUniqueViolation(e)) throw modelExists(name);
                throw e;
            }
            for (Tag tag : tagList) upsertModelTag(connection, name, tag);
            AuditLog.append(connection, now, actor, AuditAction.MODEL_CREATED, name, null, name, null, name, null);
            return model(connection, name);
        });
    }

    private static CairnException modelExists(String name) {
        return new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Registered Model (name=" + name + ") already exists.",
                Map.of("resource", "registered model", "id", name));
    }

    @Override
    public RegisteredModel getRegisteredModel(String name) {
        return database.read(connection -> model(connection, name));
    }

    @Override
    public RegisteredModel renameRegisteredModel(String name, String newName, String actor) {
        RegistryValidation.modelName("new_name", newName);
        return database.write(connection -> {
            requireModel(connection, name, true);
            if (name.equals(newName)) return model(connection, name);
            if (findModel(connection, newName, false) != null) throw modelExists(newName);
            long now = System.currentTimeMillis();
            // Versions, tags and aliases follow through ON UPDATE CASCADE.
            Jdbc.update(connection, "UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?", newName, now, name);
            AuditLog.append(connection, now, actor, AuditAction.MODEL_RENAMED, newName, null, "name", name, newName, null);
            return model(connection, newName);
        });
    }

    @Override
    public RegisteredModel updateRegisteredModel(String name, String description) {
        return database.write(connection -> {
            requireModel(connection, name, true);
            Jdbc.update(connection, "UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?",
                    description, System.currentTimeMillis(), name);
            return model(connection, name);
        });
    }

    @Override
    public void deleteRegisteredModel(String name, String actor) {
        database.write(connection -> {
            requireModel(connection, name, true);
            long now = System.currentTimeMillis();
            // As MLflow: the model's aliases go with it, each removal audited like any other.
            deleteAliases(connection, name, null, now, actor, "deleted with registered model '" + name + "'");
            Jdbc.update(connection, "DELETE FROM model_version_tags WHERE name = ?", name);
            Jdbc.update(connection, "DELETE FROM model_versions WHERE name = ?", name);
            Jdbc.update(connection, "DELETE FROM registered_model_tags WHERE name = ?", name);
            Jdbc.update(connection, "DELETE FROM registered_models WHERE name = ?", name);
            AuditLog.append(connection, now, actor, AuditAction.MODEL_DELETED, name, null, name, name, null, null);
            return null;
        });
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(String filter, List<String> orderBy, int maxResults, String pageToken) {
        return search.models(filter, orderBy, maxResults, pageToken);
    }

    @Override
    public void setRegisteredModelTag(String name, Tag tag) {
        RegistryValidation.tag(tag);
        database.write(connection -> {
            requireModel(connection, name, true);
            upsertModelTag(connection, name, tag);
            return null;
        });
    }

    @Override
    public void deleteRegisteredModelTag(String name, String key) {
        database.write(connection -> {
            requireModel(connection, name, true);
            Jdbc.update(connection, "DELETE FROM registered_model_tags WHERE name = ? AND key = ?", name, key);
            return null;
        });
    }

    @Override
    public ModelVersion createModelVersion(String name, String source, String runId, String description, List<Tag> tags, String actor) {
        if (source == null || source.isBlank()) throw CairnException.invalid("source", source, "where the model package lives, e.g. runs:/<run-id>/model");
        List<Tag> tagList = tags == null ? List.of() : tags;
        tagList.forEach(RegistryValidation::tag);
        return database.write(connection -> {
            // Locks the model's row on PostgreSQL so that concurrent registrations get consecutive numbers.
            requireModel(connection, name, true);
            long version = Jdbc.queryOne(connection, "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?",
                    r -> r.getLong(1), name).orElse(1L);
            long now = System.currentTimeMillis();
            Jdbc.update(connection, "INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id,"
                            + " current_stage, source, run_id, status, status_message) VALUES (?, ?, ?, ?, ?, ?, 'None', ?, ?, ?, NULL)",
                    name, version, now, now, description, actor, source, runId, ModelVersionStatus.READY.name());
            for (Tag tag : tagList) upsertVersionTag(connection, name, version, tag);
            Jdbc.update(connection, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            AuditLog.append(connection, now, actor, AuditAction.VERSION_CREATED, name, version, source, null, Long.toString(version), description);
            return version(connection, name, version);
        });
    }

    @Override
    public ModelVersion getModelVersion(String name, long version) {
        return database.read(connection -> version(connection, name, version));
    }

    @Override
    public ModelVersion updateModelVersion(String name, long version, String description) {
        return database.write(connection -> {
            version(connection, name, version);
            Jdbc.update(connection, "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?",
                    description, System.currentTimeMillis(), name, version);
            return version(connection, name, version);
        });
    }

    @Override
    public void deleteModelVersion(String name, long version, String actor) {
        database.write(connection -> {
            requireModel(connection, name, true);
            ModelVersion existing = version(connection, name, version);
            long now = System.currentTimeMillis();
            // As MLflow: aliases pointing at the version go with it, each removal audited.
            deleteAliases(connection, name, version, now, actor, "deleted with version " + version);
            // The row stays, hidden, so that the version number is never given out again (as MLflow).
            Jdbc.update(connection, "DELETE FROM model_version_tags WHERE name = ? AND version = ?", name, version);
            Jdbc.update(connection, "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?",
                    DELETED_STAGE, now, name, version);
            Jdbc.update(connection, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            AuditLog.append(connection, now, actor, AuditAction.VERSION_DELETED, name, version, existing.source(),
                    existing.currentStage(), null, null);
            return null;
        });
    }

    @Override
    public ModelVersion transitionModelVersionStage(String name, long version, String stage, boolean archiveExisting,
                                                    String actor, String comment) {
        String target = RegistryValidation.stage(stage);
        if (archiveExisting && !target.equals("Staging") && !target.equals("Production")) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Model version transition cannot archive existing model versions"
                    + " because '" + target + "' is not an Active stage. Valid stages are Staging, Production",
                    Map.of("field", "archive_existing_versions", "value", true, "expected", "false unless the stage is Staging or Production"));
        }
        return database.write(connection -> {
            requireModel(connection, name, true);
            ModelVersion existing = version(connection, name, version);
            long now = System.currentTimeMillis();
            if (archiveExisting) {
                List<Long> others = Jdbc.query(connection, "SELECT version FROM model_versions WHERE name = ? AND current_stage = ? AND version <> ?"
                        + " ORDER BY version", r -> r.getLong(1), name, target, version);
                for (long other : others) {
                    Jdbc.update(connection, "UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? WHERE name = ? AND version = ?",
                            now, name, other);
                    AuditLog.append(connection, now, actor, AuditAction.STAGE_TRANSITIONED, name, other, "stage", target, "Archived",
                            "archived because version " + version + " moved to " + target);
                }
            }
            Jdbc.update(connection, "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?",
                    target, now, name, version);
            Jdbc.update(connection, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            AuditLog.append(connection, now, actor, AuditAction.STAGE_TRANSITIONED, name, version, "stage", existing.currentStage(), target, comment);
            return version(connection, name, version);
        });
    }

    @Override
    public List<ModelVersion> getLatestVersions(String name, List<String> stages) {
        List<String> wanted = stages == null || stages.isEmpty() ? RegistryReader.STAGES
                : stages.stream().map(RegistryValidation::stage).distinct().toList();
        return database.read(connection -> {
            requireModel(connection, name, false);
            List<Object> params = new ArrayList<>();
            params.add(name);
            params.addAll(wanted);
            List<RegistryReader.VersionRow> rows = Jdbc.query(connection, "SELECT " + VERSION_COLUMNS + " FROM model_versions v"
                    + " WHERE v.name = ? AND v.current_stage IN (" + Jdbc.placeholders(wanted.size()) + ")"
                    + " AND v.version = (SELECT MAX(w.version) FROM model_versions w WHERE w.name = v.name AND w.current_stage = v.current_stage)",
                    RegistryReader::versionRow, params);
            List<ModelVersion> versions = new ArrayList<>(RegistryReader.versions(connection, rows));
            versions.sort(Comparator.comparingInt(v -> RegistryReader.STAGES.indexOf(v.currentStage())));
            return versions;
        });
    }

    @Override
    public Page<ModelVersion> searchModelVersions(String filter, List<String> orderBy, int maxResults, String pageToken) {
        return search.versions(filter, orderBy, maxResults, pageToken);
    }

    @Override
    public void setModelVersionTag(String name, long version, Tag tag) {
        RegistryValidation.tag(tag);
        database.write(connection -> {
            version(connection, name, version);
            upsertVersionTag(connection, name, version, tag);
            return null;
        });
    }

    @Override
    public void deleteModelVersionTag(String name, long version, String key) {
        database.write(connection -> {
            version(connection, name, version);
            Jdbc.update(connection, "DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?", name, version, key);
            return null;
        });
    }

    @Override
    public void setAlias(String name, String alias, long version, String actor, String comment, AliasPrecondition expected) {
        RegistryValidation.alias(alias);
        database.write(connection -> {
            requireModel(connection, name, true);
            refuseProtected(connection, name, alias);
            moveAlias(connection, name, alias, version, actor, comment, expected);
            return null;
        });
    }

    /** The alias change itself, once the caller may make it: a compare-and-set, audited. */
    private void moveAlias(Connection connection, String name, String alias, long version, String actor, String comment,
                           AliasPrecondition expected) throws SQLException {
        version(connection, name, version);
        // The condition is part of the statement, so it holds at the moment of the change on either database: a
        // concurrent change that committed first makes this one match no row.
        Long previous;
        int changed;
        switch (expected) {
            case AliasPrecondition.Any any -> {
                previous = aliasVersion(connection, name, alias);
                changed = Jdbc.update(connection, "INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)"
                        + " ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version", name, alias, version);
            }
            case AliasPrecondition.Absent absent -> {
                previous = null;
                changed = Jdbc.update(connection, "INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)"
                        + " ON CONFLICT (name, alias) DO NOTHING", name, alias, version);
            }
            case AliasPrecondition.At at -> {
                previous = at.version();
                changed = Jdbc.update(connection, "UPDATE registered_model_aliases SET version = ? WHERE name = ? AND alias = ? AND version = ?",
                        version, name, alias, at.version());
            }
        }
        if (changed == 0) throw conflict(connection, name, alias, expected);
        long now = System.currentTimeMillis();
        Jdbc.update(connection, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
        AuditLog.append(connection, now, actor, AuditAction.ALIAS_SET, name, version, alias,
                previous == null ? null : Long.toString(previous), Long.toString(version), comment);
    }

    private static void refuseProtected(Connection connection, String name, String alias) throws SQLException {
        if (isProtected(connection, name, alias)) {
            throw new CairnException(ErrorCode.PERMISSION_DENIED, "Alias '" + alias + "' of '" + name + "' is protected: a change to it is "
                    + "requested, and made when a second person with MANAGE on the model approves it",
                    Map.of("model", name, "alias", alias));
        }
    }

    private static boolean isProtected(Connection connection, String name, String alias) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT 1 FROM protected_aliases WHERE name = ? AND alias = ?", r -> true, name, alias).isPresent();
    }

    @Override
    public List<String> protectedAliases(String name) {
        return database.read(connection -> {
            requireModel(connection, name, false);
            return Jdbc.query(connection, "SELECT alias FROM protected_aliases WHERE name = ? ORDER BY alias", r -> r.getString(1), name);
        });
    }

    @Override
    public void protectAlias(String name, String alias, boolean protect, String actor, String comment) {
        RegistryValidation.alias(alias);
        database.write(connection -> {
            requireModel(connection, name, true);
            if (isProtected(connection, name, alias) == protect) return null; // already so: nothing to record
            if (protect) Jdbc.update(connection, "INSERT INTO protected_aliases (name, alias) VALUES (?, ?)", name, alias);
            else Jdbc.update(connection, "DELETE FROM protected_aliases WHERE name = ? AND alias = ?", name, alias);
            AuditLog.append(connection, System.currentTimeMillis(), actor, protect ? AuditAction.ALIAS_PROTECTED : AuditAction.ALIAS_UNPROTECTED,
                    name, null, alias, null, null, comment);
            return null;
        });
    }

    @Override
    public AliasRequest requestAliasChange(String name, String alias, long version, String actor, String comment, AliasPrecondition expected) {
        RegistryValidation.alias(alias);
        return database.write(connection -> {
            requireModel(connection, name, true);
            version(connection, name, version);
            Long current = aliasVersion(connection, name, alias);
            if (!expected.holds(current)) throw conflict(connection, name, alias, expected);
            long now = System.currentTimeMillis();
            long id = Jdbc.query(connection, "INSERT INTO alias_requests (name, alias, version, from_version, requested_by, requested_at,"
                            + " comment, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", r -> r.getLong(1),
                    Arrays.asList(name, alias, version, current, actor, now, comment, AliasRequest.State.PENDING.name())).get(0);
            AuditLog.append(connection, now, actor, AuditAction.ALIAS_CHANGE_REQUESTED, name, version, alias,
                    current == null ? null : Long.toString(current), Long.toString(version), "request " + id + (comment == null ? "" : ": " + comment));
            return request(connection, name, id);
        });
    }

    @Override
    public AliasRequest decideAliasChange(String name, long requestId, boolean approve, String actor, String comment) {
        return database.write(connection -> {
            requireModel(connection, name, true);
            AliasRequest r = request(connection, name, requestId);
            if (!r.pending()) {
                throw new CairnException(ErrorCode.INVALID_STATE, "Alias request " + requestId + " of '" + name + "' was already "
                        + r.state().name().toLowerCase(Locale.ROOT) + " by " + r.decidedBy(), Map.of("request_id", requestId));
            }
            if (actor == null || actor.isBlank() || actor.equals(r.requestedBy())) {
                throw new CairnException(ErrorCode.PERMISSION_DENIED, "Alias request " + requestId + " of '" + name + "' was made by "
                        + r.requestedBy() + ", who cannot also " + (approve ? "approve" : "reject") + " it: four eyes means a second person",
                        Map.of("request_id", requestId, "requested_by", String.valueOf(r.requestedBy())));
            }
            long now = System.currentTimeMillis();
            String why = "request " + requestId + " by " + r.requestedBy() + (comment == null ? "" : ": " + comment);
            if (approve) {
                AliasPrecondition from = r.fromVersion() == null ? new AliasPrecondition.Absent() : new AliasPrecondition.At(r.fromVersion());
                AuditLog.append(connection, now, actor, AuditAction.ALIAS_CHANGE_APPROVED, name, r.version(), r.alias(),
                        r.fromVersion() == null ? null : Long.toString(r.fromVersion()), Long.toString(r.version()), why);
                moveAlias(connection, name, r.alias(), r.version(), actor, "approved " + why
                        + (r.comment() == null ? "" : " (asked: " + r.comment() + ")"), from);
            } else {
                AuditLog.append(connection, now, actor, AuditAction.ALIAS_CHANGE_REJECTED, name, r.version(), r.alias(),
                        r.fromVersion() == null ? null : Long.toString(r.fromVersion()), Long.toString(r.version()), why);
            }
            Jdbc.update(connection, "UPDATE alias_requests SET state = ?, decided_by = ?, decided_at = ?, decision_comment = ? WHERE id = ?",
                    (approve ? AliasRequest.State.APPROVED : AliasRequest.State.REJECTED).name(), actor, now, comment, requestId);
            return request(connection, name, requestId);
        });
    }

    @Override
    public List<AliasRequest> listAliasRequests(String name, boolean pendingOnly) {
        return database.read(connection -> {
            requireModel(connection, name, false);
            return Jdbc.query(connection, "SELECT " + REQUEST_COLUMNS + " FROM alias_requests WHERE name = ?"
                    + (pendingOnly ? " AND state = 'PENDING'" : "") + " ORDER BY id DESC", JdbcRegistryStore::request, name);
        });
    }

    private static final String REQUEST_COLUMNS = "id, name, alias, version, from_version, requested_by, requested_at, comment, state,"
            + " decided_by, decided_at, decision_comment";

    private static AliasRequest request(Connection connection, String name, long id) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + REQUEST_COLUMNS + " FROM alias_requests WHERE name = ? AND id = ?",
                JdbcRegistryStore::request, name, id).orElseThrow(() -> new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "Alias request " + id + " of registered model '" + name + "' not found", Map.of("resource", "alias request", "id", id)));
    }

    private static AliasRequest request(ResultSet r) throws SQLException {
        long fromVersion = r.getLong(5);
        Long from = r.wasNull() ? null : fromVersion;
        long decidedAt = r.getLong(11);
        Long decided = r.wasNull() ? null : decidedAt;
        return new AliasRequest(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4), from, r.getString(6), r.getLong(7),
                r.getString(8), AliasRequest.State.valueOf(r.getString(9)), r.getString(10), decided, r.getString(12));
    }

    @Override
    public void deleteAlias(String name, String alias, String actor, String comment, AliasPrecondition expected) {
        database.write(connection -> {
            requireModel(connection, name, true);
            refuseProtected(connection, name, alias);
            Long previous = aliasVersion(connection, name, alias);
            if (!expected.holds(previous)) throw conflict(connection, name, alias, expected);
            if (previous == null) return null; // As MLflow: deleting an absent alias changes nothing.
            int deleted = Jdbc.update(connection, "DELETE FROM registered_model_aliases WHERE name = ? AND alias = ? AND version = ?",
                    name, alias, previous);
            // Another store moved it between the read and the delete: with a condition that is a conflict; without one,
            // the alias is removed whatever it pointed at, as asked.
            if (deleted == 0) {
                if (!(expected instanceof AliasPrecondition.Any)) throw conflict(connection, name, alias, expected);
                previous = aliasVersion(connection, name, alias);
                if (previous == null) return null;
                Jdbc.update(connection, "DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", name, alias);
            }
            long now = System.currentTimeMillis();
            Jdbc.update(connection, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            AuditLog.append(connection, now, actor, AuditAction.ALIAS_DELETED, name, previous, alias, Long.toString(previous), null, comment);
            return null;
        });
    }

    private static Long aliasVersion(Connection connection, String name, String alias) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
                r -> r.getLong(1), name, alias).orElse(null);
    }

    /** The CONFLICT for a condition that did not hold: what the alias points at now and who changed it last (the audit log). */
    private static CairnException conflict(Connection connection, String name, String alias, AliasPrecondition expected) throws SQLException {
        Long current = aliasVersion(connection, name, alias);
        record Change(String actor, long timestamp) {}
        Change last = Jdbc.queryOne(connection, "SELECT actor, timestamp FROM audit_events WHERE model_name = ? AND subject = ?"
                        + " AND action IN (?, ?) ORDER BY id DESC LIMIT 1", r -> new Change(r.getString(1), r.getLong(2)),
                name, alias, AuditAction.ALIAS_SET.name(), AuditAction.ALIAS_DELETED.name()).orElse(null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", name);
        details.put("alias", alias);
        details.put("expected", expected.describe());
        if (current != null) details.put("current_version", current); // details hold no nulls
        String by = "";
        if (last != null) {
            details.put("changed_by", last.actor());
            details.put("changed_at", Instant.ofEpochMilli(last.timestamp()).toString());
            by = " (changed by " + last.actor() + " at " + Instant.ofEpochMilli(last.timestamp()) + ")";
        }
        return new CairnException(ErrorCode.CONFLICT, "Alias '" + alias + "' of '" + name + "' "
                + (current == null ? "does not exist" : "points at version " + current) + by + ", not " + expected.describe()
                + " as this change expected; read it again and decide", details);
    }

    @Override
    public ModelVersion getModelVersionByAlias(String name, String alias) {
        return database.read(connection -> {
            requireModel(connection, name, false);
            Long version = Jdbc.queryOne(connection, "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
                    r -> r.getLong(1), name, alias).orElseThrow(() -> new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                    "Registered model alias " + alias + " not found for model '" + name + "'",
                    Map.of("resource", "alias", "id", name + "@" + alias)));
            return version(connection, name, version);
        });
    }

    @Override
    public Page<AuditEvent> listAuditEvents(String modelName, int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_AUDIT_RESULTS) {
            throw CairnException.invalid("max_results", maxResults, "a number from 1 to " + MAX_AUDIT_RESULTS);
        }
        return database.read(connection -> AuditLog.list(connection, modelName, maxResults, pageToken));
    }

    @Override
    public void appendAuditEvent(AuditEvent event) {
        if (event == null || event.action() == null) throw CairnException.invalid("action", null, "one of " + List.of(AuditAction.values()));
        long timestamp = event.timestamp() > 0 ? event.timestamp() : System.currentTimeMillis();
        database.write(connection -> {
            AuditLog.append(connection, timestamp, event.actor(), event.action(), event.modelName(), event.version(), event.subject(),
                    event.fromValue(), event.toValue(), event.comment());
            return null;
        });
    }

    private RegistryReader.ModelRow findModel(Connection connection, String name, boolean lock) throws SQLException {
        if (name == null) return null;
        String suffix = lock ? database.dialect().forUpdate() : "";
        return Jdbc.queryOne(connection, "SELECT " + MODEL_COLUMNS + " FROM registered_models m WHERE m.name = ?" + suffix,
                RegistryReader::modelRow, name).orElse(null);
    }

    private RegistryReader.ModelRow requireModel(Connection connection, String name, boolean lock) throws SQLException {
        RegistryReader.ModelRow row = findModel(connection, name, lock);
        if (row == null) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Registered Model with name=" + name + " not found",
                    Map.of("resource", "registered model", "id", String.valueOf(name)));
        }
        return row;
    }

    private RegisteredModel model(Connection connection, String name) throws SQLException {
        return RegistryReader.models(connection, List.of(requireModel(connection, name, false))).get(0);
    }

    private static ModelVersion version(Connection connection, String name, long version) throws SQLException {
        List<RegistryReader.VersionRow> rows = Jdbc.query(connection, "SELECT " + VERSION_COLUMNS + " FROM model_versions v"
                + " WHERE v.name = ? AND v.version = ? AND v.current_stage <> '" + DELETED_STAGE + "'", RegistryReader::versionRow, name, version);
        if (rows.isEmpty()) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Model Version (name=" + name + ", version=" + version + ") not found",
                    Map.of("resource", "model version", "id", name + "/" + version));
        }
        return RegistryReader.versions(connection, rows).get(0);
    }

    private static void upsertModelTag(Connection connection, String name, Tag tag) throws SQLException {
        Jdbc.update(connection, "INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (name, key) DO UPDATE SET value = excluded.value", name, tag.key(), tag.value());
    }

    private static void upsertVersionTag(Connection connection, String name, long version, Tag tag) throws SQLException {
        Jdbc.update(connection, "INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value", name, version, tag.key(), tag.value());
    }

    /** Removes the aliases of {@code name} (only those at {@code version} when it is not null), one audit row each. */
    private static void deleteAliases(Connection connection, String name, Long version, long now, String actor, String comment)
            throws SQLException {
        record Alias(String alias, long version) {}
        List<Alias> aliases = version == null
                ? Jdbc.query(connection, "SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias",
                        r -> new Alias(r.getString(1), r.getLong(2)), name)
                : Jdbc.query(connection, "SELECT alias, version FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias",
                        r -> new Alias(r.getString(1), r.getLong(2)), name, version);
        for (Alias alias : aliases) {
            Jdbc.update(connection, "DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", name, alias.alias());
            AuditLog.append(connection, now, actor, AuditAction.ALIAS_DELETED, name, alias.version(), alias.alias(),
                    Long.toString(alias.version()), null, comment);
        }
    }
}
