package dev.cairn.data.schema;

import java.util.List;

/**
 * One check as written in YAML; {@code check} names its kind and the other fields are its
 * parameters (see {@link CheckKind} for which each kind takes). Deequ- and Great Expectations-style:
 * <pre>
 * - check: completeness      # column, min_completeness
 * - check: not_null          # column
 * - check: unique            # column
 * - check: primary_key       # columns
 * - check: range             # column, min and/or max
 * - check: allowed_values    # column, values
 * - check: regex             # column, pattern
 * - check: row_count         # min and/or max
 * - check: type              # column, type (INTEGER, DOUBLE, BOOLEAN, STRING, TIMESTAMP)
 * - check: sql               # predicate: every row must satisfy it
 * - check: metric            # metric (row_count, completeness, mean, stddev, min, max, sum, distinct), column, min/max
 * - check: metric_change     # metric, column, max_change (relative), window (past values averaged)
 * </pre>
 * Every check may have a {@code name}, a {@code severity} (error by default) and a {@code description}.
 */
public record CheckSpec(
        String check,
        String name,
        String column,
        List<String> columns,
        Double min,
        Double max,
        Double minCompleteness,
        List<String> values,
        String pattern,
        String type,
        String predicate,
        String metric,
        Double maxChange,
        Integer window,
        Severity severity,
        String description) {

    public CheckSpec {
        columns = columns == null ? null : List.copyOf(columns);
        values = values == null ? null : List.copyOf(values);
    }

    public Severity severityOrDefault() {
        return severity == null ? Severity.ERROR : severity;
    }

    public static CheckSpec of(String check, String column) {
        return new CheckSpec(check, null, column, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public CheckSpec withSeverity(Severity s) {
        return new CheckSpec(check, name, column, columns, min, max, minCompleteness, values, pattern, type, predicate, metric,
                maxChange, window, s, description);
    }

    public CheckSpec withName(String n) {
        return new CheckSpec(check, n, column, columns, min, max, minCompleteness, values, pattern, type, predicate, metric,
                maxChange, window, severity, description);
    }

    public CheckSpec withRange(Double newMin, Double newMax) {
        return new CheckSpec(check, name, column, columns, newMin, newMax, minCompleteness, values, pattern, type, predicate, metric,
                maxChange, window, severity, description);
    }

    public CheckSpec withValues(List<String> newValues) {
        return new CheckSpec(check, name, column, columns, min, max, minCompleteness, newValues, pattern, type, predicate, metric,
                maxChange, window, severity, description);
    }

    public CheckSpec withMinCompleteness(Double value) {
        return new CheckSpec(check, name, column, columns, min, max, value, values, pattern, type, predicate, metric,
                maxChange, window, severity, description);
    }

    public CheckSpec withType(String newType) {
        return new CheckSpec(check, name, column, columns, min, max, minCompleteness, values, pattern, newType, predicate, metric,
                maxChange, window, severity, description);
    }

    public CheckSpec withColumns(List<String> newColumns) {
        return new CheckSpec(check, name, null, newColumns, min, max, minCompleteness, values, pattern, type, predicate, metric,
                maxChange, window, severity, description);
    }
}
