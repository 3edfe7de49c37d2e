package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import dev.cairn.train.data.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One condition of a verdict, as mlflow.evaluate's MetricThreshold and TFMA's value and change
 * thresholds:
 * <ul>
 *   <li>{@code roc_auc>=0.75}: a value threshold on the candidate;</li>
 *   <li>{@code change:precision>=-0.01}: the candidate's value minus the champion's must be at least
 *       -0.01 (precision may drop by at most 0.01); {@code change:precision>=-1%} relative to the
 *       champion's value; {@code change:log_loss<=0.02} for a lower-is-better metric;</li>
 *   <li>{@code fairness:disparate_impact>=0.8}, {@code fairness:foreign_worker:demographic_parity_difference<=0.1}:
 *       on every sensitive column, or the one named.</li>
 * </ul>
 */
public record MetricThreshold(Verdict.Kind kind, String metric, String column, boolean atLeast, double bound, boolean relative) {
    public static final List<String> FAIRNESS_METRICS = List.of("demographic_parity_difference", "equal_opportunity_difference",
            "disparate_impact");
    private static final Pattern SYNTAX = Pattern.compile("\\s*(?:(change|fairness):)?(?:([^:<>=]+):)?([a-z0-9_]+)\\s*(>=|<=)\\s*([-+0-9.eE]+)(%?)\\s*");

