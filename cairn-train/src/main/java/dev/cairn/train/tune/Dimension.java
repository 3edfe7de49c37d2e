package dev.cairn.train.tune;

import java.util.List;
import java.util.Random;

/** One searched parameter: a list of values, or a numeric range sampled uniformly (or log-uniformly). */
public sealed interface Dimension {

    String name();

    Object sample(Random random);

    record Choice(String name, List<Object> values) implements Dimension {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public Object sample(Random random) {
            return values.get(random.nextInt(values.size()));
        }
    }

    record Range(String name, double min, double max, boolean log, boolean integer) implements Dimension {
        @Override
        public Object sample(Random random) {
            double u = random.nextDouble();
            double v = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
            if (integer) return Math.min((long) max, Math.round(v));
            return v;
        }
    }
}
