package dev.cairn.monitor.alert;

import dev.cairn.core.error.CairnException;
import dev.cairn.monitor.MetricNames;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One alert rule: the window's value of {@code metric} breaches the rule when {@code value comparison threshold}
 * holds (e.g. {@code estimated.precision < 0.70}). The rule fires after {@code consecutive} breaching windows in a
 * row and resolves on the first window that does not breach; after resolving, windows that end within
 * {@code cooldown} of the resolving window's end cannot start a new episode. See {@link AlertEngine}.
 *
 * @param name        unique in its file, of letters, digits, {@code _ . -}; names the alert everywhere
 * @param metric      a window metric name ({@link MetricNames}), e.g. {@code drift.credit_amount.drifted}
 * @param consecutive breaching windows in a row before the alert fires (at least 1)
 * @param cooldown    window time after a resolve during which the rule cannot fire again (zero: none)
 * @param description optional, carried into every event
 */
public record AlertRule(String name, String metric, Comparison comparison, double threshold, int consecutive,
                        Duration cooldown, AlertSeverity severity, String description) {

    public static final int DEFAULT_CONSECUTIVE = 1;
    public static final AlertSeverity DEFAULT_SEVERITY = AlertSeverity.WARNING;
    static final int MAX_CONSECUTIVE = 10_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    /**
     * The first segments of every metric name ({@code drift}, {@code estimated}, {@code quality}…), read from
     * {@link MetricNames} so that a new family there is accepted here without a second list to keep in step.
     */
    static final Set<String> FAMILIES = families();

    public AlertRule {
        checkName("name", name);
        checkMetric("metric", metric);
        if (comparison == null) throw CairnException.invalid("comparison", null, "one of \">\", \">=\", \"<\", \"<=\"");
        checkThreshold("threshold", threshold);
        checkConsecutive("consecutive", consecutive);
        if (cooldown == null) cooldown = Duration.ZERO;
        if (cooldown.isNegative()) throw CairnException.invalid("cooldown", cooldown, "a duration of zero or more");
        if (severity == null) severity = DEFAULT_SEVERITY;
        if (description != null && description.isBlank()) description = null;
    }

    /** A rule that fires on the first breaching window, with no cooldown, at warning severity. */
    public AlertRule(String name, String metric, Comparison comparison, double threshold) {
        this(name, metric, comparison, threshold, DEFAULT_CONSECUTIVE, Duration.ZERO, DEFAULT_SEVERITY, null);
    }

    /** True when {@code value} breaches this rule. */
    public boolean breaches(double value) {
        return comparison.breaches(value, threshold);
    }

    static void checkName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw CairnException.invalid(field, name, "1 to 128 letters, digits, '_', '.' or '-'");
        }
    }

    static void checkMetric(String field, String metric) {
        String expected = "a window metric name such as drift.share or estimated.precision, starting with one of " + FAMILIES;
        if (metric == null || metric.isBlank() || !metric.strip().equals(metric) || metric.endsWith(".")) {
            throw CairnException.invalid(field, metric, expected);
        }
        int dot = metric.indexOf('.');
        if (dot <= 0 || !FAMILIES.contains(metric.substring(0, dot))) throw CairnException.invalid(field, metric, expected);
    }

    static void checkThreshold(String field, double threshold) {
        if (!Double.isFinite(threshold)) throw CairnException.invalid(field, threshold, "a finite number");
    }

    static void checkConsecutive(String field, long consecutive) {
        if (consecutive < 1 || consecutive > MAX_CONSECUTIVE) {
            throw CairnException.invalid(field, consecutive, "a whole number of windows from 1 to " + MAX_CONSECUTIVE);
        }
    }

    private static Set<String> families() {
        TreeSet<String> families = new TreeSet<>();
        for (Field f : MetricNames.class.getFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || f.getType() != String.class) continue;
            try {
                String value = (String) f.get(null);
                int dot = value.indexOf('.');
                // Suffixes (".drifted", ".lower") start with the dot and name no family.
                if (dot > 0) families.add(value.substring(0, dot));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return java.util.Collections.unmodifiableSortedSet(families);
    }
}
