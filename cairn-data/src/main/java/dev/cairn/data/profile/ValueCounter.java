package dev.cairn.data.profile;

/**
 * Counts of distinct numbers while a column has few of them (at most {@link #CAPACITY}): integer
 * codes, ratings, flags. Feeding the sketches one weighted update per distinct value at the end
 * gives the same HLL sketch and an equivalent KLL sketch at a fraction of the cost of one update per
 * row. An open-addressing table on the values' bits, so no boxing.
 */
final class ValueCounter {
    static final int CAPACITY = 1024;
    private static final int SLOTS = 4096;
    private static final long EMPTY = 0x7ff8dead0000beefL; // a NaN payload no finite value has

    private final long[] keys = new long[SLOTS];
    private final long[] counts = new long[SLOTS];
    private int size;

    ValueCounter() {
        java.util.Arrays.fill(keys, EMPTY);
    }

    /** Counts a finite value; false when the column has too many distinct values to count this way. */
    boolean add(double value) {
        long bits = Double.doubleToLongBits(value == 0.0 ? 0.0 : value);
        int slot = (int) (mix(bits) & (SLOTS - 1));
        while (true) {
            long k = keys[slot];
            if (k == bits) {
                counts[slot]++;
                return true;
            }
            if (k == EMPTY) {
                if (size == CAPACITY) return false;
                keys[slot] = bits;
                counts[slot] = 1;
                size++;
                return true;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }

    /** Hands every value and its count to the sketches, then forgets them. */
    void drainInto(ColumnAccumulator a) {
        for (int i = 0; i < SLOTS; i++) {
            if (keys[i] == EMPTY) continue;
            double v = Double.longBitsToDouble(keys[i]);
            a.kll.update(v, counts[i]);
            a.hll.update(v);
            keys[i] = EMPTY;
        }
        size = 0;
    }

    private static long mix(long bits) {
        long h = bits * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }
}
