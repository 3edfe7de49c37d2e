package dev.cairn.runtime.predict;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A classifier's probabilities as {@link dev.cairn.runtime.Prediction#probabilities()} gives them:
 * class name → probability in the signature's class order, read-only. Backed by the model's class
 * array (shared) and one array of values, because a batch makes one per row and a hash map per row
 * cost more than the rest of turning scores into predictions; a model has few classes, so a look-up
 * scans them.
 */
final class ClassProbabilities extends AbstractMap<String, Double> {
    private final String[] classes;
    private final double[] values;

    ClassProbabilities(String[] classes, double[] values) {
        this.classes = classes;
        this.values = values;
    }

    @Override
    public int size() {
        return classes.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Double get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i].equals(key)) return i;
        }
        return -1;
    }

    @Override
    public Set<Map.Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return classes.length;
            }

            @Override
            public Iterator<Map.Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < classes.length;
                    }

                    @Override
                    public Map.Entry<String, Double> next() {
                        if (next >= classes.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(classes[i], values[i]);
                    }
                };
            }
        };
    }
}
