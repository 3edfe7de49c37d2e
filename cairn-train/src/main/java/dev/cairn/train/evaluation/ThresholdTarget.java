package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to choose a binary classifier's decision threshold: maximise {@code objective} among the
 * thresholds where {@code constraint} is at least {@code bound}. Written
 * {@code recall@precision>=0.8} (the highest recall with precision at least 0.8) or
 * {@code precision@recall>=0.6}.
 */
public record ThresholdTarget(String objective, String constraint, double bound) {
    private static final List<String> METRICS = List.of("precision", "recall");
    private static final Pattern SYNTAX = Pattern.compile("\\s*([a-z_]+)\\s*@\\s*([a-z_]+)\\s*>=\\s*([0-9.eE+-]+)\\s*");

    public ThresholdTarget {
        if (!METRICS.contains(objective) || !METRICS.contains(constraint) || objective.equals(constraint)) {
            throw CairnException.invalid("threshold_target", objective + "@" + constraint, "recall@precision>=<x> or precision@recall>=<x>");
        }
        if (!(bound > 0 && bound <= 1)) throw CairnException.invalid("threshold_target", bound, "a bound in (0, 1]");
    }

    public static ThresholdTarget parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw CairnException.invalid("threshold_target", text, "recall@precision>=<x> or precision@recall>=<x>, e.g. recall@precision>=0.8");
        }
        try {
            return new ThresholdTarget(m.group(1), m.group(2), Double.parseDouble(m.group(3)));
        } catch (NumberFormatException e) {
            throw CairnException.invalid("threshold_target", text, "a number after '>='");
        }
    }

    @Override
    public String toString() {
        return objective + "@" + constraint + ">=" + bound;
    }

    /** A chosen threshold and what it achieves on the data it was chosen on; {@code reached} false when no threshold meets the bound. */
    public record Choice(double threshold, double precision, double recall, boolean reached) {}

    /**
     * Searches every distinct score as a threshold. Ties in the objective go to the higher
     * threshold (fewer positives predicted). When no threshold meets the bound, the one closest to
     * it is returned with {@code reached = false}, so the report can say the target was missed.
     */
    public Choice search(int[] y, double[] p) {
        List<double[]> curve = BinaryMetrics.precisionRecallCurve(y, p); // {precision, recall, threshold}, threshold falling
        if (curve.isEmpty()) return new Choice(0.5, 0, 0, false);
        boolean constrainPrecision = constraint.equals("precision");
        double[] best = null;
        double[] closest = null;
        for (double[] point : curve) {
            double constrained = constrainPrecision ? point[0] : point[1];
            double objectiveValue = constrainPrecision ? point[1] : point[0];
            if (constrained >= bound - 1e-12) {
                if (best == null || objectiveValue > (constrainPrecision ? best[1] : best[0]) + 1e-12) best = point;
            }
            if (closest == null || constrained > (constrainPrecision ? closest[0] : closest[1])) closest = point;
        }
        double[] chosen = best != null ? best : closest;
        return new Choice(chosen[2], chosen[0], chosen[1], best != null);
    }
}
