package dev.cairn.data.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.access.DataAccess;
import dev.cairn.core.error.CairnException;
import dev.cairn.data.DataValidation;
import dev.cairn.data.ProfiledValidation;
import dev.cairn.data.RunRecorder;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.SpecYaml;
import dev.cairn.data.source.CsvOptions;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.FileFormat;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The REST operations of {@code /api/v1/data/...}, free of any HTTP framework so that the server's
 * route class is a thin wrapper: each method takes the parsed JSON body and returns the value to
 * render as JSON. A body names its data as
 * {@code "source": {"path": "...", "format": "csv", "delimiter": ";", "encoding": "latin-1"}} (a file under one of the
 * server's data roots; relative paths resolve in the first) or
 * {@code "source": {"connection": "NAME", "table": "...", "user": "...", "password": "..."}} (a database the
 * administrator registered under that name; a raw {@code jdbc_url} is refused), and may name a {@code run_id}: the
 * results are then stored in that run (artifacts and metrics). What a request may reach is the {@link DataAccess}.
 */
public final class DataRequests {
    private final DataValidation data = new DataValidation();
    private final Function<String, RunRecorder> runs;
    private final DataAccess access;

    /**
     * {@code runs} gives the recorder of a run id (or throws RESOURCE_DOES_NOT_EXIST); null when the server stores no
     * results. {@code access}: the files and databases requests may name.
     */
    public DataRequests(Function<String, RunRecorder> runs, DataAccess access) {
        this.runs = runs;
        this.access = access;
    }

    /** POST /api/v1/data/profile — {source, name?, run_id?} → the profile. */
    public DatasetProfile profile(JsonNode body) {
        DatasetProfile profile = data.profile(source(body, "source"));
        recorder(body).ifPresent(r -> data.record(r, name(body), profile));
        return profile;
    }

    /** POST /api/v1/data/infer-schema — {source, label?, dataset?} → {yaml, spec}. */
    public Map<String, Object> inferSchema(JsonNode body) {
        DatasetProfile profile = data.profile(source(body, "source"));
        DataSpec spec = data.inferSchema(profile, text(body, "dataset", name(body)), text(body, "label", null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("yaml", SpecYaml.write(spec));
        out.put("spec", spec);
        return out;
    }

    /** POST /api/v1/data/validate — {source, spec_yaml, environment?, run_id?, name?} → the validation result. */
    public ValidationResult validate(JsonNode body) {
        String yaml = text(body, "spec_yaml", null);
        if (yaml == null) throw CairnException.invalid("spec_yaml", null, "the schema and checks as YAML text");
        DataSpec spec = SpecYaml.read(yaml, "spec_yaml");
        ProfiledValidation result = data.profileAndValidate(source(body, "source"), spec, text(body, "environment", null), MetricsHistory.NONE);
        recorder(body).ifPresent(r -> {
            data.record(r, name(body), result.profile());
            data.record(r, name(body), result.validation());
        });
        return result.validation();
    }

    /**
     * POST /api/v1/data/drift — {reference, current, p_value?, distance?, share?, bins?, tests?, run_id?} → the drift
     * result. {@code reference} and {@code current} are sources, or {"profile": {…}} with a stored profile.
     */
    public DriftResult drift(JsonNode body) {
        DriftOptions options = new DriftOptions(
                body.path("p_value").asDouble(DriftOptions.DEFAULT.pValueThreshold()),
                body.path("distance").asDouble(DriftOptions.DEFAULT.distanceThreshold()),
                body.path("share").asDouble(DriftOptions.DEFAULT.datasetDriftShare()),
                body.path("bins").asInt(DriftOptions.DEFAULT.bins()),
                tests(body.path("tests")));
        DriftResult result;
        JsonNode ref = body.path("reference");
        JsonNode cur = body.path("current");
        if (ref.has("profile") || cur.has("profile")) {
            result = data.drift(profileOf(ref, "reference"), profileOf(cur, "current"), options);
        } else {
            result = data.drift(source(body, "reference"), source(body, "current"), options);
        }
        recorder(body).ifPresent(r -> data.record(r, name(body), result));
        return result;
    }

    private DatasetProfile profileOf(JsonNode node, String field) {
        if (node.has("profile")) return ProfileJson.read(node.get("profile").toString());
        return data.profile(sourceOf(node, field));
    }

    private static Map<String, String> tests(JsonNode node) {
        Map<String, String> tests = new LinkedHashMap<>();
        node.properties().forEach(e -> tests.put(e.getKey(), e.getValue().asText()));
        return tests;
    }

    private java.util.Optional<RunRecorder> recorder(JsonNode body) {
        String runId = text(body, "run_id", null);
        if (runId == null) return java.util.Optional.empty();
        if (runs == null) throw CairnException.invalid("run_id", runId, "no run_id: this server stores no data results");
        return java.util.Optional.of(runs.apply(runId));
    }

    private static String name(JsonNode body) {
        return text(body, "name", "dataset");
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private DataSource source(JsonNode body, String field) {
        return sourceOf(body.path(field), field);
    }

    DataSource sourceOf(JsonNode s, String field) {
        if (s.isMissingNode() || !s.isObject()) {
            throw CairnException.invalid(field, s.isMissingNode() ? null : s.toString(),
                    "an object with \"path\" (a CSV, Parquet or JSON-lines file) or \"connection\" and \"table\"");
        }
        if (s.has("jdbc_url")) throw access.rawJdbcUrl(field + ".jdbc_url", s.get("jdbc_url").asText(null));
        if (s.hasNonNull("connection")) {
            String name = s.get("connection").asText();
            String url = access.connection(field + ".connection", name);
            String tableField = s.hasNonNull("query") ? field + ".query" : field + ".table";
            String table = s.hasNonNull("query") ? s.get("query").asText() : s.path("table").asText(null);
            requireReadOnlyQuery(tableField, table);
            return new JdbcSource(url, s.path("user").asText(null), s.path("password").asText(null), table, "connection " + name);
        }
        if (!s.hasNonNull("path")) throw CairnException.invalid(field + ".path", null, "a file path or a named connection");
        String given = s.get("path").asText();
        Path path = access.file(field + ".path", given);
        FileFormat format = s.hasNonNull("format") ? switch (s.get("format").asText().toLowerCase()) {
            case "csv" -> FileFormat.CSV;
            case "parquet" -> FileFormat.PARQUET;
            case "jsonl", "json", "ndjson" -> FileFormat.JSON_LINES;
            default -> throw CairnException.invalid(field + ".format", s.get("format").asText(), "csv, parquet or jsonl");
        } : FileFormat.of(path);
        CsvOptions csv = new CsvOptions(s.path("header").asBoolean(true), s.path("delimiter").asText(null), s.path("quote").asText(null),
                s.path("encoding").asText("utf-8"));
        return new FileSource(path, format, csv, given);
    }

    /**
     * A table name or one read-only statement ({@code SELECT …} / {@code WITH …}): a named connection is opened with
     * the administrator's credentials, so a request may read through it but not attach other files, write, or chain
     * statements.
     */
    private static void requireReadOnlyQuery(String field, String tableOrQuery) {
        if (tableOrQuery == null || tableOrQuery.isBlank()) throw CairnException.invalid(field, tableOrQuery, "a table name or a SELECT query");
        String q = tableOrQuery.strip();
        if (q.endsWith(";")) q = q.substring(0, q.length() - 1).strip();
        if (q.matches("[A-Za-z_][A-Za-z0-9_$.]*")) return;
        String lower = q.toLowerCase(java.util.Locale.ROOT);
        if ((lower.startsWith("select") || lower.startsWith("with")) && q.indexOf(';') < 0) return;
        throw CairnException.invalid(field, tableOrQuery, "a table name or one SELECT (or WITH … SELECT) query");
    }
}
