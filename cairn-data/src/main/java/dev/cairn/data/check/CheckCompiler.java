package dev.cairn.data.check;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.FieldType;
import dev.cairn.data.schema.CheckSpec;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.FieldSpec;
import dev.cairn.data.schema.Severity;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Compiles a {@link DataSpec} into {@link Check}s for one environment and one set of columns: first
 * what the schema implies (presence, types, nullability, domains, ranges, environment-specific
 * fields), then the spec's explicit checks. A check naming a column the data lacks, or a bad
 * parameter, is refused with a message naming the check; nothing runs.
 */
public final class CheckCompiler {
    private static final Set<String> METRICS = Set.of("row_count", "completeness", "mean", "stddev", "min", "max", "sum", "distinct");

    /** The kind of the schema's type checks: a value the type cannot read fails the check, naming its line and value. */
    public static final String COERCION = "coercion";

    private final DataSpec spec;
    private final String environment;
    private final List<Column> columns;
    private final String sourceName;

    private CheckCompiler(DataSpec spec, String environment, List<Column> columns, String sourceName) {
        this.spec = spec;
        this.environment = environment;
        this.columns = columns;
        this.sourceName = sourceName;
    }

    /** The checks of {@code spec} for data of {@code environment} (null: no environment) with these columns. */
    public static List<Check> compile(DataSpec spec, String environment, List<Column> columns, String sourceName) {
        if (environment != null && !spec.environments().isEmpty() && !spec.environments().contains(environment)) {
            throw CairnException.invalid("environment", environment, "one of " + spec.environments());
        }
        return new CheckCompiler(spec, environment, columns, sourceName).compile();
    }

    private List<Check> compile() {
        List<Check> checks = new ArrayList<>();
        for (FieldSpec f : spec.fields()) schemaChecks(f, checks);
        for (Column c : columns) {
            if (spec.field(c.name()).isEmpty() && !spec.fields().isEmpty()) {
                checks.add(constant("unexpected_column", c.name(), spec.unexpectedColumnSeverity(), false, "present",
                        "not in the schema (unexpected_columns: " + spec.unexpectedColumnSeverity().name().toLowerCase(Locale.ROOT) + ")"));
            }
        }
        for (int i = 0; i < spec.checks().size(); i++) checks.add(explicit(spec.checks().get(i), i));
        return checks;
    }

    private void schemaChecks(FieldSpec f, List<Check> checks) {
        Column data = find(f.name());
        if (!f.inEnvironment(environment)) {
            checks.add(constant("absent", f.name(), Severity.ERROR, data == null, data == null ? "absent" : "present",
                    "absent in " + environment));
            return;
        }
        if (data == null) {
            checks.add(constant("present", f.name(), Severity.ERROR, false, "absent", "present (the schema lists it)"));
            return;
        }
        String typeFailure = typeFailure(data, f.type());
        if (typeFailure != null) {
            checks.add(rowCheck(COERCION, f.name(), Severity.ERROR, typeFailure, "every value readable as " + f.type()));
        }
        if (Boolean.FALSE.equals(f.nullable())) {
            checks.add(notNull(f.name() + " not null", f.name(), Severity.ERROR));
        }
        if (f.domain() != null) checks.add(allowedValues("domain", data, f.domain(), Severity.ERROR, null));
        if (f.min() != null || f.max() != null) checks.add(range("range", data, f.min(), f.max(), Severity.ERROR, null));
    }

