package dev.cairn.data.profile;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.ColumnKind;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The mergeable state of one column's profile: exact counts and moments, and DataSketches sketches
 * (KLL quantiles, HLL distinct count, frequent items). Built by the {@link Profiler} from a scan,
 * or rebuilt from a stored {@link ColumnProfile} to be merged with another.
 */
final class ColumnAccumulator {
    static final int HLL_LG_K = 12;
    static final int ITEMS_MAP_SIZE = 1024;
    static final int TOP_VALUES = 100;
    static final double[] QUANTILE_RANKS = {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0};
    static final int EQUAL_WIDTH_BINS = 20;
    static final int QUANTILE_BINS = 10;
    private static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();

    static {
        MemoryLibraryGuard.ensureInitialised();
    }

    final String name;
    final String duckType;
    final ColumnKind kind;
    long count;
    long missing;
    final Map<String, Long> typeCounts = new TreeMap<>();

    // Numeric: moments over the finite values.
    Double min;
    Double max;
    long finiteCount;
    double mean;
    double m2;
    long zeros;
    long nan;
    long infinite;
    KllDoublesSketch kll;

    // Strings, booleans, dates and times.
    ItemsSketch<String> items;
    long totalLength;
    Long minLength;
    Long maxLength;
    String minValue;
    String maxValue;

    HllSketch hll = new HllSketch(HLL_LG_K);

    ColumnAccumulator(String name, String duckType, ColumnKind kind) {
        this.name = name;
        this.duckType = duckType;
        this.kind = kind;
        if (kind == ColumnKind.NUMERIC) {
            kll = ReproducibleKll.newSketch();
        } else {
            items = new ItemsSketch<>(ITEMS_MAP_SIZE);
        }
    }

    /** Adds the exact moments of another part (Chan, Golub and LeVeque's pairwise update). */
    void addMoments(long otherCount, double otherMean, double otherM2) {
        if (otherCount == 0) return;
        if (finiteCount == 0) {
            finiteCount = otherCount;
            mean = otherMean;
            m2 = otherM2;
            return;
        }
        long n = finiteCount + otherCount;
        double delta = otherMean - mean;
        mean = mean + delta * otherCount / n;
        m2 = m2 + otherM2 + delta * delta * ((double) finiteCount * otherCount / n);
        finiteCount = n;
    }

    void merge(ColumnAccumulator other) {
        count += other.count;
        missing += other.missing;
        other.typeCounts.forEach((k, v) -> typeCounts.merge(k, v, Long::sum));
        Union union = new Union(HLL_LG_K);
        union.update(hll);
        union.update(other.hll);
        hll = union.getResult();
        if (kind == ColumnKind.NUMERIC && other.kind == ColumnKind.NUMERIC) {
            min = minOf(min, other.min);
            max = maxOf(max, other.max);
            addMoments(other.finiteCount, other.mean, other.m2);
            zeros += other.zeros;
            nan += other.nan;
            infinite += other.infinite;
            ReproducibleKll.merge(kll, other.kll);
        } else if (kind != ColumnKind.NUMERIC && other.kind != ColumnKind.NUMERIC) {
            items.merge(other.items);
            totalLength += other.totalLength;
            minLength = minLong(minLength, other.minLength);
            maxLength = maxLong(maxLength, other.maxLength);
            minValue = minValue == null ? other.minValue : other.minValue == null || minValue.compareTo(other.minValue) <= 0 ? minValue : other.minValue;
            maxValue = maxValue == null ? other.maxValue : other.maxValue == null || maxValue.compareTo(other.maxValue) >= 0 ? maxValue : other.maxValue;
        } else {
            throw CairnException.invalid("column '" + name + "'", other.kind, "the same kind in both profiles (" + kind + ")");
        }
    }

    private static Long minLong(Long a, Long b) {
        if (a == null) return b;
        if (b == null) return a;
        return Math.min(a, b);
    }

    private static Long maxLong(Long a, Long b) {
        if (a == null) return b;
        if (b == null) return a;
        return Math.max(a, b);
    }

    private static Double minOf(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.min(a, b);
    }

    private static Double maxOf(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }

    ColumnProfile toProfile() {
        Map<String, String> sketches = new LinkedHashMap<>();
        Base64.Encoder b64 = Base64.getEncoder();
        sketches.put("hll", b64.encodeToString(hll.toCompactByteArray()));
        NumericStats numeric = null;
        StringStats strings = null;
        if (kind == ColumnKind.NUMERIC) {
            sketches.put("kll", b64.encodeToString(kll.toByteArray()));
            numeric = numericStats();
        } else {
            sketches.put("items", b64.encodeToString(items.toByteArray(STRINGS)));
            strings = stringStats();
        }
        return new ColumnProfile(name, duckType, kind, count, missing, new TreeMap<>(typeCounts),
                numeric, strings, sketches);
    }

