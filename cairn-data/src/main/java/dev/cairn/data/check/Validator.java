package dev.cairn.data.check;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.FieldType;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.FieldSpec;
import dev.cairn.data.schema.Severity;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.LoadedTable;
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

/**
 * Runs a spec's checks on a loaded table: one aggregation scan computes every check's metrics, then
 * each failed check that is about rows fetches up to {@value #SAMPLES} failing rows.
 */
public final class Validator {
    public static final int SAMPLES = 20;
    private static final String ROW = "_row";
    private static final String FAIL = "__cairn_fail";

    private Validator() {}

    public static ValidationResult validate(LoadedTable table, DataSpec spec, String environment, MetricsHistory history) {
        List<Check> checks = CheckCompiler.compile(spec, environment, table.columns(), table.source().describe());
        checkCoercions(table, spec, checks);
        List<String> aggregates = new ArrayList<>(List.of("count(*)"));
        for (Column c : table.columns()) aggregates.add("count(" + c.sql() + ")");
        int[] offsets = new int[checks.size()];
        for (int i = 0; i < checks.size(); i++) {
            offsets[i] = aggregates.size();
            aggregates.addAll(checks.get(i).aggregates());
        }
        List<Double> values = scan(table, checks, aggregates);
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
            if (!outcome.passed() && CheckCompiler.COERCION.equals(check.kind())) {
                throw coercionError(table, spec, check);
            }
            List<Map<String, Object>> samples = List.of();
            String sampleSql = check.failingRowPredicate() == null ? null : sampleSql(table, check);
            if (!outcome.passed() && sampleSql != null) samples = samples(table, sampleSql, check);
            results.add(new CheckResult(check.name(), check.kind(), check.column(), check.severity(), outcome.passed(),
                    outcome.observed(), outcome.observedText(), outcome.expected(), outcome.failingRows(), samples, sampleSql));
        }
        results.sort(Comparator.comparingInt(Validator::rank));
        int errors = (int) results.stream().filter(r -> !r.passed() && r.severity() == Severity.ERROR).count();
        int warnings = (int) results.stream().filter(r -> !r.passed() && r.severity() == Severity.WARNING).count();
        history.record(metrics, System.currentTimeMillis());
        return new ValidationResult(ValidationResult.FORMAT, table.source().describe(), environment, rows, table.malformedRowCount(),
                table.malformedRows(), errors == 0, results.size(), errors, warnings, results, metrics);
    }

    /** Values the schema's types cannot read are bad input: found first, so no other check trips on them. */
    private static void checkCoercions(LoadedTable table, DataSpec spec, List<Check> checks) {
        List<Check> coercions = checks.stream().filter(c -> CheckCompiler.COERCION.equals(c.kind())).toList();
        if (coercions.isEmpty()) return;
        List<String> aggregates = coercions.stream().flatMap(c -> c.aggregates().stream()).toList();
        List<Double> failures = scan(table, coercions, aggregates);
        for (int i = 0; i < coercions.size(); i++) {
            if (failures.get(i) != null && failures.get(i) > 0) throw coercionError(table, spec, coercions.get(i));
        }
    }

    private static int rank(CheckResult r) {
        return r.passed() ? 2 : r.severity() == Severity.ERROR ? 0 : 1;
    }

    private static List<Double> scan(LoadedTable table, List<Check> checks, List<String> aggregates) {
        String sql = "SELECT " + String.join(", ", aggregates) + " FROM " + table.relation();
        try {
            return queryDoubles(table, sql);
        } catch (SQLException e) {
            // Find the check whose SQL is at fault (usually a user's `sql` predicate) to name it.
            for (Check check : checks) {
                if (check.aggregates().isEmpty()) continue;
                try {
                    queryDoubles(table, "SELECT " + String.join(", ", check.aggregates()) + " FROM " + table.relation());
                } catch (SQLException culprit) {
                    throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Check '" + check.name() + "' cannot run on "
                            + table.source().describe() + ": " + firstLine(culprit.getMessage()), Map.of("check", check.name()), culprit);
                }
            }
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot validate " + table.source().describe() + ": "
                    + firstLine(e.getMessage()), e);
        }
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

    static String sampleSql(LoadedTable table, Check check) {
        return "SELECT * EXCLUDE (" + FAIL + ") FROM (SELECT row_number() OVER () AS " + ROW + ", *, (" + check.failingRowPredicate()
                + ") AS " + FAIL + " FROM " + table.relation() + ") WHERE " + FAIL + " ORDER BY " + ROW + " LIMIT " + SAMPLES;
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
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot fetch the failing rows of check '" + check.name() + "': "
                    + firstLine(e.getMessage()), e);
        }
        return rows;
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            if (value instanceof Double d && (d.isNaN() || d.isInfinite())) return d.toString();
            if (value instanceof Float f && (f.isNaN() || f.isInfinite())) return f.toString();
            return value;
        }
        return value.toString();
    }

    private static CairnException coercionError(LoadedTable table, DataSpec spec, Check check) {
        String column = check.column();
        FieldType type = spec.field(column).map(FieldSpec::type).orElse(FieldType.STRING);
        long row = -1;
        String value = null;
        try (Statement s = table.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT " + ROW + ", CAST(" + table.column(column).orElseThrow().sql() + " AS VARCHAR) FROM ("
                     + sampleSql(table, check) + ") LIMIT 1")) {
            if (r.next()) {
                row = r.getLong(1);
                value = r.getString(2);
            }
        } catch (SQLException e) {
            // Fall back to the message without the row.
        }
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read column '" + column + "' of " + table.source().describe()
                + " as " + type + ": row " + row + " has value '" + value + "'",
                Map.of("source", table.source().describe(), "column", column, "row", row, "value", String.valueOf(value),
                        "expected", type.name()));
    }

    private static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.strip().indexOf('\n');
        return nl < 0 ? message.strip() : message.strip().substring(0, nl);
    }
}