    /** A predicate true for a value that cannot be read as the type; null when every value can. */
    static String typeFailure(Column data, FieldType type) {
        String x = data.sql();
        ColumnKind kind = data.kind();
        return switch (type) {
            case STRING -> null;
            case DOUBLE -> kind == ColumnKind.NUMERIC ? null : x + " IS NOT NULL AND TRY_CAST(" + x + " AS DOUBLE) IS NULL";
            case INTEGER -> kind == ColumnKind.NUMERIC
                    ? (ColumnKind.fieldType(data.duckType()) == FieldType.INTEGER ? null
                            : x + " IS NOT NULL AND (NOT isfinite(CAST(" + x + " AS DOUBLE)) OR " + x + " <> trunc(" + x + "))")
                    : x + " IS NOT NULL AND TRY_CAST(" + x + " AS BIGINT) IS NULL";
            // As the reader types CSV booleans (pandas' rule): only true and false, in any letter case, read as BOOLEAN.
            case BOOLEAN -> kind == ColumnKind.BOOLEAN ? null : x + " IS NOT NULL AND lower(CAST(" + x + " AS VARCHAR)) NOT IN ('true', 'false')";
            case TIMESTAMP -> kind == ColumnKind.TEMPORAL ? null : x + " IS NOT NULL AND TRY_CAST(" + x + " AS TIMESTAMP) IS NULL";
        };
    }

