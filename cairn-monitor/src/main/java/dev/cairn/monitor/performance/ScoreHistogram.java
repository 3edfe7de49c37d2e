package dev.cairn.monitor.performance;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.error.CairnException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scores of a window's rows, counted in {@code bins} equal-width bins over [0, 1]: the window
 * state confidence-based performance estimation needs. Bin {@code b} holds scores in
 * {@code [b/bins, (b+1)/bins)}, the last bin also 1.0 itself, so a threshold on a bin edge (0.5 with
 * any even number of bins, any multiple of 0.001 with the default 1000) splits the rows exactly as
 * {@code score >= threshold} does, up to a rounding of one ulp at the edge.
 *
 * <p>Only counts are kept, not sums of scores: whole numbers add exactly, so merging the segments of a
 * window in any order and grouping gives the same histogram, bit for bit, and so the same estimate.
 *
 * <p>NaN scores are not counted (a window's data quality metrics report them); other scores are
 * clamped to [0, 1]. The histogram is mutable: {@link #add} and {@link #merge} change it in place.
 *
 * <p>JSON: {@code {"bins":1000,"counts":{"512":3,"731":1}}}, only the non-empty bins, keyed by bin
 * index in ascending order; a small window stays small in the window state.
 */
public final class ScoreHistogram {
    public static final int DEFAULT_BINS = 1000;
    /** Bounds the memory a histogram read from JSON may claim. */
    public static final int MAX_BINS = 1_000_000;

    private final long[] counts;

    public ScoreHistogram() {
        this(DEFAULT_BINS);
    }

    public ScoreHistogram(int bins) {
        if (bins < 1 || bins > MAX_BINS) throw CairnException.invalid("bins", bins, "a whole number from 1 to " + MAX_BINS);
        this.counts = new long[bins];
    }

    /** A histogram of {@code scores} with the default bins. */
    public static ScoreHistogram of(double... scores) {
        ScoreHistogram h = new ScoreHistogram();
        for (double s : scores) h.add(s);
        return h;
    }

    @JsonCreator
    static ScoreHistogram fromJson(@JsonProperty("bins") Integer bins, @JsonProperty("counts") Map<String, Long> counts) {
        if (bins == null) throw CairnException.invalid("bins", null, "the number of bins");
        ScoreHistogram h = new ScoreHistogram(bins);
        if (counts == null) return h;
        counts.forEach((key, count) -> {
            int b;
            try {
                b = Integer.parseInt(key);
            } catch (NumberFormatException e) {
                throw CairnException.invalid("counts", key, "bin indexes from 0 to " + (bins - 1));
            }
            if (b < 0 || b >= bins) throw CairnException.invalid("counts", key, "bin indexes from 0 to " + (bins - 1));
            if (count == null || count < 0) throw CairnException.invalid("counts." + key, count, "a count of 0 or more");
            h.counts[b] = count;
        });
        return h;
    }

    /** Counts {@code score} in its bin; NaN is ignored, anything else clamped to [0, 1]. */
    public ScoreHistogram add(double score) {
        if (Double.isNaN(score)) return this;
        counts[bin(score, counts.length)]++;
        return this;
    }

    /**
     * Counts {@code count} more scores in bin {@code bin}: a grouping's count of the scores {@link #binSql} puts in that
     * bin, which are the ones {@link #add} would count there.
     */
    public ScoreHistogram add(int bin, long count) {
        if (bin < 0 || bin >= counts.length) throw CairnException.invalid("bin", bin, "a bin index from 0 to " + (counts.length - 1));
        if (count < 0) throw CairnException.invalid("count", count, "a count of 0 or more");
        counts[bin] = Math.addExact(counts[bin], count);
        return this;
    }

    /**
     * DuckDB SQL for the bin of {@code score}, a DOUBLE that is not NaN, in a histogram of {@code bins} bins: the bin
     * {@link #add(double)} counts it in, so a table's scores can be counted by bin in one grouping instead of read row by
     * row. The same IEEE operations in the same order: the clamp to [0, 1], the product with the number of bins, then
     * the whole part (the floor of a product that is not negative), at most the last bin.
     */
    public static String binSql(String score, int bins) {
        return "least(" + (bins - 1) + ", floor(greatest(0E0, least(1E0, " + score + ")) * " + bins + "E0))::INTEGER";
    }

    /** Adds {@code other}'s counts to this histogram's; both must have the same number of bins. */
    public ScoreHistogram merge(ScoreHistogram other) {
        if (other.counts.length != counts.length) {
            throw CairnException.invalid("bins", other.counts.length, counts.length + " bins, as the histogram merged into");
        }
        for (int b = 0; b < counts.length; b++) counts[b] = Math.addExact(counts[b], other.counts[b]);
        return this;
    }

    public ScoreHistogram copy() {
        ScoreHistogram h = new ScoreHistogram(counts.length);
        System.arraycopy(counts, 0, h.counts, 0, counts.length);
        return h;
    }

    @JsonProperty("bins")
    public int bins() {
        return counts.length;
    }

    /** Rows counted (NaN scores are not). */
    public long count() {
        long n = 0;
        for (long c : counts) n += c;
        return n;
    }

    /** Every bin's count, bin 0 first (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** The count of bin {@code b}. */
    public long count(int b) {
        return counts[b];
    }

    /** The bins that hold rows, by index, ascending: the JSON form. */
    @JsonProperty("counts")
    Map<String, Long> nonEmpty() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int b = 0; b < counts.length; b++) if (counts[b] != 0) out.put(Integer.toString(b), counts[b]);
        return out;
    }

    public double lower(int b) {
        return (double) b / counts.length;
    }

    public double upper(int b) {
        return (double) (b + 1) / counts.length;
    }

    /** The bin's midpoint: the score CBPE calibrates for all of the bin's rows. */
    public double midpoint(int b) {
        return (b + 0.5) / counts.length;
    }

    static int bin(double score, int bins) {
        double s = Math.min(1, Math.max(0, score));
        return Math.min(bins - 1, (int) (s * bins));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreHistogram h && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ScoreHistogram[bins=" + counts.length + ", count=" + count() + ", counts=" + nonEmpty() + "]";
    }
}
