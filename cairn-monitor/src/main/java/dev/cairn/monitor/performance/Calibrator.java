package dev.cairn.monitor.performance;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.error.CairnException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Maps a model's score to the probability that the row is positive, as the reference (validation rows
 * with labels) showed it: isotonic regression, scikit-learn's {@code IsotonicRegression(out_of_bounds="clip")}
 * as {@code CalibratedClassifierCV(method="isotonic")} uses it, and as NannyML calibrates before CBPE.
 * CBPE counts a bin's rows as positive with this probability, so a model whose scores are not
 * probabilities (over- or under-confident) is still estimated right.
 *
 * <p>The fit is a non-decreasing step function of the score (pool adjacent violators over the rows
 * sorted by score, tied scores first averaged into one point); {@link #calibrated} interpolates
 * linearly between the steps' end points {@code x}, {@code y} and is flat beyond the first and last.
 * Its noise grows as the reference shrinks and shows in CBPE's estimates as a bias (see {@link Cbpe}):
 * fit it on as many reference rows as there are.
 *
 * <p>JSON: {@code {"x":[0.1,0.2,0.3],"y":[0.0,0.5,0.5]}}: {@code x} strictly increasing scores,
 * {@code y} non-decreasing probabilities in [0, 1], of the same length (at least 1).
 */
public record Calibrator(double[] x, double[] y) {
    @JsonCreator
    public Calibrator(@JsonProperty("x") double[] x, @JsonProperty("y") double[] y) {
        if (x == null || x.length == 0) throw CairnException.invalid("x", x == null ? null : "[]", "at least one score");
        if (y == null || y.length != x.length) {
            throw CairnException.invalid("y", y == null ? null : y.length + " values", x.length + " values, one per x");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) throw CairnException.invalid("x[" + i + "]", x[i], "a finite score");
            if (i > 0 && x[i] <= x[i - 1]) throw CairnException.invalid("x[" + i + "]", x[i], "a score above x[" + (i - 1) + "] = " + x[i - 1]);
            if (!(y[i] >= 0 && y[i] <= 1)) throw CairnException.invalid("y[" + i + "]", y[i], "a probability in [0, 1]");
            if (i > 0 && y[i] < y[i - 1]) throw CairnException.invalid("y[" + i + "]", y[i], "at least y[" + (i - 1) + "] = " + y[i - 1]);
        }
        this.x = x.clone();
        this.y = y.clone();
    }

    /** No calibration: the score is taken as the probability (for a model known to be calibrated). */
    public static Calibrator identity() {
        return new Calibrator(new double[] {0, 1}, new double[] {0, 1});
    }

    /**
     * Fits the isotonic regression of {@code labels} (0 or 1) on {@code scores}, row by row: the
     * reference's labels and the model's scores on them.
     */
    public static Calibrator fit(int[] labels, double[] scores) {
        if (labels == null || labels.length == 0) throw CairnException.invalid("labels", labels == null ? null : "[]", "at least one reference label");
        if (scores == null || scores.length != labels.length) {
            throw CairnException.invalid("scores", scores == null ? null : scores.length + " scores", labels.length + " scores, one per label");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) throw CairnException.invalid("labels[" + i + "]", labels[i], "0 or 1");
            if (!Double.isFinite(scores[i])) throw CairnException.invalid("scores[" + i + "]", scores[i], "a finite score");
        }
        int[] order = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble(i -> scores[i])).mapToInt(Integer::intValue).toArray();

        // Blocks hold whole counts (positives of rows), so comparing means is exact and the fit is the
        // same on every machine: p1/n1 > p2/n2 is p1*n2 > p2*n1.
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < order.length) {
            double score = scores[order[i]];
            long positives = 0, rows = 0;
            while (i < order.length && scores[order[i]] == score) {
                positives += labels[order[i]];
                rows++;
                i++;
            }
            Block next = new Block(score, score, positives, rows);
            // Pooling equal means too leaves one block per distinct level, so the points are strictly increasing in y between blocks.
            while (!blocks.isEmpty() && blocks.getLast().atLeast(next)) next = blocks.removeLast().pool(next);
            blocks.add(next);
        }

        List<double[]> points = new ArrayList<>();
        for (Block b : blocks) {
            double level = (double) b.positives / b.rows;
            points.add(new double[] {b.first, level});
            if (b.last > b.first) points.add(new double[] {b.last, level});
        }
        return new Calibrator(points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
    }

    private record Block(double first, double last, long positives, long rows) {
        /** Whether this block's share of positives is at least {@code next}'s; rows fit an int, so the products cannot overflow. */
        boolean atLeast(Block next) {
            return positives * next.rows >= next.positives * rows;
        }

        Block pool(Block next) {
            return new Block(first, next.last, positives + next.positives, rows + next.rows);
        }
    }

    /** The probability that a row with {@code score} is positive. */
    public double calibrated(double score) {
        if (Double.isNaN(score)) throw CairnException.invalid("score", score, "a score, not NaN");
        if (score <= x[0]) return y[0];
        int last = x.length - 1;
        if (score >= x[last]) return y[last];
        int i = Arrays.binarySearch(x, score);
        if (i >= 0) return y[i];
        int upper = -i - 1; // x[upper - 1] < score < x[upper]
        double t = (score - x[upper - 1]) / (x[upper] - x[upper - 1]);
        return Math.min(y[upper], y[upper - 1] + t * (y[upper] - y[upper - 1]));
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibrator c && Arrays.equals(x, c.x) && Arrays.equals(y, c.y);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(x) + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "Calibrator[x=" + Arrays.toString(x) + ", y=" + Arrays.toString(y) + "]";
    }
}
