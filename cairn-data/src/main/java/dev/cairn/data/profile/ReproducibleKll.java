package dev.cairn.data.profile;

import java.lang.reflect.Field;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;

/**
 * Updates and merges of KLL sketches that give the same sketch for the same values in the same
 * order, so that profiling a file twice gives the same JSON.
 *
 * <p>KLL compacts by keeping the odd or the even items of a level, chosen by a coin. In
 * datasketches-java 6.2 that coin comes from one {@code static final java.util.Random} shared by
 * every KLL sketch of the JVM ({@code KllSketch.random}, seeded from the clock), and the library
 * offers no way to seed it (a {@code merge(sketch, Random)} was proposed upstream in
 * apache/datasketches-java#695 and closed). So every update and merge of a Cairn KLL sketch goes
 * through this class: under one lock, the shared Random is reseeded from the sketch's own state (its
 * count of items, mixed by SplitMix64) before the batch. The coins are then a function of the data
 * alone, whatever other sketches are updated on other threads, and they stay pseudo-random, so KLL's
 * error bound ({@link #RANK_ERROR}) holds as documented.
 */
public final class ReproducibleKll {
    static {
        MemoryLibraryGuard.ensureInitialised();
    }

    /** KLL's k: about 1.3% normalized rank error, a few kilobytes per column. */
    public static final int K = 200;

    /**
     * The sketch's normalized rank error for single ranks and quantiles (DataSketches'
     * {@code KllSketch.getNormalizedRankError(k, false)}, about 0.0133 for k = 200): with 99%
     * confidence, a rank (a CDF value) read from the sketch is within this of the exact one.
     */
    public static final double RANK_ERROR = KllSketch.getNormalizedRankError(K, false);

    /** The same bound for a PMF (a histogram bin's share): {@code getNormalizedRankError(k, true)}. */
    public static final double PMF_ERROR = KllSketch.getNormalizedRankError(K, true);

    private static final Object LOCK = new Object();
    private static final Random SHARED_COIN = sharedCoin();

    private ReproducibleKll() {}

    private static Random sharedCoin() {
        try {
            Field field = KllSketch.class.getDeclaredField("random");
            field.setAccessible(true);
            return (Random) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot reach the compaction coin of DataSketches' KLL sketch (KllSketch.random); "
                    + "profiles would not be reproducible", e);
        }
    }

    public static KllDoublesSketch newSketch() {
        return KllDoublesSketch.newHeapInstance(K);
    }

    /** Adds {@code values[0..length)} to the sketch. */
    public static void update(KllDoublesSketch sketch, double[] values, int length) {
        if (length == 0) return;
        synchronized (LOCK) {
            SHARED_COIN.setSeed(mix(sketch.getN()));
            sketch.update(values, 0, length);
        }
    }

    /** Merges {@code other} into {@code target}. */
    public static void merge(KllDoublesSketch target, KllDoublesSketch other) {
        synchronized (LOCK) {
            SHARED_COIN.setSeed(mix(target.getN() * 0x9E3779B97F4A7C15L + other.getN()));
            target.merge(other);
        }
    }

    /** SplitMix64's finaliser: neighbouring counts give unrelated seeds (java.util.Random's first draws of close seeds are alike). */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
