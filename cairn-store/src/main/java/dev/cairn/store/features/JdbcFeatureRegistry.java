package dev.cairn.store.features;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.AppliedFeatureDefinition;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.features.FeatureDefinitionDraft;
import dev.cairn.core.features.FeatureKind;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Feature definitions in the metadata database (SQLite or PostgreSQL). An apply locks each name's row in
 * {@code feature_names} (PostgreSQL; SQLite runs one writer at a time) before numbering its next version, so two
 * applies of one name never give the same version twice; a name's first apply creates that row with
 * {@code ON CONFLICT DO NOTHING}, so two first applies settle on one row too.
 */
public final class JdbcFeatureRegistry implements FeatureRegistry {

    /** Names are used in keys of online stores and in file names: letters, digits, '_', '.', '-'. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");
    private static final String COLUMNS = "d.name, d.version, d.kind, d.sha256, d.body, d.source, d.created_by, d.created_at";

    private final Database database;

    public JdbcFeatureRegistry(Database database) {
        this.database = database;
    }

    @Override
    public List<AppliedFeatureDefinition> apply(List<FeatureDefinitionDraft> drafts, String actor) {
        if (drafts == null) throw CairnException.invalid("definitions", null, "a list of feature definitions");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < drafts.size(); i++) {
            FeatureDefinitionDraft draft = drafts.get(i);
            if (draft == null) throw CairnException.invalid("definitions[" + i + "]", null, "a feature definition");
            name("definitions[" + i + "].name", draft.name());
            if (!names.add(draft.name())) {
                throw CairnException.invalid("definitions[" + i + "].name", draft.name(), "a name given once in one apply");
            }
        }
        return database.write(connection -> {
            long now = System.currentTimeMillis();
            List<AppliedFeatureDefinition> applied = new ArrayList<>();
            for (FeatureDefinitionDraft draft : drafts) applied.add(apply(connection, draft, actor, now));
            return applied;
        });
    }

    private AppliedFeatureDefinition apply(Connection connection, FeatureDefinitionDraft draft, String actor, long now)
            throws SQLException {
        String name = draft.name();
        Jdbc.update(connection, "INSERT INTO feature_names (name, kind, latest_version, updated_at) VALUES (?, ?, 0, ?)"
                + " ON CONFLICT (name) DO NOTHING", name, draft.kind().name(), now);
        record Current(FeatureKind kind, long latest) {}
        Current current = Jdbc.queryOne(connection, "SELECT kind, latest_version FROM feature_names WHERE name = ?"
                        + database.dialect().forUpdate(),
                row -> new Current(FeatureKind.valueOf(row.getString(1)), row.getLong(2)), name).orElseThrow();
        if (current.kind() != draft.kind()) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value '" + name
                    + "' for 'name' of " + draft.kind().withArticle() + ": '" + name + "' is the name of " + current.kind().withArticle()
                    + " already; expected a name no other kind of definition has",
                    Map.of("field", "name", "value", name, "expected", "a name no other kind of definition has"));
        }
        String sha256 = draft.sha256();
        if (current.latest() > 0) {
            FeatureDefinition latest = find(connection, name, current.latest()).orElseThrow();
            if (latest.sha256().equals(sha256)) return new AppliedFeatureDefinition(latest, false);
        }
        long version = current.latest() + 1;
        Jdbc.update(connection, "INSERT INTO feature_definitions (name, version, kind, sha256, body, source, created_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", name, version, draft.kind().name(), sha256, draft.body(), draft.source(), actor, now);
        Jdbc.update(connection, "UPDATE feature_names SET latest_version = ?, updated_at = ? WHERE name = ?", version, now, name);
        return new AppliedFeatureDefinition(find(connection, name, version).orElseThrow(), true);
    }

    @Override
    public List<FeatureDefinition> list() {
        List<FeatureDefinition> latest = database.read(connection -> Jdbc.query(connection, "SELECT " + COLUMNS
                + " FROM feature_definitions d JOIN feature_names n ON n.name = d.name AND n.latest_version = d.version",
                JdbcFeatureRegistry::definition));
        return latest.stream().sorted(Comparator.comparing(FeatureDefinition::kind).thenComparing(FeatureDefinition::name)).toList();
    }

    @Override
    public Optional<FeatureDefinition> get(String name) {
        name("name", name);
        return database.read(connection -> Jdbc.queryOne(connection, "SELECT " + COLUMNS
                + " FROM feature_definitions d JOIN feature_names n ON n.name = d.name AND n.latest_version = d.version"
                + " WHERE d.name = ?", JdbcFeatureRegistry::definition, name));
    }

    @Override
    public Optional<FeatureDefinition> get(String name, long version) {
        name("name", name);
        if (version < 1) throw CairnException.invalid("version", version, "a version number from 1");
        return database.read(connection -> find(connection, name, version));
    }

    @Override
    public List<FeatureDefinition> versions(String name) {
        name("name", name);
        return database.read(connection -> Jdbc.query(connection, "SELECT " + COLUMNS
                + " FROM feature_definitions d WHERE d.name = ? ORDER BY d.version", JdbcFeatureRegistry::definition, name));
    }

    private static Optional<FeatureDefinition> find(Connection connection, String name, long version) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT " + COLUMNS + " FROM feature_definitions d WHERE d.name = ? AND d.version = ?",
                JdbcFeatureRegistry::definition, name, version);
    }

    private static FeatureDefinition definition(ResultSet row) throws SQLException {
        return new FeatureDefinition(row.getString("name"), FeatureKind.valueOf(row.getString("kind")), row.getLong("version"),
                row.getString("sha256"), row.getString("body"), row.getString("source"), row.getString("created_by"),
                Instant.ofEpochMilli(row.getLong("created_at")));
    }

    private static void name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw CairnException.invalid(field, value == null ? null : value.replaceAll("\\p{Cntrl}", "?"),
                    "a name of letters, digits, '_', '.' and '-' starting with a letter or digit, at most 128 characters");
        }
    }
}
