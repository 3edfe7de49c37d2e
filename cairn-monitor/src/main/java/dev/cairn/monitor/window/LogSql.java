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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DuckDB SQL monitoring reads the prediction log with: one relation of requests over a set of
 * segment files ({@link #requests}), and the flattening of a window's accepted requests into one row
 * per scored row, with each signature input typed as the model's reference has it and the score,
 * predicted label and latency: with each input's quality flags, for a window's table ({@link #window}),
 * or with the request id and time, for joining labels ({@link #rows}).
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

    /**
     * One row per scored row of the accepted requests in {@code requests} (already filtered to one window,
     * version and set of segments): the typed inputs (named as the signature names them) and the prediction
     * columns, with each row's request id and time (what labels are joined on).
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
            sql.append(typed(f, referenceKind(model, f.name()), raw, "lower(trim(" + raw + "))", "TRY_CAST(" + raw + " AS DOUBLE)"))
                    .append(" AS ").append(Sql.identifier(f.name())).append(", ");
        }
        sql.append(scoreSql(model, "y")).append(" AS ").append(SCORE).append(", ");
        sql.append(model.kind() == OutputKind.REGRESSION ? "NULL::VARCHAR" : field("y", "label")).append(" AS ").append(LABEL).append(", ");
        sql.append("CASE WHEN i = 0 THEN latency_us / 1000.0 END AS ").append(LATENCY).append(", ");
        sql.append("CASE WHEN n = 1 THEN request_id ELSE request_id || '#' || (i + 1) END AS ").append(REQUEST_ID).append(", ");
        sql.append("time AS ").append(TIME);
        sql.append(" FROM (SELECT request_id, time, latency_us, json_array_length(inputs)::BIGINT AS n, ")
                .append("unnest(from_json(inputs, ").append(Sql.literal(inputStructure(model, keys))).append(")) AS x, ")
                .append("unnest(from_json(outputs, ").append(Sql.literal(outputStructure(model, "VARCHAR"))).append(")) AS y, ")
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
        LinkedHashMap<String, String> fields = new LinkedHashMap<>();
        for (Field f : model.inputs()) fields.put(f.name(), "VARCHAR");
        for (String k : keys) fields.put(k, "VARCHAR");
        return "[" + json(fields) + "]";
    }

    /** The shape each logged prediction is parsed into: only what the label and the score (as {@code scoreType}) are taken from. */
    private static String outputStructure(MonitoredModel model, String scoreType) {
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        if (model.kind() != OutputKind.REGRESSION) fields.put("label", "VARCHAR");
        if (model.kind() == OutputKind.REGRESSION) fields.put("value", scoreType);
        if (model.kind() == OutputKind.BINARY) fields.put("probabilities", Map.of(model.positiveClass(), scoreType));
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

    /** Quality flags of an input value, {@value #FLAG_BITS} bits per input in a window's table ({@link #flagColumn}). */
    static final int MISSING = 1;
    static final int TYPE_ERROR = 2;
    static final int OUT_OF_RANGE = 4;
    static final int UNSEEN = 8;
    static final int FLAG_BITS = 4;
    /** Inputs whose flags share one UBIGINT column: one column to write and group by instead of one per input. */
    static final int FLAGS_PER_COLUMN = 16;

    /** The column holding input {@code k}'s flags, at bit {@code FLAG_BITS * (k % FLAGS_PER_COLUMN)}. */
    static String flagColumn(int k) {
        return "__flags_" + k / FLAGS_PER_COLUMN;
    }

    /** How a window's table reads an input (see {@link #window}). */
    private enum Read {
        /** A number parsed as DOUBLE, its raw text parsed again only when that is not a plain number. */
        NUMBER,
        /** Text with a domain: a value of the domain is present, seen and itself; only others are checked as text. */
        DOMAIN,
        /** Anything else: typed and checked from its raw text. */
        TEXT
    }

    /**
     * A window's table: one row per scored row of the accepted requests in {@code requests}, in the log's order, with
     * the typed inputs, score, predicted label and latency as {@link #rows} types them, the inputs' quality flags
     * ({@link #flagColumn}: missing, type error, out of range, unseen, as {@link #qualityCounts} counts them), and the
     * reconstruction error when the model has a multivariate reference. One pass, no raw text kept (checking quality
     * from kept text was a second scan that cost 15-20% of a window's time).
     *
     * <p>Most values take a short way that gives what the long way (typing and checking the raw text, as {@link #rows}
     * and the quality checks do) would:
     * <ul>
     *   <li>A numeric input is parsed straight into DOUBLE: taken as text, DuckDB writes every JSON number back out as
     *       text, to be cast again, which was a third of the flattening. A JSON number or numeric string parses to the
     *       double its text casts to, so a row whose numeric inputs all parse to a number (not null, not NaN) has them
     *       typed as parsed, and only their range can be flagged; any other row (a value missing, "nan", text that is
     *       no number, or a JSON boolean anywhere in the request, which would parse as 1 or 0) has its numeric inputs
     *       parsed again as text and takes the long way.</li>
     *   <li>A text input with a domain: a value of the domain (found by a cast to an ENUM of the domain, a hash lookup)
     *       is the typed value itself with no flag, when no value of the domain is blank or "nan"; others take the long
     *       way.</li>
     * </ul>
     */
    static String window(String requests, MonitoredModel model) {
        return window(requests, model, List.of());
    }

    /** As {@link #window(String, MonitoredModel)}, with the columns {@code carried} of {@code requests} kept as they are. */
    static String window(String requests, MonitoredModel model, List<String> carried) {
        String pass = carried.isEmpty() ? "" : String.join(", ", carried) + ", ";
        List<Field> inputs = model.inputs();
        Read[] read = new Read[inputs.size()];
        LinkedHashMap<String, String> structure = new LinkedHashMap<>();
        LinkedHashMap<String, String> textStructure = new LinkedHashMap<>();
        List<String> numbersParsed = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Field f = inputs.get(k);
            ColumnKind kind = kind(f, referenceKind(model, f.name()));
            read[k] = (f.type() == FieldType.INTEGER || f.type() == FieldType.DOUBLE) && kind == ColumnKind.NUMERIC ? Read.NUMBER
                    : f.type() == FieldType.STRING && kind == ColumnKind.STRING && f.domain() != null && !f.domain().isEmpty()
                      && f.domain().stream().noneMatch(LogSql::mayReadAsMissing) ? Read.DOMAIN
                    : Read.TEXT;
            structure.put(f.name(), read[k] == Read.NUMBER ? "DOUBLE" : "VARCHAR");
            if (read[k] == Read.NUMBER) {
                textStructure.put(f.name(), "VARCHAR");
                String v = field("x", f.name());
                numbersParsed.add(v + " IS NOT NULL AND NOT isnan(" + v + ")");
            }
        }
        boolean numbers = !numbersParsed.isEmpty();
        // 1. each request's inputs and outputs parsed once.
        String parsed = "SELECT " + pass + "latency_us, outputs AS __outputs, from_json(inputs, " + Sql.literal("[" + json(structure) + "]") + ") AS __xs, "
                + "from_json(outputs, " + Sql.literal(outputStructure(model, "DOUBLE")) + ") AS __ys"
                + (numbers ? ", inputs AS __inputs, (contains(inputs, 'true') OR contains(inputs, 'false')) AS __booleans" : "")
                + " FROM " + requests + " WHERE error IS NULL AND outputs IS NOT NULL";
        // 2. one row per scored row: its input i and prediction __j, from 1 (as unnest(range(json_array_length(inputs))),
        // one parse less: the parsed list's length is the same).
        String unnested = "SELECT " + pass + "latency_us, __outputs, " + (numbers ? "__inputs, __booleans, " : "")
                + "unnest(__xs) AS x, unnest(__ys) AS y, generate_subscripts(__xs, 1) AS i, generate_subscripts(__ys, 1) AS __j FROM (" + parsed + ")";
        // 3. whether the row's numbers are typed as parsed; if not, its numeric inputs parsed again, as text.
        String reparsed = !numbers ? unnested
                : "SELECT " + pass + "latency_us, __outputs, x, y, i, __j, __fast, CASE WHEN __fast THEN NULL ELSE from_json(__inputs, "
                  + Sql.literal("[" + json(textStructure) + "]") + ")[i] END AS __text FROM (SELECT " + pass + "latency_us, __outputs, __inputs, x, y, i, __j, "
                  + "(NOT __booleans AND " + String.join(" AND ", numbersParsed) + ") AS __fast FROM (" + unnested + "))";
        // 4. each raw value, and what both its typed value and its flags need: its trimmed lower-case form, its number.
        StringBuilder values = new StringBuilder("SELECT " + pass + "latency_us, __outputs, i, __j, y").append(numbers ? ", __fast" : "");
        for (int k = 0; k < inputs.size(); k++) {
            Field f = inputs.get(k);
            String raw = field(read[k] == Read.NUMBER ? "__text" : "x", f.name());
            values.append(", ").append(raw).append(" AS ").append(rawColumn(k));
            switch (read[k]) {
                case NUMBER -> values.append(", ").append(field("x", f.name())).append(" AS ").append(parsedColumn(k));
                case DOMAIN -> values.append(", TRY_CAST(").append(raw).append(" AS ").append(enumType(f.domain())).append(") IS NOT NULL AS ")
                        .append(parsedColumn(k));
                case TEXT -> { }
            }
            if (read[k] != Read.DOMAIN) {
                values.append(", lower(trim(").append(raw).append(")) AS ").append(trimmedColumn(k));
                if (needsNumber(f, referenceKind(model, f.name()))) {
                    values.append(", TRY_CAST(").append(raw).append(" AS DOUBLE) AS ").append(numberColumn(k));
                }
            }
        }
        values.append(" FROM (").append(reparsed).append(")");
        // 5. the window's columns.
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> flags = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Field f = inputs.get(k);
            String raw = rawColumn(k);
            // The long way; a DOMAIN input takes it so rarely that its text is trimmed and cast only there.
            String trimmed = read[k] == Read.DOMAIN ? "lower(trim(" + raw + "))" : trimmedColumn(k);
            String number = read[k] == Read.DOMAIN ? "TRY_CAST(" + raw + " AS DOUBLE)" : numberColumn(k);
            String typed = typed(f, referenceKind(model, f.name()), raw, trimmed, number);
            String flag = flagsSql(f, raw, trimmed, number);
            switch (read[k]) {
                case NUMBER -> {
                    typed = "(CASE WHEN __fast THEN " + parsedColumn(k) + " ELSE " + typed + " END)";
                    String range = rangeSql(f, parsedColumn(k));
                    flag = "(CASE WHEN __fast THEN " + (range == null ? "0" : range) + " ELSE " + flag + " END)";
                }
                case DOMAIN -> {
                    typed = "(CASE WHEN " + parsedColumn(k) + " THEN " + raw + " ELSE " + typed + " END)";
                    flag = "(CASE WHEN " + parsedColumn(k) + " THEN 0 ELSE " + flag + " END)";
                }
                case TEXT -> { }
            }
            sql.append(typed).append(" AS ").append(Sql.identifier(f.name())).append(", ");
            flags.add(flag);
        }
        for (int c = 0; c * FLAGS_PER_COLUMN < flags.size(); c++) {
            List<String> packed = new ArrayList<>();
            for (int k = c * FLAGS_PER_COLUMN; k < Math.min(flags.size(), (c + 1) * FLAGS_PER_COLUMN); k++) {
                packed.add("((" + flags.get(k) + ")::UBIGINT << " + FLAG_BITS * (k % FLAGS_PER_COLUMN) + ")");
            }
            sql.append("(").append(String.join(" | ", packed)).append(") AS ").append(flagColumn(c * FLAGS_PER_COLUMN)).append(", ");
        }
        // The score parsed as DOUBLE is what its text casts to, unless it was a JSON boolean (parsed as 1 or 0, cast to
        // NULL): a score of exactly 0 or 1 is taken from the prediction parsed again, as text.
        String score = scoreSql(model, "y");
        if (model.kind() != OutputKind.MULTICLASS) {
            String parsedScore = model.kind() == OutputKind.BINARY ? field(field("y", "probabilities"), model.positiveClass()) : field("y", "value");
            score = "(CASE WHEN " + parsedScore + " = 0 OR " + parsedScore + " = 1 THEN " + scoreSql(model, "from_json(__outputs, "
                    + Sql.literal(outputStructure(model, "VARCHAR")) + ")[__j]") + " ELSE " + parsedScore + " END)";
        }
        sql.append(score).append(" AS ").append(SCORE).append(", ");
        sql.append(model.kind() == OutputKind.REGRESSION ? "NULL::VARCHAR" : field("y", "label")).append(" AS ").append(LABEL).append(", ");
        sql.append("CASE WHEN i = 1 THEN latency_us / 1000.0 END AS ").append(LATENCY);
        for (String c : carried) sql.append(", ").append(c);
        return sql.append(" FROM (").append(values).append(")").toString();
    }

    /**
     * Whether a domain value could be read as missing ({@code lower(trim(v))} blank or "nan" in DuckDB): erring on the
     * safe side, any value that is blank after trimming spaces, or of three characters not all ASCII letters and digits.
     */
    static boolean mayReadAsMissing(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && value.charAt(from) == ' ') from++;
        while (to > from && value.charAt(to - 1) == ' ') to--;
        String t = value.substring(from, to);
        if (t.isEmpty()) return true;
        if (t.codePointCount(0, t.length()) != 3) return false;
        return t.equalsIgnoreCase("nan") || !t.chars().allMatch(ch -> ch < 128 && Character.isLetterOrDigit(ch));
    }

    private static String parsedColumn(int k) {
        return "__v_" + k;
    }

    private static String rawColumn(int k) {
        return "__r_" + k;
    }

    private static String trimmedColumn(int k) {
        return "__t_" + k;
    }

    private static String numberColumn(int k) {
        return "__d_" + k;
    }

    private static boolean needsNumber(Field f, ColumnKind reference) {
        return f.type() == FieldType.INTEGER || f.type() == FieldType.DOUBLE || kind(f, reference) == ColumnKind.NUMERIC && f.type() != FieldType.BOOLEAN;
    }

    /** The score in a parsed prediction {@code y}: the positive class's probability, or the predicted value; NULL for classes. */
    private static String scoreSql(MonitoredModel model, String y) {
        return switch (model.kind()) {
            case BINARY -> "TRY_CAST(" + field(field(y, "probabilities"), model.positiveClass()) + " AS DOUBLE)";
            case REGRESSION -> "TRY_CAST(" + field(y, "value") + " AS DOUBLE)";
            case MULTICLASS -> "NULL::DOUBLE";
        };
    }

    /**
     * An input's typed value, of the kind the reference has (else its signature type's), from its raw text
     * {@code raw}, that text's {@code lower(trim(raw))} {@code trimmed} and its {@code TRY_CAST(raw AS DOUBLE)}
     * {@code number}: numbers (booleans as 1.0 and 0.0; "nan" as missing), booleans as the runtime spells them,
     * timestamps, and text (blank as missing; {@code trim(raw) = ''} is {@code trimmed = ''}).
     */
    static String typed(Field f, ColumnKind reference, String raw, String trimmed, String number) {
        return switch (kind(f, reference)) {
            case NUMERIC -> f.type() == FieldType.BOOLEAN
                    ? "(CASE WHEN " + trimmed + " IN " + TRUE_SPELLINGS + " THEN 1.0 WHEN " + trimmed + " IN " + FALSE_SPELLINGS + " THEN 0.0 END)"
                    : "(CASE WHEN " + trimmed + " = 'nan' THEN NULL ELSE " + number + " END)";
            case BOOLEAN -> "(CASE WHEN " + trimmed + " IN " + TRUE_SPELLINGS + " THEN true WHEN " + trimmed + " IN " + FALSE_SPELLINGS + " THEN false END)";
            case TEMPORAL -> "TRY_CAST(" + raw + " AS TIMESTAMP)";
            case STRING -> "(CASE WHEN " + trimmed + " = '' THEN NULL ELSE " + raw + " END)";
        };
    }

    /**
     * An input value's quality flags as a UTINYINT, the conditions of {@link #quality} over the value's raw text,
     * trimmed lower-case text and number (as {@link #typed} takes them). A value may
     * have several: "nan" is missing and, as DuckDB orders NaN above every number, above a maximum too.
     */
    static String flagsSql(Field f, String raw, String trimmed, String number) {
        String missing = "(" + raw + " IS NULL OR " + trimmed + " = '' OR " + trimmed + " = 'nan')";
        String typeError = switch (f.type()) {
            case INTEGER, DOUBLE -> number + " IS NULL";
            case BOOLEAN -> "NOT (" + trimmed + " IN " + TRUE_SPELLINGS + " OR " + trimmed + " IN " + FALSE_SPELLINGS + ")";
            case TIMESTAMP -> "TRY_CAST(" + raw + " AS TIMESTAMP) IS NULL AND TRY_CAST(" + raw + " AS BIGINT) IS NULL";
            case STRING -> null;
        };
        String range = rangeSql(f, number);
        StringBuilder sql = new StringBuilder("(CASE WHEN ").append(missing).append(" THEN ").append(MISSING);
        if (typeError != null) sql.append(" WHEN ").append(typeError).append(" THEN ").append(TYPE_ERROR);
        sql.append(" ELSE 0 END");
        if (range != null) sql.append(" + ").append(range);
        if (f.domain() != null && !f.domain().isEmpty() && f.type() == FieldType.STRING) {
            sql.append(" + CASE WHEN NOT ").append(missing).append(" AND ").append(notIn(raw, f.domain())).append(" THEN ").append(UNSEEN).append(" ELSE 0 END");
        }
        return sql.append(")::UTINYINT").toString();
    }

    /** The out-of-range flag of a number of a numeric input with a minimum or maximum; null when it has neither. */
    private static String rangeSql(Field f, String number) {
        if (f.type() != FieldType.INTEGER && f.type() != FieldType.DOUBLE) return null;
        List<String> range = new ArrayList<>();
        if (f.min() != null) range.add(number + " < " + f.min());
        if (f.max() != null) range.add(number + " > " + f.max());
        return range.isEmpty() ? null : "CASE WHEN " + String.join(" OR ", range) + " THEN " + OUT_OF_RANGE + " ELSE 0 END";
    }

    /**
     * {@code raw NOT IN (domain)} for a present value, as a lookup: a cast to an ENUM of the domain's values finds a
     * value by hash (a long IN list compares the value with each in turn).
     */
    static String notIn(String raw, List<String> domain) {
        return "TRY_CAST(" + raw + " AS " + enumType(domain) + ") IS NULL";
    }

    /** An ENUM type of {@code values} (repeats dropped: a type lists each once). */
    static String enumType(java.util.Collection<String> values) {
        return new java.util.LinkedHashSet<>(values).stream().map(Sql::literal).collect(Collectors.joining(", ", "ENUM(", ")"));
    }

    private static ColumnKind kind(Field f, ColumnKind reference) {
        return reference != null ? reference : switch (f.type()) {
            case INTEGER, DOUBLE -> ColumnKind.NUMERIC;
            case BOOLEAN -> ColumnKind.BOOLEAN;
            case TIMESTAMP -> ColumnKind.TEMPORAL;
            case STRING -> ColumnKind.STRING;
        };
    }

    /**
     * The rows of a window's table counted by their inputs' flags (the {@link #flagColumn} columns, then the count):
     * few combinations occur, so this is a small grouping rather than four filtered counts per input.
     */
    static String quality(String relation, MonitoredModel model) {
        List<String> columns = new ArrayList<>();
        for (int k = 0; k < model.inputs().size(); k += FLAGS_PER_COLUMN) columns.add(flagColumn(k));
        if (columns.isEmpty()) return "SELECT count(*) FROM " + relation;
        return "SELECT " + String.join(", ", columns) + ", count(*) FROM " + relation + " GROUP BY ALL";
    }

    /** Per input, the rows of {@link #quality} summed by flag: missing, type errors, out of range, unseen. */
    static Map<String, FieldQuality> qualityCounts(ResultSet r, MonitoredModel model) throws SQLException {
        List<Field> inputs = model.inputs();
        int columns = (inputs.size() + FLAGS_PER_COLUMN - 1) / FLAGS_PER_COLUMN;
        long[][] counts = new long[inputs.size()][4];
        int[] bits = {MISSING, TYPE_ERROR, OUT_OF_RANGE, UNSEEN};
        while (r.next()) {
            long n = r.getLong(columns + 1);
            for (int k = 0; k < inputs.size(); k++) {
                // UBIGINT comes back as a BigInteger; the flags use at most its low 64 bits.
                long packed = ((Number) r.getObject(k / FLAGS_PER_COLUMN + 1)).longValue();
                long flags = packed >>> (FLAG_BITS * (k % FLAGS_PER_COLUMN));
                for (int b = 0; b < bits.length; b++) if ((flags & bits[b]) != 0) counts[k][b] += n;
            }
        }
        Map<String, FieldQuality> quality = new LinkedHashMap<>();
        for (int k = 0; k < inputs.size(); k++) {
            quality.put(inputs.get(k).name(), new FieldQuality(counts[k][0], counts[k][1], counts[k][2], counts[k][3]));
        }
        return quality;
    }
}
