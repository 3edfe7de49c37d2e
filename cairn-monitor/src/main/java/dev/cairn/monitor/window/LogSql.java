package dev.cairn.monitor.window;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.Sql;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.monitor.log.PredictionLogLayout;
import dev.cairn.runtime.pkg.OutputKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DuckDB SQL monitoring reads the prediction log with: one relation of requests over a set of
 * segment files ({@link #requests}), and the flattening of a window's accepted requests into one row
 * per scored row, with each signature input typed as the model's reference has it, its raw text kept
 * beside it for the quality checks, and the score, predicted label and latency ({@link #rows}).
 */
final class LogSql {
    /** Spellings a BOOLEAN input accepts, as the runtime's Coercion does (any letter case). */
    static final String TRUE_SPELLINGS = "('true','t','yes','y','1')";
    static final String FALSE_SPELLINGS = "('false','f','no','n','0')";

    static final String SCORE = "__score";
    static final String LABEL = "__label";
    static final String LATENCY = "__latency_ms";
    static final String RECONSTRUCTION = "__reconstruction_error";
    static final String REQUEST_ID = "__request_id";
    static final String TIME = "__time";

    private LogSql() {}

    /**
     * The requests of {@code deployment} in the plain segment files and, from compacted files, only the
     * rows of segments not in {@code exclude}; columns as the layout's plus {@code seg} (the segment id).
     * {@code columns} are those the files have (older segments lack {@code error_fields}).
     */
    static String requests(List<Path> plain, List<Path> compacted, Collection<String> exclude, String deployment, Set<String> columns) {
        List<String> parts = new ArrayList<>();
        String errorFields = columns.contains("error_fields") ? "error_fields" : "NULL::VARCHAR AS error_fields";
        String select = "SELECT request_id, time, deployment, model, model_version, shadow, inputs, outputs, error, "
                + errorFields + ", latency_us, ";
        if (!plain.isEmpty()) {
            parts.add(select + "regexp_extract(filename, '([^/\\\\]+)\\.parquet$', 1) AS seg FROM read_parquet(" + list(plain)
                    + ", union_by_name = true, filename = true) WHERE deployment = " + Sql.literal(deployment));
        }
        if (!compacted.isEmpty()) {
            String notIn = exclude.isEmpty() ? "" : " AND " + PredictionLogLayout.SEGMENT_COLUMN + " NOT IN ("
                    + exclude.stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
            parts.add(select + PredictionLogLayout.SEGMENT_COLUMN + " AS seg FROM read_parquet(" + list(compacted)
                    + ", union_by_name = true) WHERE deployment = " + Sql.literal(deployment) + notIn);
        }
        if (parts.isEmpty()) throw new IllegalArgumentException("no files");
        return "(" + String.join(" UNION ALL BY NAME ", parts) + ")";
    }

    static String list(List<Path> files) {
        return files.stream().map(p -> Sql.literal(p.toString())).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The column name of input {@code i}'s raw text. */
    static String raw(int i) {
        return "__raw_" + i;
    }

    /**
     * One row per scored row of the accepted requests in {@code requests} (already filtered to one window,
     * version and set of segments): the typed inputs (named as the signature names them), their raw text,
     * and the prediction columns.
     */
    static String rows(String requests, MonitoredModel model) {
        return rows(requests, model, List.of());
    }

    /** The column of input field {@code name}'s raw text, kept to join labels on it. */
    static String key(String name) {
        return Sql.identifier("__key_" + name);
    }

    /** As {@link #rows(String, MonitoredModel)}, plus the raw text of {@code keys} (any logged input field, for joining labels). */
    static String rows(String requests, MonitoredModel model, List<String> keys) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String k : keys) sql.append(field("x", k)).append(" AS ").append(key(k)).append(", ");
        List<Field> inputs = model.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Field f = inputs.get(i);
            String raw = field("x", f.name());
            sql.append(typed(f, raw, referenceKind(model, f.name()))).append(" AS ").append(Sql.identifier(f.name())).append(", ");
            sql.append(raw).append(" AS ").append(raw(i)).append(", ");
        }
        String score = switch (model.kind()) {
            case BINARY -> "TRY_CAST(" + field(field("y", "probabilities"), model.positiveClass()) + " AS DOUBLE)";
            case REGRESSION -> "TRY_CAST(" + field("y", "value") + " AS DOUBLE)";
            case MULTICLASS -> "NULL::DOUBLE";
        };
        sql.append(score).append(" AS ").append(SCORE).append(", ");
        sql.append(model.kind() == OutputKind.REGRESSION ? "NULL::VARCHAR" : field("y", "label")).append(" AS ").append(LABEL).append(", ");
        sql.append("CASE WHEN i = 0 THEN latency_us / 1000.0 END AS ").append(LATENCY).append(", ");
        sql.append("CASE WHEN n = 1 THEN request_id ELSE request_id || '#' || (i + 1) END AS ").append(REQUEST_ID).append(", ");
        sql.append("time AS ").append(TIME);
        sql.append(" FROM (SELECT request_id, time, latency_us, json_array_length(inputs)::BIGINT AS n, ")
                .append("unnest(from_json(inputs, ").append(Sql.literal(inputStructure(model, keys))).append(")) AS x, ")
                .append("unnest(from_json(outputs, ").append(Sql.literal(outputStructure(model))).append(")) AS y, ")
                .append("unnest(range(json_array_length(inputs)::BIGINT)) AS i FROM ").append(requests)
                .append(" WHERE error IS NULL AND outputs IS NOT NULL)");
        return sql.toString();
    }

    /** {@code struct['name']}: a field of a parsed row, by any name. */
    private static String field(String struct, String name) {
        return "(" + struct + "[" + Sql.literal(name) + "])";
    }

    /**
     * The shape each logged row is parsed into, once: every input (and join key) as its raw text. Parsing a row's
     * JSON once per field ({@code ->>}) cost the flattening most of its time at millions of rows.
     */
    private static String inputStructure(MonitoredModel model, List<String> keys) {
        java.util.LinkedHashMap<String, String> fields = new java.util.LinkedHashMap<>();
        for (Field f : model.inputs()) fields.put(f.name(), "VARCHAR");
        for (String k : keys) fields.put(k, "VARCHAR");
        return "[" + json(fields) + "]";
    }

    private static String outputStructure(MonitoredModel model) {
        java.util.LinkedHashMap<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("label", "VARCHAR");
        fields.put("value", "VARCHAR");
        if (model.positiveClass() != null) fields.put("probabilities", java.util.Map.of(model.positiveClass(), "VARCHAR"));
        return "[" + json(fields) + "]";
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The kind the training data's profile gave the column, so live and reference profiles compare like with like. */
    private static ColumnKind referenceKind(MonitoredModel model, String name) {
        if (model.trainingProfile() == null) return null;
        return model.trainingProfile().column(name).map(ColumnProfile::kind).orElse(null);
    }

    static String typed(Field f, String raw, ColumnKind reference) {
        ColumnKind kind = reference != null ? reference : switch (f.type()) {
            case INTEGER, DOUBLE -> ColumnKind.NUMERIC;
            case BOOLEAN -> ColumnKind.BOOLEAN;
            case TIMESTAMP -> ColumnKind.TEMPORAL;
            case STRING -> ColumnKind.STRING;
        };
        return switch (kind) {
            case NUMERIC -> f.type() == FieldType.BOOLEAN
                    ? "(CASE WHEN lower(trim(" + raw + ")) IN " + TRUE_SPELLINGS + " THEN 1.0 WHEN lower(trim(" + raw + ")) IN "
                      + FALSE_SPELLINGS + " THEN 0.0 END)"
                    : "(CASE WHEN lower(trim(" + raw + ")) = 'nan' THEN NULL ELSE TRY_CAST(" + raw + " AS DOUBLE) END)";
            case BOOLEAN -> "(CASE WHEN lower(trim(" + raw + ")) IN " + TRUE_SPELLINGS + " THEN true WHEN lower(trim(" + raw
                    + ")) IN " + FALSE_SPELLINGS + " THEN false END)";
            case TEMPORAL -> "TRY_CAST(" + raw + " AS TIMESTAMP)";
            case STRING -> "(CASE WHEN trim(" + raw + ") = '' THEN NULL ELSE " + raw + " END)";
        };
    }

    /** Aggregates over the flattened rows: per input, missing / type errors / out of range / unseen, in that order. */
    static String quality(String relation, MonitoredModel model) {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        List<Field> inputs = model.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Field f = inputs.get(i);
            String raw = raw(i);
            String missing = "(" + raw + " IS NULL OR trim(" + raw + ") = '' OR lower(trim(" + raw + ")) = 'nan')";
            sql.append(", count(*) FILTER (WHERE ").append(missing).append(")");
            sql.append(", count(*) FILTER (WHERE NOT ").append(missing).append(" AND ").append(typeError(f, raw)).append(")");
            String number = "TRY_CAST(" + raw + " AS DOUBLE)";
            List<String> range = new ArrayList<>();
            if (f.min() != null && (f.type() == FieldType.INTEGER || f.type() == FieldType.DOUBLE)) range.add(number + " < " + f.min());
            if (f.max() != null && (f.type() == FieldType.INTEGER || f.type() == FieldType.DOUBLE)) range.add(number + " > " + f.max());
            sql.append(", count(*) FILTER (WHERE ").append(range.isEmpty() ? "false" : String.join(" OR ", range)).append(")");
            String unseen = f.domain() == null || f.domain().isEmpty() || f.type() != FieldType.STRING ? "false"
                    : "NOT " + missing + " AND " + raw + " NOT IN (" + f.domain().stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
            sql.append(", count(*) FILTER (WHERE ").append(unseen).append(")");
        }
        return sql.append(" FROM ").append(relation).toString();
    }

    private static String typeError(Field f, String raw) {
        String t = "lower(trim(" + raw + "))";
        return switch (f.type()) {
            case INTEGER, DOUBLE -> "TRY_CAST(" + raw + " AS DOUBLE) IS NULL";
            case BOOLEAN -> "NOT (" + t + " IN " + TRUE_SPELLINGS + " OR " + t + " IN " + FALSE_SPELLINGS + ")";
            case TIMESTAMP -> "TRY_CAST(" + raw + " AS TIMESTAMP) IS NULL AND TRY_CAST(" + raw + " AS BIGINT) IS NULL";
            case STRING -> "false";
        };
    }
}
