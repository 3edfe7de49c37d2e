package dev.cairn.train.split;

import dev.cairn.core.error.CairnException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Seeded splits. {@link Random} is used because its sequence for a seed is fixed by its
 * specification, so a split recorded today is the same split on any JDK tomorrow.
 */
public final class Splitter {
    private Splitter() {}

    /** A random share {@code validationFraction} of the rows goes to validation. */
    public static Split random(int rows, double validationFraction, long seed) {
        checkFraction(validationFraction);
        int[] order = shuffled(IntStream.range(0, rows).toArray(), new Random(seed));
        int validationSize = (int) Math.round(rows * validationFraction);
        return of(Arrays.copyOfRange(order, validationSize, rows), Arrays.copyOfRange(order, 0, validationSize));
    }

    /** Like {@link #random} but within each class, so both parts keep the label's class shares. */
    public static Split stratified(int[] classes, double validationFraction, long seed) {
        checkFraction(validationFraction);
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int[] members : byClass(classes).values()) {
            int[] order = shuffled(members, random);
            int validationSize = (int) Math.round(order.length * validationFraction);
            for (int i = 0; i < order.length; i++) (i < validationSize ? validation : train).add(order[i]);
        }
        return of(toArray(train), toArray(validation));
    }

    /**
     * The latest {@code validationFraction} of rows by {@code times} goes to validation, so a model
     * is judged on the future it did not see. Rows without a time are refused.
     */
    public static Split byTime(double[] times, double validationFraction, String timeColumn) {
        checkFraction(validationFraction);
        for (int i = 0; i < times.length; i++) {
            if (Double.isNaN(times[i])) {
                throw CairnException.invalid("time_column", timeColumn, "a column without missing values (row " + (i + 1) + " has none)");
            }
        }
        Integer[] order = IntStream.range(0, times.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> times[a] != times[b] ? Double.compare(times[a], times[b]) : Integer.compare(a, b));
        int trainSize = times.length - (int) Math.round(times.length * validationFraction);
        int[] train = new int[trainSize];
        int[] validation = new int[times.length - trainSize];
        for (int i = 0; i < order.length; i++) {
            if (i < trainSize) train[i] = order[i];
            else validation[i - trainSize] = order[i];
        }
        return of(train, validation);
    }

    /** K folds of shuffled rows; fold i validates on its rows and trains on the others. */
    public static List<Split> kFold(int rows, int k, long seed) {
        checkFolds(k, rows);
        int[] order = shuffled(IntStream.range(0, rows).toArray(), new Random(seed));
        int[] fold = new int[rows];
        for (int i = 0; i < rows; i++) fold[order[i]] = i % k;
        return folds(fold, k);
    }

    /**
     * K folds that keep class shares: each class's rows are shuffled and dealt round-robin,
     * continuing where the previous class stopped so fold sizes differ by at most one.
     */
    public static List<Split> stratifiedKFold(int[] classes, int k, long seed) {
        checkFolds(k, classes.length);
        Random random = new Random(seed);
        int[] fold = new int[classes.length];
        int next = 0;
        for (int[] members : byClass(classes).values()) {
            for (int row : shuffled(members, random)) {
                fold[row] = next;
                next = (next + 1) % k;
            }
        }
        return folds(fold, k);
    }

    private static List<Split> folds(int[] fold, int k) {
        List<Split> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            final int current = f;
            int[] validation = IntStream.range(0, fold.length).filter(i -> fold[i] == current).toArray();
            int[] train = IntStream.range(0, fold.length).filter(i -> fold[i] != current).toArray();
            out.add(new Split(train, validation));
        }
        return out;
    }

    private static TreeMap<Integer, int[]> byClass(int[] classes) {
        TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < classes.length; i++) groups.computeIfAbsent(classes[i], c -> new ArrayList<>()).add(i);
        TreeMap<Integer, int[]> out = new TreeMap<>();
        groups.forEach((c, rows) -> out.put(c, toArray(rows)));
        return out;
    }

    private static int[] shuffled(int[] values, Random random) {
        int[] out = values.clone();
        for (int i = out.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    private static Split of(int[] train, int[] validation) {
        Arrays.sort(train);
        Arrays.sort(validation);
        return new Split(train, validation);
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void checkFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw CairnException.invalid("validation_fraction", fraction, "a number strictly between 0 and 1");
        }
    }

    private static void checkFolds(int k, int rows) {
        if (k < 2 || k > rows) {
            throw CairnException.invalid("folds", k, "an integer between 2 and the number of rows (" + rows + ")");
        }
    }
}
