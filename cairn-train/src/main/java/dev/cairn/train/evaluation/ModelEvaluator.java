package dev.cairn.train.evaluation;

import dev.cairn.core.schema.Field;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.Task;
import dev.cairn.train.metrics.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Computes one model's {@link Report.ModelResult} on evaluation data: metrics, curves, slices, fairness, importance. */
final class ModelEvaluator {
    static final int BOOTSTRAP_RESAMPLES = 200;
    static final int PERMUTATION_REPEATS = 3;
    static final int EXPLAINED_ROWS = 100;
    static final int CURVE_POINTS = 200;

    /**
     * Options that are the same for the candidate and the champion; groups of a sensitive column
     * with fewer than {@code minGroupSize} rows are left out of the fairness gaps.
     */
    record Options(String businessMetric, ThresholdTarget target, List<Grouping> slices, List<Grouping> sensitive, long seed,
                   boolean importance, int minGroupSize) {}

    /**
     * One model's result, and its metrics as functions of resampled row indexes, so the verdict can
     * compare candidate and champion on the same resamples (a paired bootstrap).
     */
    record Evaluated(Report.ModelResult result, Resampled metrics) {}

    /** A metric of one model recomputed on resampled row indexes (NaN when it is undefined there). */
    @FunctionalInterface
    interface Resampled {
        double on(String metric, int[] rows);
    }

    private ModelEvaluator() {}

    static Evaluated evaluate(ModelSource source, Scorer scorer, EvaluationData data, Options options) {
        ModelPackage pkg = scorer.pkg();
        double[][] scores = scorer.score(data.frame());
        String flavor = pkg.manifest().flavor().wireName();
        Long version = source.version() == null ? null : source.version().version();
        List<Report.Importance> importance = options.importance() ? importance(scorer, data, scores) : null;
        return switch (data.task()) {
            case BINARY -> binary(source, version, flavor, pkg, data, data.positiveScores(scores), options, importance);
            case REGRESSION -> {
                double[] predicted = column(scores);
                Map<String, Double> metrics = RegressionMetrics.compute(data.targets(), predicted);
                Resampled resampled = (name, rows) -> RegressionMetrics.compute(select(data.targets(), rows), select(predicted, rows))
                        .getOrDefault(name, Double.NaN);
                Map<String, Bootstrap.Interval> intervals = interval(options.businessMetric(), data.rows(), options.seed(), resampled);
                List<Report.Slice> slices = new ArrayList<>();
                for (Grouping g : options.slices()) {
                    List<Report.SliceRow> rows = new ArrayList<>();
                    List<int[]> members = g.members();
                    for (int k = 0; k < g.groups().size(); k++) {
                        int[] m = members.get(k);
                        rows.add(new Report.SliceRow(g.groups().get(k), m.length, null,
                                RegressionMetrics.compute(select(data.targets(), m), select(predicted, m))));
                    }
                    slices.add(new Report.Slice(g.column(), rows));
                }
                yield new Evaluated(new Report.ModelResult(source.uri(), source.registeredName(), version, source.source(), flavor, "regression",
                        null, null, null, metrics, intervals, null, null, slices, List.of(), importance), resampled);
            }
            case MULTICLASS -> {
                int[] predicted = argmax(scores);
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("accuracy", Metrics.accuracy(data.y(), predicted));
                metrics.put("log_loss", Metrics.multiLogLoss(data.y(), scores));
                Resampled resampled = (name, rows) -> name.equals("log_loss")
                        ? Metrics.multiLogLoss(select(data.y(), rows), select(scores, rows))
                        : Metrics.accuracy(select(data.y(), rows), select(predicted, rows));
                List<Report.Slice> slices = new ArrayList<>();
                for (Grouping g : options.slices()) {
                    List<Report.SliceRow> rows = new ArrayList<>();
                    List<int[]> members = g.members();
                    for (int k = 0; k < g.groups().size(); k++) {
                        int[] m = members.get(k);
                        rows.add(new Report.SliceRow(g.groups().get(k), m.length, null,
                                Map.of("accuracy", Metrics.accuracy(select(data.y(), m), select(predicted, m)))));
                    }
                    slices.add(new Report.Slice(g.column(), rows));
                }
                yield new Evaluated(new Report.ModelResult(source.uri(), source.registeredName(), version, source.source(), flavor, "multiclass",
                        null, null, null, metrics, interval(options.businessMetric(), data.rows(), options.seed(), resampled), null, null, slices,
                        List.of(), importance), resampled);
            }
        };
    }

