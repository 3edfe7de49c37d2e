package dev.cairn.data.check;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.FieldType;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.FieldSpec;
import dev.cairn.data.schema.Severity;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.FileFormat;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.MalformedRow;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runs a spec's checks on a loaded table: one aggregation scan computes every check's metrics, then
 * each failed check that is about rows fetches up to {@value #SAMPLES} failing rows.
 */
public final class Validator {
    public static final int SAMPLES = 20;
    private static final String ROW = "__cairn_row";
    /** The key of a failing row's line in samples: see {@link LoadedTable#lineSql}. */
    public static final String LINE = "_line";
    /** The kind of the check that a CSV file's lines all have the header's fields. */
    public static final String MALFORMED = "well_formed";
    private static final String FAIL = "__cairn_fail";

    private Validator() {}

    public static ValidationResult validate(LoadedTable table, DataSpec spec, String environment, MetricsHistory history) {
        return validate(duckdb(table), spec, environment, history);
    }

    /** Validates a relation on any engine (see {@link CheckTarget}). */
    public static ValidationResult validate(CheckTarget table, DataSpec spec, String environment, MetricsHistory history) {
        List<Check> compiled = CheckCompiler.compile(spec, environment, table.columns(), table.describe());
        // Checks whose SQL cannot run on this data (a user's `sql` predicate comparing a column that holds text
        // where the schema says numbers): each with the first line of the reason.
        Map<Check, SQLException> broken = new LinkedHashMap<>();
        List<Check> checks = compiled;
        List<Double> values;
        try {
            values = table.aggregate(scanAggregates(table, checks));
        } catch (SQLException e) {
            for (Check check : compiled) {
                if (check.aggregates().isEmpty()) continue;
                try {
                    table.aggregate(check.aggregates());
                } catch (SQLException culprit) {
                    broken.put(check, culprit);
                }
            }
            if (broken.isEmpty()) throw table.queryError("validate", e);
            checks = compiled.stream().filter(c -> !broken.containsKey(c)).toList();
            try {
                values = table.aggregate(scanAggregates(table, checks));
            } catch (SQLException again) {
                throw table.queryError("validate", again);
            }
        }
        int[] offsets = new int[checks.size()];
        int next = 1 + table.columns().size();
        for (int i = 0; i < checks.size(); i++) {
            offsets[i] = next;
            next += checks.get(i).aggregates().size();
        }
        long rows = values.getFirst().longValue();

        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("row_count", (double) rows);
        for (int k = 0; k < table.columns().size(); k++) {
            metrics.put("completeness." + table.columns().get(k).name(), rows == 0 ? 1.0 : values.get(k + 1) / rows);
        }
        Check.Context context = (key, count) -> history.recent(key, count);
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            List<Double> own = values.subList(offsets[i], offsets[i] + check.aggregates().size());
            Outcome outcome = check.evaluate(own, context);
            metrics.putAll(check.metrics(own));
            List<Map<String, Object>> samples = List.of();
            String sampleSql = check.failingRowPredicate() == null ? null : table.sampleSql(check);
            if (!outcome.passed() && sampleSql != null) samples = table.samples(sampleSql, check);
            String observedText = outcome.observedText();
            if (!outcome.passed() && CheckCompiler.COERCION.equals(check.kind()) && !samples.isEmpty()) {
                // A value the schema's type cannot read is one failed check among the others, naming the line and value.
                Map<String, Object> first = samples.getFirst();
                FieldType type = spec.field(check.column()).map(FieldSpec::type).orElse(FieldType.STRING);
                observedText = outcome.failingRows() + " value" + (outcome.failingRows() == 1 ? "" : "s") + " not readable as " + type
                        + (first.get(LINE) == null ? ", first" : ", first at line " + first.get(LINE)) + ": '" + first.get(check.column()) + "'";
            }
            results.add(new CheckResult(check.name(), check.kind(), check.column(), check.severity(), outcome.passed(),
                    outcome.observed(), observedText, outcome.expected(), outcome.failingRows(), samples, sampleSql));
        }
        if (table.lineOriented()) results.add(wellFormed(table));
        boolean typesDiffer = results.stream().anyMatch(r -> !r.passed() && CheckCompiler.COERCION.equals(r.check()));
        for (Map.Entry<Check, SQLException> b : broken.entrySet()) {
            Check check = b.getKey();
            String reason = firstLine(b.getValue().getMessage());
            // With every column as the schema says, a check that cannot run is a mistake in the spec: bad input.
            if (!typesDiffer) {
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Check '" + check.name() + "' cannot run on "
                        + table.describe() + ": " + reason, Map.of("check", check.name()), b.getValue());
            }
            results.add(new CheckResult(check.name(), check.kind(), check.column(), check.severity(), false, null,
                    "could not run, as a column holds values its schema type cannot read (see the coercion checks): " + reason,
                    "the check runs", null, List.of(), null));
        }
        results.sort(Comparator.comparingInt(Validator::rank));
        int errors = (int) results.stream().filter(r -> !r.passed() && r.severity() == Severity.ERROR).count();
        int warnings = (int) results.stream().filter(r -> !r.passed() && r.severity() == Severity.WARNING).count();
        history.record(metrics, System.currentTimeMillis());
        return new ValidationResult(ValidationResult.FORMAT, table.describe(), environment, rows, table.malformedRowCount(),
                table.malformedRows(), errors == 0, results.size(), errors, warnings, results, metrics);
    }

    private static int rank(CheckResult r) {
        return r.passed() ? 2 : r.severity() == Severity.ERROR ? 0 : 1;
    }

    /** One aggregation scan: the row count, each column's count of values, then every check's aggregates. */
    private static List<String> scanAggregates(CheckTarget table, List<Check> checks) {
        List<String> aggregates = new ArrayList<>(List.of("count(*)"));
        for (Column c : table.columns()) aggregates.add("count(" + c.sql() + ")");
        for (Check check : checks) aggregates.addAll(check.aggregates());
        return aggregates;
    }

    /** A table loaded in DuckDB as a {@link CheckTarget}. */
    static CheckTarget duckdb(LoadedTable table) {
        return new CheckTarget() {
            @Override
            public String describe() {
                return table.source().describe();
            }

            @Override
            public List<Column> columns() {
                return table.columns();
            }

            @Override
            public List<Double> aggregate(List<String> expressions) throws SQLException {
                return queryDoubles(table, "SELECT " + String.join(", ", expressions) + " FROM " + table.relation());
            }

            @Override
            public String sampleSql(Check check) {
                return Validator.sampleSql(table, check);
            }

            @Override
            public List<Map<String, Object>> samples(String sql, Check check) {
                return Validator.samples(table, sql, check);
            }

            @Override
            public boolean lineOriented() {
                return table.source() instanceof FileSource file && file.format() == FileFormat.CSV;
            }

            @Override
            public long malformedRowCount() {
                return table.malformedRowCount();
            }

            @Override
            public List<MalformedRow> malformedRows() {
                return table.malformedRows();
            }

            @Override
            public RuntimeException queryError(String what, SQLException e) {
                return DataReader.queryError(table.source(), what, e);
            }
        };
    }

    private static List<Double> queryDoubles(LoadedTable table, String sql) throws SQLException {
        try (Statement s = table.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            int n = r.getMetaData().getColumnCount();
            List<Double> values = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                double v = r.getDouble(i);
                values.add(r.wasNull() ? null : v);
            }
            return values;
        }
    }

    /** The first failing rows, each with its line ({@value #LINE}), computed after the limit so it stays cheap. */
    static String sampleSql(LoadedTable table, Check check) {
        return "SELECT " + table.lineSql(ROW) + " AS " + LINE + ", * EXCLUDE (" + ROW + ") FROM (SELECT * EXCLUDE (" + FAIL
                + ") FROM (SELECT row_number() OVER () AS " + ROW + ", *, (" + check.failingRowPredicate() + ") AS " + FAIL + " FROM "
                + table.relation() + ") WHERE " + FAIL + " ORDER BY " + ROW + " LIMIT " + SAMPLES + ") ORDER BY " + ROW;
    }

    private static List<Map<String, Object>> samples(LoadedTable table, String sql, Check check) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = table.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnLabel(i), plain(r.getObject(i)));
                rows.add(row);
            }
        } catch (SQLException e) {
            throw DataReader.queryError(table.source(), "fetch the failing rows of check '" + check.name() + "' of", e);
        }
        return rows;
    }

    /** A sample's value as JSON shows it: numbers, booleans and text as they are, anything else as its text. */
    public static Object plain(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            if (value instanceof Double d && (d.isNaN() || d.isInfinite())) return d.toString();
            if (value instanceof Float f && (f.isNaN() || f.isInfinite())) return f.toString();
            return value;
        }
        return value.toString();
    }

    /** That every line of a CSV file has the header's fields: a ragged or short line is a failed check naming it. */
    private static CheckResult wellFormed(CheckTarget table) {
        long bad = table.malformedRowCount();
        List<Map<String, Object>> samples = new ArrayList<>();
        for (MalformedRow row : table.malformedRows()) {
            if (samples.size() == SAMPLES) break;
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put(LINE, row.line());
            sample.put("problem", row.error());
            sample.put("text", row.text());
            samples.add(sample);
        }
        String observed = bad == 0 ? "every line read" : bad + " malformed line" + (bad == 1 ? "" : "s") + " (not read): "
                + table.malformedRows().stream().limit(3).map(r -> "line " + r.line() + " " + r.error()).collect(Collectors.joining("; "))
                + (bad > 3 ? "; …" : "");
        return new CheckResult("well-formed lines", MALFORMED, null, Severity.ERROR, bad == 0, (double) bad, observed,
                "every line has the header's fields", bad, samples, null);
    }

    private static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.strip().indexOf('\n');
        return nl < 0 ? message.strip() : message.strip().substring(0, nl);
    }
}
