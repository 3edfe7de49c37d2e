package dev.cairn.monitor.performance;

import dev.cairn.core.error.CairnException;
import dev.cairn.train.evaluation.BinaryMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Confidence-based performance estimation (CBPE, as NannyML's): a binary classifier's performance on a
 * window before its labels arrive, from the window's scores alone. A row with score s is positive with
 * probability c(s), the {@link Calibrator} fitted on the reference; so the window's expected confusion
 * matrix, and the metrics from it, follow. This holds while only the scores' distribution moves
 * (covariate shift); if the relation between score and outcome changes (concept drift), the estimate
 * cannot see it, and realized performance is the check.
 *
 * <p><b>Bins.</b> Every row of a {@link ScoreHistogram} bin is given the calibrated probability of the
 * bin's midpoint, {@code c_b = c(midpoint)}, and is predicted positive when the midpoint is at least the
 * threshold (rows with {@code score >= threshold} are, as in {@link BinaryMetrics}). Two errors follow,
 * both small with the default 1000 bins (width 0.001): (1) a row gets c at its bin's midpoint, not at its
 * own score; the two differ by at most c's rise across the bin, at most L·0.0005 for a calibrator whose
 * steepest slope is L, so an expected count errs by at most that much per row (and, as c rises by at most
 * 1 over [0, 1], never by more than the fullest bin's rows in all); (2) a threshold inside a bin puts all
 * of that bin's rows on one side (a threshold on a bin edge, such as 0.5, splits exactly). ROC AUC counts
 * the pairs within one bin as ties, half each.
 *
 * <p><b>Metrics.</b> With {@code n_b} rows in bin b, expected TP = Σ_{b predicted positive} n_b c_b,
 * FP = Σ_{b positive} n_b (1 - c_b), FN = Σ_{b negative} n_b c_b, TN = Σ_{b negative} n_b (1 - c_b); the
 * point estimates are the metrics of these expected counts (precision = TP / (TP + FP), as NannyML):
 * {@value #PRECISION}, {@value #RECALL}, {@value #F1}, {@value #ACCURACY}, {@value #SPECIFICITY}, and
 * {@value #ROC_AUC}, the Mann–Whitney AUC of the bins weighted by expected positives n_b c_b and
 * negatives n_b (1 - c_b), plus the expected counts themselves. A metric whose denominator is 0 in
 * expectation is left out.
 *
 * <p><b>Intervals.</b> Where the realized value will fall if the calibration holds: the window's labels
 * are still a draw, each bin's positives Binomial(n_b, c_b). {@link #DRAWS} such draws ({@link Binomial},
 * from one {@link SplittableRandom} seeded with {@code seed}, bins in order) each give the metrics as
 * {@link BinaryMetrics.Confusion} (and so {@link Realized}) computes them, 0 for an empty denominator;
 * the bounds are the 2.5th and 97.5th percentiles (linear between order statistics), widened to include
 * the point estimate if needed. Draws in which ROC AUC or specificity is undefined (one class only) are
 * skipped for that metric, as {@link Realized} leaves it out; with none left the bounds are the point.
 *
 * <p>This is sampling uncertainty only, as NannyML's ±3σ sampling error is: it assumes the calibrator is
 * the truth. Concept drift breaks that, and so does a small reference: isotonic regression follows the
 * reference's noise, which spreads the calibrated probabilities and so overstates separation. In a
 * simulation (scores logistic of N(0, 1.5²), outcomes positive with probability score², windows of 500
 * rows) estimated ROC AUC ran high by 0.015 with 2,000-5,000 reference rows, where its 95% interval held
 * the realized value in only 75-80% of windows (precision's in 84-89%), by 0.007 with 20,000 rows (89%),
 * and by 0.002 with 100,000 (95%).
 *
 * <p>Deterministic: the same histogram, calibrator, threshold and seed give the same estimate, and a
 * merged histogram does not remember its segments.
 */
public final class Cbpe {
    public static final String PRECISION = "precision";
    public static final String RECALL = "recall";
    public static final String F1 = "f1";
    public static final String ACCURACY = "accuracy";
    public static final String SPECIFICITY = "specificity";
    public static final String ROC_AUC = "roc_auc";
    public static final String TRUE_POSITIVES = "true_positives";
    public static final String FALSE_POSITIVES = "false_positives";
    public static final String TRUE_NEGATIVES = "true_negatives";
    public static final String FALSE_NEGATIVES = "false_negatives";
    /** Every metric an estimate may hold, in this order. */
    public static final List<String> METRICS = List.of(PRECISION, RECALL, F1, ACCURACY, SPECIFICITY, ROC_AUC,
            TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES);

    public static final int DRAWS = 400;
    static final double LOWER_QUANTILE = 0.025;
    static final double UPPER_QUANTILE = 0.975;

    private Cbpe() {}

    /** The estimate with {@value #DRAWS} draws for the intervals. */
    public static Estimate estimate(Calibrator calibrator, ScoreHistogram window, double threshold, long seed) {
        return estimate(calibrator, window, threshold, seed, DRAWS);
    }

    public static Estimate estimate(Calibrator calibrator, ScoreHistogram window, double threshold, long seed, int draws) {
        return estimate(calibrator, null, window, threshold, seed, draws);
    }

    /**
     * The estimate from the reference itself, with the calibrator's own uncertainty in the intervals: the point
     * estimate uses the calibrator fitted on every reference row; each of the {@value #DRAWS} draws first refits it
     * on a bootstrap resample of the reference rows, then draws the window's labels from that refit. With a
     * reference of a few hundred rows (a typical validation split) the calibration error dominates the sampling
     * error, and intervals that ignored it would hold the realized value far less often than they claim.
     */
    public static Estimate estimate(int[] referenceLabels, double[] referenceScores, ScoreHistogram window, double threshold, long seed) {
        Refits refits = refits(referenceLabels, referenceScores);
        return estimate(refits.fitted, refits::draws, window, threshold, seed, DRAWS);
    }

    /** A reference, compared by content. */
    private record RefitKey(int[] labels, double[] scores) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RefitKey k && Arrays.equals(labels, k.labels) && Arrays.equals(scores, k.scores);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(labels) + Arrays.hashCode(scores);
        }
    }

    /**
     * The resampling seed of the bootstrap refits. It is the reference's alone, not the window's: every window of a
     * model version is calibrated by the same calibrator, so its error is one shared draw, and the refits that stand
     * for it are fitted once per reference instead of once per window (a day's refresh of hour windows made hundreds
     * of refits each; the windows' own seeds still drive their label draws).
     */
    private static final long REFIT_SEED = 0x5DEECE66DL;

    /**
     * The calibrator fitted on a reference and, made when first wanted, its {@value #DRAWS} bootstrap refits:
     * resampled in draw order from one generator of their own, seeded with {@link #REFIT_SEED}.
     */
    private static final class Refits {
        final Calibrator fitted;
        private final RefitKey key;
        private Calibrator[] draws;

        Refits(RefitKey key) {
            this.key = key;
            this.fitted = Calibrator.fit(key.labels(), key.scores());
        }

        synchronized Calibrator[] draws() {
            if (draws == null) {
                SplittableRandom resampling = new SplittableRandom(REFIT_SEED);
                Calibrator[] refitted = new Calibrator[DRAWS];
                for (int d = 0; d < DRAWS; d++) refitted[d] = bootstrap(key.labels(), key.scores(), resampling);
                draws = refitted;
            }
            return draws;
        }
    }

    /** The refits of the last references estimated with (the model versions being monitored). */
    static final int CACHED_REFITS = 16;
    private static final Map<RefitKey, Refits> REFITS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RefitKey, Refits> eldest) {
            return size() > CACHED_REFITS;
        }
    };

    /**
     * The reference's calibrator and bootstrap refits, the same as fitting them anew: they depend on the reference
     * only, so every window of a model version, and each refresh of a growing one, reuses them; refitting
     * {@value #DRAWS} calibrators was most of an estimate's time. A bad reference is refused by the fit.
     */
    private static Refits refits(int[] labels, double[] scores) {
        RefitKey key = new RefitKey(labels == null ? null : labels.clone(), scores == null ? null : scores.clone());
        synchronized (REFITS) {
            Refits cached = REFITS.get(key);
            if (cached != null) return cached;
        }
        Refits refits = new Refits(key);
        synchronized (REFITS) {
            return REFITS.computeIfAbsent(key, k -> refits);
        }
    }

    /**
     * @param refits the calibrator of each draw (refitted on a bootstrap resample of the reference), or null when the
     *               draws use {@code calibrator}; asked for only when the window has rows
     */
    private static Estimate estimate(Calibrator calibrator, Supplier<Calibrator[]> refits, ScoreHistogram window,
                                     double threshold, long seed, int draws) {
        if (calibrator == null) throw CairnException.invalid("calibrator", null, "a calibrator fitted on the reference");
        if (window == null) throw CairnException.invalid("window", null, "the window's score histogram");
        if (!(threshold >= 0 && threshold <= 1)) throw CairnException.invalid("threshold", threshold, "a probability threshold in [0, 1]");
        if (draws < 1) throw CairnException.invalid("draws", draws, "at least 1 draw");
        long rows = window.count();
        if (rows == 0) return Estimate.empty();

        // The non-empty bins, ascending by score: all the estimate needs.
        List<Integer> used = new ArrayList<>();
        for (int b = 0; b < window.bins(); b++) if (window.count(b) > 0) used.add(b);
        int m = used.size();
        long[] n = new long[m];
        double[] c = new double[m];
        boolean[] positive = new boolean[m];
        for (int i = 0; i < m; i++) {
            int b = used.get(i);
            n[i] = window.count(b);
            c[i] = calibrator.calibrated(window.midpoint(b));
            positive[i] = window.midpoint(b) >= threshold;
        }

        double[] expectedPositives = new double[m], expectedNegatives = new double[m];
        for (int i = 0; i < m; i++) {
            expectedPositives[i] = n[i] * c[i];
            expectedNegatives[i] = n[i] * (1 - c[i]);
        }
        Map<String, Double> point = expected(expectedPositives, expectedNegatives, positive, rows);

        Map<String, Samples> sampled = new LinkedHashMap<>();
        for (String name : point.keySet()) sampled.put(name, new Samples(draws));
        SplittableRandom random = new SplittableRandom(seed);
        double[] drawnPositives = new double[m], drawnNegatives = new double[m];
        double[] drawC = c;
        Calibrator[] refitted = refits == null ? null : refits.get();
        for (int d = 0; d < draws; d++) {
            if (refitted != null) drawC = calibrated(refitted[d], window, used);
            for (int i = 0; i < m; i++) {
                long k = Binomial.draw(random, n[i], drawC[i]);
                drawnPositives[i] = k;
                drawnNegatives[i] = n[i] - k;
            }
            Map<String, Double> draw = drawn(drawnPositives, drawnNegatives, positive);
            sampled.forEach((name, samples) -> samples.add(draw.get(name)));
        }

        Map<String, Estimate.Interval> metrics = new LinkedHashMap<>();
        point.forEach((name, value) -> metrics.put(name, sampled.get(name).interval(value)));
        return new Estimate(rows, metrics);
    }

    /** A calibrator refitted on a bootstrap resample of the reference. */
    private static Calibrator bootstrap(int[] labels, double[] scores, SplittableRandom random) {
        int size = labels.length;
        int[] y = new int[size];
        double[] s = new double[size];
        for (int i = 0; i < size; i++) {
            int j = random.nextInt(size);
            y[i] = labels[j];
            s[i] = scores[j];
        }
        return Calibrator.fit(y, s);
    }

    /** The calibrated probability of each used bin. */
    private static double[] calibrated(Calibrator calibrator, ScoreHistogram window, List<Integer> used) {
        double[] c = new double[used.size()];
        for (int i = 0; i < c.length; i++) c[i] = calibrator.calibrated(window.midpoint(used.get(i)));
        return c;
    }

    /** Point estimates from expected counts; a metric with an empty denominator is left out. */
    private static Map<String, Double> expected(double[] pos, double[] neg, boolean[] positive, long rows) {
        double tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < pos.length; i++) {
            if (positive[i]) {
                tp += pos[i];
                fp += neg[i];
            } else {
                fn += pos[i];
                tn += neg[i];
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        putRatio(out, PRECISION, tp, tp + fp);
        putRatio(out, RECALL, tp, tp + fn);
        putRatio(out, F1, 2 * tp, 2 * tp + fp + fn);
        putRatio(out, ACCURACY, tp + tn, rows);
        putRatio(out, SPECIFICITY, tn, tn + fp);
        double auc = rocAuc(pos, neg);
        if (!Double.isNaN(auc)) out.put(ROC_AUC, auc);
        out.put(TRUE_POSITIVES, tp);
        out.put(FALSE_POSITIVES, fp);
        out.put(TRUE_NEGATIVES, tn);
        out.put(FALSE_NEGATIVES, fn);
        return out;
    }

    private static void putRatio(Map<String, Double> out, String name, double numerator, double denominator) {
        if (denominator > 0) out.put(name, numerator / denominator);
    }

    /** One draw's metrics as realized performance would compute them from these labels. */
    private static Map<String, Double> drawn(double[] pos, double[] neg, boolean[] positive) {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < pos.length; i++) {
            if (positive[i]) {
                tp += (long) pos[i];
                fp += (long) neg[i];
            } else {
                fn += (long) pos[i];
                tn += (long) neg[i];
            }
        }
        BinaryMetrics.Confusion confusion = new BinaryMetrics.Confusion(tp, fp, tn, fn);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(PRECISION, confusion.precision());
        out.put(RECALL, confusion.recall());
        out.put(F1, confusion.f1());
        out.put(ACCURACY, confusion.accuracy());
        // Not one of BinaryMetrics': defined as Realized defines it, only when there are negatives.
        if (tn + fp > 0) out.put(SPECIFICITY, (double) tn / (tn + fp));
        double auc = rocAuc(pos, neg);
        if (!Double.isNaN(auc)) out.put(ROC_AUC, auc);
        out.put(TRUE_POSITIVES, (double) tp);
        out.put(FALSE_POSITIVES, (double) fp);
        out.put(TRUE_NEGATIVES, (double) tn);
        out.put(FALSE_NEGATIVES, (double) fn);
        return out;
    }

    /**
     * The Mann–Whitney AUC of bins ascending by score holding {@code pos[b]} positives and {@code neg[b]}
     * negatives (expected or drawn): the share of (positive, negative) pairs in which the positive scores
     * higher, pairs in the same bin counted half. NaN without positives or without negatives.
     */
    static double rocAuc(double[] pos, double[] neg) {
        double below = 0, pairs = 0, positives = 0;
        for (int b = 0; b < pos.length; b++) {
            pairs += pos[b] * (below + 0.5 * neg[b]);
            below += neg[b];
            positives += pos[b];
        }
        return positives > 0 && below > 0 ? pairs / (positives * below) : Double.NaN;
    }

    /** One metric's values over the draws that define it. */
    private static final class Samples {
        private final double[] values;
        private int size;

        Samples(int draws) {
            values = new double[draws];
        }

        void add(Double value) {
            if (value != null) values[size++] = value;
        }

        /** The percentile bounds, widened to hold {@code value}; the point itself when no draw defined the metric. */
        Estimate.Interval interval(double value) {
            if (size == 0) return new Estimate.Interval(value, value, value);
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return new Estimate.Interval(value, Math.min(value, quantile(sorted, LOWER_QUANTILE)),
                    Math.max(value, quantile(sorted, UPPER_QUANTILE)));
        }
    }

    /** NumPy's default percentile: linear between the order statistics of {@code sorted}. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