    private static Evaluated binary(ModelSource source, Long version, String flavor, ModelPackage pkg, EvaluationData data,
                                             double[] p, Options options, List<Report.Importance> importance) {
        int[] y = data.y();
        double threshold;
        String thresholdSource;
        if (options.target() != null) {
            ThresholdTarget.Choice choice = options.target().search(y, p);
            threshold = choice.threshold();
            thresholdSource = "target " + options.target() + (choice.reached() ? "" : " (not reached: the closest threshold)");
        } else {
            double stored = pkg.manifest().thresholdOrDefault();
            // The model's threshold is on its own positive class; the business question may be about the other.
            threshold = data.positiveClass().equals(data.classes().get(1)) ? stored : 1 - stored;
            thresholdSource = pkg.manifest().threshold() == null ? "default 0.5" : "model";
        }
        Map<String, Double> metrics = BinaryMetrics.compute(y, p, threshold);
        metrics.put("threshold", threshold);
        final double t = threshold;
        Resampled resampled = (name, rows) -> BinaryMetrics.compute(select(y, rows), select(p, rows), t).getOrDefault(name, Double.NaN);
        Map<String, Bootstrap.Interval> intervals = interval(options.businessMetric(), y.length, options.seed(), resampled);
        Report.Curves curves = new Report.Curves(thin(BinaryMetrics.rocCurve(y, p)), thin(BinaryMetrics.precisionRecallCurve(y, p)),
                BinaryMetrics.calibration(y, p, 10));
        List<Report.Slice> slices = new ArrayList<>();
        for (Grouping g : options.slices()) {
            List<Report.SliceRow> rows = new ArrayList<>();
            List<int[]> members = g.members();
            for (int k = 0; k < g.groups().size(); k++) {
                int[] m = members.get(k);
                int[] ys = select(y, m);
                Map<String, Double> all = BinaryMetrics.compute(ys, select(p, m), threshold);
                Map<String, Double> shown = new LinkedHashMap<>();
                for (String key : List.of("accuracy", "precision", "recall", "f1", "roc_auc", "selection_rate")) shown.put(key, all.get(key));
                long positives = 0;
                for (int v : ys) positives += v;
                rows.add(new Report.SliceRow(g.groups().get(k), m.length, positives, shown));
            }
            slices.add(new Report.Slice(g.column(), rows));
        }
        List<Report.FairnessReport> fairness = new ArrayList<>();
        for (Grouping g : options.sensitive()) fairness.add(Fairness.of(g, y, p, threshold, options.minGroupSize()));
        return new Evaluated(new Report.ModelResult(source.uri(), source.registeredName(), version, source.source(), flavor, "binary",
                data.positiveClass(), threshold, thresholdSource, metrics, intervals, BinaryMetrics.Confusion.at(y, p, threshold),
                curves, slices, fairness, importance), resampled);
    }

    private static Map<String, Bootstrap.Interval> interval(String metric, int rows, long seed, Resampled f) {
        if (metric == null) return Map.of();
        Map<String, Bootstrap.Interval> out = new LinkedHashMap<>();
        out.put(metric, Bootstrap.interval(rows, sample -> f.on(metric, sample), BOOTSTRAP_RESAMPLES, 0.95, seed));
        return out;
    }