    public static MetricThreshold parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw CairnException.invalid("threshold", text,
                    "<metric>>=<x>, <metric><=<x>, change:<metric>>=<x>[%] or fairness:[<column>:]<metric><=<x>, e.g. roc_auc>=0.75");
        }
        String prefix = m.group(1);
        Verdict.Kind kind = prefix == null ? Verdict.Kind.VALUE : prefix.equals("change") ? Verdict.Kind.CHANGE : Verdict.Kind.FAIRNESS;
        String column = m.group(2) == null ? null : m.group(2).trim();
        if (column != null && kind != Verdict.Kind.FAIRNESS) {
            throw CairnException.invalid("threshold", text, "a column only in a fairness threshold (fairness:<column>:<metric>…)");
        }
        String metric = canonical(m.group(3).toLowerCase(Locale.ROOT));
        boolean relative = !m.group(6).isEmpty();
        if (relative && kind != Verdict.Kind.CHANGE) throw CairnException.invalid("threshold", text, "'%' only in a change threshold");
        if (kind == Verdict.Kind.FAIRNESS && !FAIRNESS_METRICS.contains(metric)) {
            throw CairnException.invalid("threshold", metric, "a fairness metric: one of " + FAIRNESS_METRICS);
        }
        double bound;
        try {
            bound = Double.parseDouble(m.group(5));
        } catch (NumberFormatException e) {
            throw CairnException.invalid("threshold", text, "a number after the comparison");
        }
        return new MetricThreshold(kind, metric, column, m.group(4).equals(">="), relative ? bound / 100 : bound, relative);
    }

    /** Accepts the common short names (auc, logloss, brier). */
    static String canonical(String metric) {
        return switch (metric) {
            case "auc" -> "roc_auc";
            case "logloss" -> "log_loss";
            case "brier" -> "brier_score";
            case "average_precision" -> "pr_auc";
            case "disparate_impact_ratio" -> "disparate_impact";
            default -> metric;
        };
    }

    /** The metric names a task's evaluation gives; a threshold on any other is refused before anything runs. */
    public static List<String> metricsOf(Task task) {
        return switch (task) {
            case BINARY -> {
                List<String> all = new ArrayList<>(BinaryMetrics.NAMES);
                all.add("threshold");
                yield all;
            }
            case MULTICLASS -> List.of("accuracy", "log_loss");
            case REGRESSION -> RegressionMetrics.NAMES;
        };
    }

    /**
     * Whether more of {@code metric} is better (losses, errors and the false positive rate are
     * not), or null for the metrics with no better direction ({@code selection_rate}, {@code threshold}).
     */
    public static Boolean higherIsBetter(String metric) {
        return switch (metric) {
            case "log_loss", "brier_score", "rmse", "mae", "mape", "false_positive_rate" -> false;
            case "selection_rate", "threshold" -> null;
            default -> true;
        };
    }

    /** Refuses a metric the task does not give, or a fairness column that is not declared sensitive. */
    public void checkAgainst(Task task, List<String> sensitiveColumns) {
        if (kind == Verdict.Kind.FAIRNESS) {
            if (task != Task.BINARY) throw CairnException.invalid("threshold", this, "fairness thresholds only for a binary classifier");
            if (column != null && !sensitiveColumns.contains(column)) {
                throw CairnException.invalid("threshold", column, "one of the declared sensitive columns " + sensitiveColumns);
            }
            return;
        }
        if (!metricsOf(task).contains(metric)) {
            throw CairnException.invalid("threshold", metric, "a metric of a " + task.wireName() + " evaluation: one of " + metricsOf(task));
        }
    }

    @Override
    public String toString() {
        String prefix = kind == Verdict.Kind.VALUE ? "" : kind.name().toLowerCase(Locale.ROOT) + ":";
        String col = column == null ? "" : column + ":";
        String value = relative ? Grouping.number(bound * 100) + "%" : String.valueOf(bound);
        return prefix + col + metric + (atLeast ? ">=" : "<=") + value;
    }

    /** The checks of this threshold for a candidate and its champion (null when there is none yet). */
    List<Verdict.Check> check(Report.ModelResult candidate, Report.ModelResult champion) {
        String text = toString();
        return switch (kind) {
            case VALUE -> {
                double v = candidate.metrics().getOrDefault(metric, Double.NaN);
                boolean passed = holds(v);
                yield List.of(new Verdict.Check(kind, text, metric, null, v, null, v, passed, false,
                        metric + " = " + fmt(v) + (passed ? " meets " : " fails ") + text));
            }
            case CHANGE -> {
                double v = candidate.metrics().getOrDefault(metric, Double.NaN);
                if (champion == null) {
                    yield List.of(new Verdict.Check(kind, text, metric, null, v, null, null, true, true,
                            "no champion yet: change threshold not applied"));
                }
                double base = champion.metrics().getOrDefault(metric, Double.NaN);
                double change = relative ? (v - base) / Math.abs(base) : v - base;
                boolean passed = holds(change);
                yield List.of(new Verdict.Check(kind, text, metric, null, v, base, change, passed, false,
                        metric + " " + fmt(base) + " → " + fmt(v) + " (change " + (relative ? fmt(change * 100) + "%" : fmt(change)) + ")"
                                + (passed ? " meets " : " fails ") + text));
            }
            case FAIRNESS -> {
                List<Verdict.Check> out = new ArrayList<>();
                for (Report.FairnessReport f : candidate.fairness()) {
                    if (column != null && !column.equals(f.column())) continue;
                    Double measured = switch (metric) {
                        case "demographic_parity_difference" -> f.demographicParityDifference();
                        case "equal_opportunity_difference" -> f.equalOpportunityDifference();
                        default -> f.disparateImpactRatio();
                    };
                    if (measured == null) {
                        // Too few groups large enough to compare (or 0/0): nothing to judge, said so rather than passed or failed.
                        out.add(new Verdict.Check(kind, text, metric, f.column(), null, null, null, true, true,
                                f.column() + ": " + metric + " not measurable (" + f.note() + ")"));
                        continue;
                    }
                    double v = measured;
                    boolean passed = holds(v);
                    out.add(new Verdict.Check(kind, text, metric, f.column(), v, null, v, passed, false,
                            f.column() + ": " + metric + " = " + fmt(v) + (passed ? " meets " : " fails ") + text));
                }
                yield out;
            }
        };
    }

    private boolean holds(double v) {
        if (Double.isNaN(v)) return false;
        return atLeast ? v >= bound - 1e-12 : v <= bound + 1e-12;
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
    }
}