    private Check explicit(CheckSpec c, int index) {
        String where = "checks[" + index + "]";
        if (c.check() == null) throw CairnException.invalid(where + ".check", null, "a check kind such as completeness, range, unique");
        String kind = c.check().toLowerCase(Locale.ROOT);
        Severity severity = c.severityOrDefault();
        String name = c.name();
        return switch (kind) {
            case "completeness" -> {
                Column col = column(c, where);
                double min = c.minCompleteness() != null ? c.minCompleteness() : c.min() != null ? c.min() : 1.0;
                if (min < 0 || min > 1) throw CairnException.invalid(where + ".min_completeness", min, "a fraction between 0 and 1");
                yield completeness(name, col, min, severity);
            }
            case "not_null" -> notNull(name, column(c, where).name(), severity);
            case "unique" -> unique(name, List.of(column(c, where)), severity, "unique");
            case "primary_key" -> {
                if (c.columns() == null || c.columns().isEmpty()) throw CairnException.invalid(where + ".columns", null, "the key's columns");
                yield unique(name, c.columns().stream().map(n -> require(n, where)).toList(), severity, "primary_key");
            }
            case "range" -> {
                if (c.min() == null && c.max() == null) throw CairnException.invalid(where + ".min", null, "min and/or max");
                yield range(name, column(c, where), c.min(), c.max(), severity, kind);
            }
            case "allowed_values" -> {
                if (c.values() == null || c.values().isEmpty()) throw CairnException.invalid(where + ".values", null, "the allowed values");
                yield allowedValues(name, column(c, where), c.values(), severity, kind);
            }
            case "regex" -> {
                if (c.pattern() == null) throw CairnException.invalid(where + ".pattern", null, "a regular expression");
                try {
                    Pattern.compile(c.pattern());
                } catch (PatternSyntaxException e) {
                    throw CairnException.invalid(where + ".pattern", c.pattern(), "a valid regular expression (" + e.getDescription() + ")");
                }
                Column col = column(c, where);
                yield rowCheck(name == null ? "regex" : name, col.name(), severity,
                        col.sql() + " IS NOT NULL AND NOT regexp_full_match(CAST(" + col.sql() + " AS VARCHAR), " + Sql.literal(c.pattern()) + ")",
                        "every value matches /" + c.pattern() + "/", kind);
            }
            case "row_count" -> {
                if (c.min() == null && c.max() == null) throw CairnException.invalid(where + ".min", null, "min and/or max");
                yield metricBound(name, "row_count", null, c.min(), c.max(), severity);
            }
            case "type" -> {
                Column col = column(c, where);
                FieldType type;
                try {
                    type = FieldType.valueOf(String.valueOf(c.type()).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw CairnException.invalid(where + ".type", c.type(), "one of BOOLEAN, INTEGER, DOUBLE, STRING, TIMESTAMP");
                }
                String failure = typeFailure(col, type);
                yield failure == null ? constant(name == null ? "type" : name, col.name(), severity, true, col.duckType(), type.name())
                        : rowCheck(name == null ? "type" : name, col.name(), severity, failure, "every value readable as " + type, kind);
            }
            case "sql" -> {
                if (c.predicate() == null || c.predicate().isBlank()) throw CairnException.invalid(where + ".predicate", null, "a SQL predicate");
                yield rowCheck(name == null ? "sql" : name, null, severity, "NOT coalesce((" + c.predicate() + "), false)",
                        "every row satisfies " + c.predicate(), kind);
            }
            case "metric" -> {
                String metric = metricName(c, where);
                if (c.min() == null && c.max() == null) throw CairnException.invalid(where + ".min", null, "min and/or max");
                yield metricBound(name, metric, metric.equals("row_count") ? null : column(c, where), c.min(), c.max(), severity);
            }
            case "metric_change" -> {
                String metric = metricName(c, where);
                if (c.maxChange() == null || c.maxChange() < 0) throw CairnException.invalid(where + ".max_change", c.maxChange(), "a relative change ≥ 0, e.g. 0.2");
                int window = c.window() == null ? 1 : c.window();
                if (window < 1) throw CairnException.invalid(where + ".window", window, "a number of past values ≥ 1");
                yield metricChange(name, metric, metric.equals("row_count") ? null : column(c, where), c.maxChange(), window, severity);
            }
            default -> throw CairnException.invalid(where + ".check", c.check(),
                    "one of completeness, not_null, unique, primary_key, range, allowed_values, regex, row_count, type, sql, metric, metric_change");
        };
    }

    private String metricName(CheckSpec c, String where) {
        String metric = c.metric() == null ? null : c.metric().toLowerCase(Locale.ROOT);
        if (metric == null || !METRICS.contains(metric)) throw CairnException.invalid(where + ".metric", c.metric(), "one of " + METRICS);
        return metric;
    }

    private Column column(CheckSpec c, String where) {
        if (c.column() == null) throw CairnException.invalid(where + ".column", null, "the column the check is about");
        return require(c.column(), where);
    }

    private Column require(String name, String where) {
        Column col = find(name);
        if (col == null) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Check " + where + " names column '" + name + "', which "
                    + sourceName + " does not have (its columns: " + columns.stream().map(Column::name).collect(Collectors.joining(", ")) + ")",
                    Map.of("check", where, "column", name, "source", sourceName));
        }
        return col;
    }

    private Column find(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    private static Double value(List<Double> values, int i) {
        return values.get(i);
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }

    static Check constant(String kind, String column, Severity severity, boolean passed, String observed, String expected) {
        return new SqlCheck(kind + (column == null ? "" : " " + column), kind, column, severity, List.of(), null,
                (v, ctx) -> new Outcome(passed, null, observed, expected, null), null);
    }

    private static Check rowCheck(String kind, String column, Severity severity, String failing, String expected) {
        return rowCheck(kind, column, severity, failing, expected, kind);
    }

    private static Check rowCheck(String name, String column, Severity severity, String failing, String expected, String kind) {
        String label = name.equals(kind) && column != null ? kind + " " + column : name;
        return new SqlCheck(label, kind, column, severity, List.of("count_if(" + failing + ")"), failing,
                (v, ctx) -> {
                    long bad = (long) orZero(value(v, 0));
                    return new Outcome(bad == 0, (double) bad, bad + " failing rows", expected, bad);
                }, null);
    }

    private static Check notNull(String name, String column, Severity severity) {
        String x = Sql.identifier(column);
        return new SqlCheck(name == null ? "not_null " + column : name, "not_null", column, severity,
                List.of("count(*) - count(" + x + ")", "count(*)"), x + " IS NULL",
                (v, ctx) -> {
                    long missing = (long) orZero(value(v, 0));
                    return new Outcome(missing == 0, (double) missing, missing + " missing of " + (long) orZero(value(v, 1)), "no missing values", missing);
                },
                v -> Map.of("completeness." + column, orZero(value(v, 1)) == 0 ? 1.0 : 1 - orZero(value(v, 0)) / value(v, 1)));
    }

    private static Check completeness(String name, Column col, double min, Severity severity) {
        return new SqlCheck(name == null ? "completeness " + col.name() : name, "completeness", col.name(), severity,
                List.of("count(" + col.sql() + ")", "count(*)"), col.sql() + " IS NULL",
                (v, ctx) -> {
                    double rows = orZero(value(v, 1));
                    double completeness = rows == 0 ? 1.0 : orZero(value(v, 0)) / rows;
                    long missing = (long) (rows - orZero(value(v, 0)));
                    return new Outcome(completeness >= min, completeness, Numbers.format(completeness) + " (" + missing + " missing)",
                            "completeness ≥ " + Numbers.format(min), missing);
                },
                v -> Map.of("completeness." + col.name(), orZero(value(v, 1)) == 0 ? 1.0 : orZero(value(v, 0)) / value(v, 1)));
    }

    private static Check unique(String name, List<Column> key, Severity severity, String kind) {
        String cols = key.stream().map(Column::sql).collect(Collectors.joining(", "));
        String tuple = key.size() == 1 ? cols : "(" + cols + ")";
        String anyNull = key.stream().map(c -> c.sql() + " IS NULL").collect(Collectors.joining(" OR "));
        String names = key.stream().map(Column::name).collect(Collectors.joining(", "));
        // The duplicated keys are found per row by a window count, so samples show every copy.
        String failing = "(" + anyNull + ") OR count(*) OVER (PARTITION BY " + cols + ") > 1";
        List<String> aggregates = List.of("count_if(NOT (" + anyNull + ")) - count(DISTINCT " + tuple + ")", "count_if(" + anyNull + ")");
        return new SqlCheck(name == null ? kind + " " + names : name, kind, names, severity, aggregates, failing,
                (v, ctx) -> {
                    long duplicates = (long) orZero(value(v, 0));
                    long nulls = (long) orZero(value(v, 1));
                    boolean passed = duplicates == 0 && (kind.equals("unique") || nulls == 0);
                    String observed = duplicates + " duplicate" + (duplicates == 1 ? "" : "s") + (kind.equals("primary_key") ? ", " + nulls + " with a null key" : "");
                    return new Outcome(passed, (double) duplicates, observed, kind.equals("unique") ? "no duplicates" : "no duplicate or null keys",
                            duplicates + (kind.equals("unique") ? 0 : nulls));
                }, null);
    }

    private static String numberExpression(Column col) {
        return col.kind() == ColumnKind.NUMERIC ? "CAST(" + col.sql() + " AS DOUBLE)" : "TRY_CAST(" + col.sql() + " AS DOUBLE)";
    }

    private static Check range(String name, Column col, Double min, Double max, Severity severity, String kind) {
        String x = numberExpression(col);
        List<String> outside = new ArrayList<>();
        if (min != null) outside.add(x + " < " + min);
        if (max != null) outside.add(x + " > " + max);
        String failing = String.join(" OR ", outside);
        String expected = min != null && max != null ? "every value in [" + Numbers.format(min) + ", " + Numbers.format(max) + "]"
                : min != null ? "every value ≥ " + Numbers.format(min) : "every value ≤ " + Numbers.format(max);
        String label = name == null || (kind == null && name.equals("range")) ? "range " + col.name() : name;
        return new SqlCheck(label, "range", col.name(), severity, List.of("count_if(" + failing + ")", "min(" + x + ")", "max(" + x + ")"), failing,
                (v, ctx) -> {
                    long bad = (long) orZero(value(v, 0));
                    return new Outcome(bad == 0, (double) bad, bad + " outside (min " + Numbers.format(value(v, 1)) + ", max "
                            + Numbers.format(value(v, 2)) + ")", expected, bad);
                }, null);
    }

    private static Check allowedValues(String name, Column col, List<String> allowed, Severity severity, String kind) {
        String list = allowed.stream().map(Sql::literal).collect(Collectors.joining(", "));
        String failing = col.sql() + " IS NOT NULL AND CAST(" + col.sql() + " AS VARCHAR) NOT IN (" + list + ")";
        String shown = allowed.size() <= 12 ? String.join(", ", allowed) : String.join(", ", allowed.subList(0, 12)) + ", … (" + allowed.size() + " values)";
        String label = name == null || (kind == null && name.equals("domain")) ? (kind == null ? "domain " : "allowed_values ") + col.name() : name;
        return new SqlCheck(label, kind == null ? "domain" : kind, col.name(), severity,
                List.of("count_if(" + failing + ")", "count(DISTINCT CASE WHEN " + failing + " THEN CAST(" + col.sql() + " AS VARCHAR) END)"), failing,
                (v, ctx) -> {
                    long bad = (long) orZero(value(v, 0));
                    return new Outcome(bad == 0, (double) bad, bad == 0 ? "every value allowed" : bad + " rows with " + (long) orZero(value(v, 1)) + " values not allowed",
                            "values in {" + shown + "}", bad);
                }, null);
    }

    private static String metricExpression(String metric, Column col) {
        if (metric.equals("row_count")) return "count(*)";
        String x = col == null ? null : numberExpression(col);
        return switch (metric) {
            case "completeness" -> "count(" + col.sql() + ")::DOUBLE / nullif(count(*), 0)";
            case "mean" -> "avg(" + x + ")";
            case "stddev" -> "stddev_pop(" + x + ")";
            case "min" -> "min(" + x + ")";
            case "max" -> "max(" + x + ")";
            case "sum" -> "sum(" + x + ")";
            case "distinct" -> "count(DISTINCT " + col.sql() + ")";
            default -> throw CairnException.invalid("metric", metric, "one of " + METRICS);
        };
    }

    static String metricKey(String metric, Column col) {
        return col == null ? metric : metric + "." + col.name();
    }

    private static Check metricBound(String name, String metric, Column col, Double min, Double max, Severity severity) {
        String key = metricKey(metric, col);
        String expected = key + (min != null && max != null ? " in [" + Numbers.format(min) + ", " + Numbers.format(max) + "]"
                : min != null ? " ≥ " + Numbers.format(min) : " ≤ " + Numbers.format(max));
        String kind = metric.equals("row_count") ? "row_count" : "metric";
        return new SqlCheck(name == null ? (kind.equals("row_count") ? "row_count" : "metric " + key) : name, kind, col == null ? null : col.name(),
                severity, List.of(metricExpression(metric, col)), null,
                (v, ctx) -> {
                    Double observed = value(v, 0);
                    boolean passed = observed != null && (min == null || observed >= min) && (max == null || observed <= max);
                    return new Outcome(passed, observed, key + " = " + Numbers.format(observed), expected, null);
                },
                v -> value(v, 0) == null ? Map.of() : Map.of(key, value(v, 0)));
    }

    private static Check metricChange(String name, String metric, Column col, double maxChange, int window, Severity severity) {
        String key = metricKey(metric, col);
        return new SqlCheck(name == null ? "metric_change " + key : name, "metric_change", col == null ? null : col.name(), severity,
                List.of(metricExpression(metric, col)), null,
                (v, ctx) -> {
                    Double observed = value(v, 0);
                    List<Double> past = ctx.history(key, window);
                    String expected = "|change of " + key + "| ≤ " + Numbers.format(maxChange * 100) + "% of the mean of the last " + window + " value(s)";
                    if (past.isEmpty()) {
                        return new Outcome(true, null, key + " = " + Numbers.format(observed) + ", no history yet", expected, null);
                    }
                    double reference = past.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    double change = reference == 0 ? (observed == null || observed == 0 ? 0 : Double.POSITIVE_INFINITY)
                            : Math.abs((observed == null ? 0 : observed) - reference) / Math.abs(reference);
                    return new Outcome(change <= maxChange, change, key + " = " + Numbers.format(observed) + " against "
                            + Numbers.format(reference) + ": change " + Numbers.format(change * 100) + "%", expected, null);
                },
                v -> value(v, 0) == null ? Map.of() : Map.of(key, value(v, 0)));
    }
}