    /**
     * Gain (XGBoost), permutation importance on the evaluation rows (the drop in ROC AUC, accuracy or
     * R² when one input's values are shuffled) and mean absolute contribution per input.
     */
    static List<Report.Importance> importance(Scorer scorer, EvaluationData data, double[][] scores) {
        List<Field> inputs = scorer.model().signature().inputs();
        Map<String, Double> gain = gain(scorer);
        double base = permutationMetric(data, scores);
        Random random = new Random(7);
        Map<String, double[]> contributions = meanAbsContributions(scorer, data.frame());
        List<Report.Importance> out = new ArrayList<>();
        for (Field input : inputs) {
            double[] drops = new double[PERMUTATION_REPEATS];
            for (int r = 0; r < PERMUTATION_REPEATS; r++) {
                Frame shuffled = shuffle(data.frame(), input.name(), random);
                drops[r] = base - permutationMetric(data, scorer.score(shuffled));
            }
            double mean = 0;
            for (double d : drops) mean += d / drops.length;
            double var = 0;
            for (double d : drops) var += (d - mean) * (d - mean) / drops.length;
            double[] c = contributions.get(input.name());
            out.add(new Report.Importance(input.name(), gain == null ? null : gain.getOrDefault(input.name(), 0.0), mean, Math.sqrt(var),
                    c == null ? null : c[0] / Math.max(1, c[1])));
        }
        out.sort((a, b) -> Double.compare(b.permutation(), a.permutation()));
        return out;
    }

    /** The metric permutation importance measures, higher is better: ROC AUC, accuracy or R². */
    static double permutationMetric(EvaluationData data, double[][] scores) {
        return switch (data.task()) {
            case BINARY -> Metrics.rocAuc(data.y(), data.positiveScores(scores));
            case MULTICLASS -> Metrics.accuracy(data.y(), argmax(scores));
            case REGRESSION -> Metrics.r2(data.targets(), column(scores));
        };
    }

    static String permutationMetricName(Task task) {
        return switch (task) {
            case BINARY -> "roc_auc";
            case MULTICLASS -> "accuracy";
            case REGRESSION -> "r2";
        };
    }

    /** XGBoost's total gain per input (one-hot features summed back), or null for other flavors. */
    private static Map<String, Double> gain(Scorer scorer) {
        if (!(scorer.pkg().manifest().model() instanceof ModelBody.XGBoost) || scorer.booster() == null) return null;
        try {
            Map<String, Double> averageGain = scorer.booster().getScore("", "gain");
            Map<String, Integer> splits = scorer.booster().getFeatureScore("");
            double[] perFeature = new double[scorer.encoder().featureCount()];
            averageGain.forEach((f, g) -> {
                int index = Integer.parseInt(f.substring(1));
                if (index < perFeature.length) perFeature[index] = g * splits.getOrDefault(f, 0);
            });
            return scorer.encoder().sumByInput(perFeature);
        } catch (XGBoostError | NumberFormatException e) {
            return null;
        }
    }

    /** Sum of |contribution| and the number of rows explained, per input, over the first rows serving would accept. */
    private static Map<String, double[]> meanAbsContributions(Scorer scorer, Frame frame) {
        Map<String, double[]> out = new LinkedHashMap<>();
        int limit = Math.min(EXPLAINED_ROWS, frame.rowCount());
        for (int i = 0; i < limit; i++) {
            Map<String, Double> c = scorer.explain(frame.row(i));
            if (c == null) continue;
            c.forEach((input, v) -> {
                double[] acc = out.computeIfAbsent(input, k -> new double[2]);
                acc[0] += Math.abs(v);
                acc[1]++;
            });
        }
        return out;
    }

    private static Frame shuffle(Frame frame, String name, Random random) {
        int n = frame.rowCount();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Column> columns = new ArrayList<>();
        for (Column c : frame.columns()) columns.add(c.name().equals(name) ? c.select(order) : c);
        return new Frame(columns);
    }

    private static List<double[]> thin(List<double[]> points) {
        if (points.size() <= CURVE_POINTS) return points;
        List<double[]> out = new ArrayList<>();
        double step = (points.size() - 1) / (double) (CURVE_POINTS - 1);
        for (int i = 0; i < CURVE_POINTS; i++) out.add(points.get((int) Math.round(i * step)));
        return out;
    }

    static int[] argmax(double[][] scores) {
        int[] out = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int k = 1; k < scores[i].length; k++) if (scores[i][k] > scores[i][best]) best = k;
            out[i] = best;
        }
        return out;
    }

    static double[] column(double[][] scores) {
        double[] out = new double[scores.length];
        for (int i = 0; i < out.length; i++) out[i] = scores[i][0];
        return out;
    }

    static int[] select(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = values[rows[i]];
        return out;
    }

    static double[][] select(double[][] values, int[] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = values[rows[i]];
        return out;
    }

    static double[] select(double[] values, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = values[rows[i]];
        return out;
    }
}
