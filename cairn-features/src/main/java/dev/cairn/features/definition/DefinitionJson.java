package dev.cairn.features.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.data.yaml.YamlProblems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical text of a definition, which the registry versions and hashes: JSON in the shape of the YAML that
 * declares it, keys sorted, short forms written out ({@code - age} as {@code {"column":"age","name":"age"}}),
 * durations in the short form ({@code 30d}), paths as resolved when applied. So reformatting a file, reordering its
 * keys or adding comments changes no hash, and a stored definition reads back through the same
 * {@link DefinitionReader}.
 */
public final class DefinitionJson {
    /** Keys sorted when written, at every depth: the canonical text does not depend on the order maps are built in. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private DefinitionJson() {}

    public static String write(Definition definition) {
        try {
            return JSON.writeValueAsString(toMap(definition));
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write definition '" + definition.name() + "': " + e.getMessage(), e);
        }
    }

    /** The definition a stored version holds. */
    public static Definition read(FeatureDefinition stored) {
        YamlProblems problems = new YamlProblems();
        String source = stored.kind().label() + " '" + stored.name() + "' version " + stored.version();
        Definition definition = DefinitionReader.readOne(stored.kind(), stored.body(), source, problems);
        if (definition == null || !definition.name().equals(stored.name())) {
            String why = problems.isEmpty() ? "its name is not '" + stored.name() + "'"
                    : problems.sorted().getFirst().format(source);
            throw new CairnException(ErrorCode.DATA_LOSS, "The stored " + source + " cannot be read: " + why,
                    Map.of("name", stored.name(), "version", stored.version()));
        }
        return definition;
    }

    /** The definition as a map in its YAML shape, keys in the order a definition file declares them (for people). */
    public static Map<String, Object> toMap(Definition definition) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", definition.name());
        if (definition.description() != null) m.put("description", definition.description());
        switch (definition) {
            case Entity e -> m.put("join_keys", e.joinKeys());
            case SourceDefinition s -> {
                switch (s.location()) {
                    case SourceDefinition.FileLocation f -> {
                        m.put("path", f.path());
                        if (f.format() != null) m.put("format", f.format());
                        if (f.delimiter() != null) m.put("delimiter", f.delimiter());
                    }
                    case SourceDefinition.JdbcLocation j -> {
                        m.put("jdbc", j.url());
                        if (j.table() != null) m.put("table", j.table());
                        if (j.query() != null) m.put("query", j.query());
                        if (j.user() != null) m.put("user", j.user());
                        if (j.passwordEnv() != null) m.put("password_env", j.passwordEnv());
                    }
                }
                m.put("event_timestamp", s.eventTimestamp());
                if (s.createdTimestamp() != null) m.put("created_timestamp", s.createdTimestamp());
            }
            case FeatureView v -> {
                m.put("entities", v.entities());
                m.put("source", v.source());
                if (v.ttl() != null) m.put("ttl", duration(v.ttl()));
                List<Map<String, Object>> features = new ArrayList<>();
                for (Feature f : v.features()) features.add(feature(f));
                m.put("features", features);
            }
            case FeatureService s -> m.put("features", s.features().stream().map(FeatureReference::toString).toList());
        }
        return m;
    }

    private static Map<String, Object> feature(Feature feature) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", feature.name());
        switch (feature) {
            case Feature.Column c -> m.put("column", c.column());
            case Feature.Expression e -> m.put("sql", e.sql());
            case Feature.Aggregate a -> {
                m.put("aggregation", a.function().label());
                if (a.column() != null) m.put("column", a.column());
                if (a.sql() != null) m.put("sql", a.sql());
                m.put("window", duration(a.window()));
            }
        }
        return m;
    }

    /** A duration in the short form the definitions take: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, else ISO-8601. */
    public static String duration(Duration d) {
        long seconds = d.getSeconds();
        if (d.getNano() != 0) return d.toString();
        if (seconds % 86_400 == 0) return seconds / 86_400 + "d";
        if (seconds % 3_600 == 0) return seconds / 3_600 + "h";
        if (seconds % 60 == 0) return seconds / 60 + "m";
        return seconds + "s";
    }
}