    private NumericStats numericStats() {
        Map<String, Double> quantiles = new TreeMap<>();
        Histogram equalWidth = null;
        Histogram quantileHistogram = null;
        if (!kll.isEmpty()) {
            for (double rank : QUANTILE_RANKS) quantiles.put(String.valueOf(rank), kll.getQuantile(rank));
            equalWidth = equalWidthHistogram();
            quantileHistogram = quantileHistogram();
        }
        Double stdDev = finiteCount == 0 ? null : Math.sqrt(m2 / finiteCount);
        return new NumericStats(min, max, finiteCount == 0 ? null : mean, stdDev, finiteCount, m2, zeros, nan, infinite,
                distinctEstimate(), quantiles, equalWidth, quantileHistogram);
    }

    /**
     * HLL's estimate, capped at the number of present values: on a small column of unique values
     * the estimate's error can otherwise report more distinct values than rows (1,012 of 1,000).
     */
    private long distinctEstimate() {
        return Math.min(Math.round(hll.getEstimate()), count - missing);
    }

    private Histogram equalWidthHistogram() {
        double lo = kll.getMinItem();
        double hi = kll.getMaxItem();
        long n = kll.getN();
        if (!(hi > lo)) return new Histogram(List.of(lo, hi), List.of((double) n));
        List<Double> edges = new ArrayList<>();
        edges.add(lo);
        for (int i = 1; i < EQUAL_WIDTH_BINS; i++) edges.add(lo + (hi - lo) * i / EQUAL_WIDTH_BINS);
        edges.add(hi);
        return sketchHistogram(edges);
    }

    /** Bins between the deciles; ties between deciles merge their bins. */
    private Histogram quantileHistogram() {
        List<Double> edges = new ArrayList<>();
        for (int i = 0; i <= QUANTILE_BINS; i++) {
            double q = kll.getQuantile(i / (double) QUANTILE_BINS);
            if (edges.isEmpty() || q > edges.getLast()) edges.add(q);
        }
        if (edges.size() == 1) return new Histogram(List.of(edges.getFirst(), edges.getFirst()), List.of((double) kll.getN()));
        return sketchHistogram(edges);
    }

    /** Counts between the edges from the sketch's PMF, rounded to whole values, with the sketch's error bound. */
    private Histogram sketchHistogram(List<Double> edges) {
        long n = kll.getN();
        double[] splits = new double[edges.size() - 2];
        for (int i = 1; i < edges.size() - 1; i++) splits[i - 1] = edges.get(i);
        double[] pmf = kll.getPMF(splits);
        List<Double> counts = new ArrayList<>();
        for (double p : pmf) counts.add((double) Math.round(p * n));
        boolean approximate = kll.isEstimationMode();
        return new Histogram(edges, counts, approximate, approximate ? (long) Math.ceil(ReproducibleKll.PMF_ERROR * n) : 0);
    }

    private StringStats stringStats() {
        List<ValueCount> top = new ArrayList<>();
        if (!items.isEmpty()) {
            for (ItemsSketch.Row<String> row : items.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)) {
                top.add(new ValueCount(row.getItem(), row.getEstimate()));
            }
        }
        top.sort(Comparator.comparingLong(ValueCount::count).reversed().thenComparing(ValueCount::value));
        if (top.size() > TOP_VALUES) top = new ArrayList<>(top.subList(0, TOP_VALUES));
        boolean exact = items.getMaximumError() == 0;
        long distinct = exact ? items.getNumActiveItems() : distinctEstimate();
        long present = count - missing;
        Double avgLength = present == 0 || minLength == null ? null : totalLength / (double) present;
        return new StringStats(distinct, exact, top, avgLength, minLength, maxLength, totalLength, minValue, maxValue);
    }

    static ColumnAccumulator fromProfile(ColumnProfile p) {
        ColumnAccumulator a = new ColumnAccumulator(p.name(), p.duckType(), p.kind());
        a.count = p.count();
        a.missing = p.missing();
        a.typeCounts.putAll(p.typeCounts());
        Base64.Decoder b64 = Base64.getDecoder();
        try {
            a.hll = HllSketch.heapify(b64.decode(p.sketches().get("hll")));
            if (p.kind() == ColumnKind.NUMERIC) {
                NumericStats s = p.numeric();
                a.kll = KllDoublesSketch.heapify(Memory.wrap(b64.decode(p.sketches().get("kll"))));
                a.min = s.min();
                a.max = s.max();
                a.finiteCount = s.finiteCount();
                a.mean = s.mean() == null ? 0 : s.mean();
                a.m2 = s.m2();
                a.zeros = s.zeros();
                a.nan = s.nan();
                a.infinite = s.infinite();
            } else {
                StringStats s = p.strings();
                a.items = ItemsSketch.getInstance(Memory.wrap(b64.decode(p.sketches().get("items"))), STRINGS);
                a.totalLength = s.totalLength();
                a.minLength = s.minLength();
                a.maxLength = s.maxLength();
                a.minValue = s.min();
                a.maxValue = s.max();
            }
        } catch (RuntimeException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "The profile of column '" + p.name()
                    + "' has unreadable sketches (" + e.getClass().getSimpleName() + ")", java.util.Map.of("column", p.name()), e);
        }
        return a;
    }

    /** The KLL sketch of a numeric column of a stored profile, for drift statistics. */
    static KllDoublesSketch kllOf(ColumnProfile p) {
        return KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(p.sketches().get("kll"))));
    }
}
