package dev.cairn.server.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded synthetic credit customers for the monitoring tests: a training file a real model is trained on
 * (so the model's run holds a real reference: profile, validation predictions, multivariate), and live
 * customers drawn like it or shifted (older, larger amounts, mostly education), each with the true outcome
 * drawn from the same logistic rule, so labels posted later agree with the population the model learnt.
 */
final class CreditCustomers {
    static final List<String> PURPOSES = List.of("car", "tv", "education");
    static final String POSITIVE = "bad";

    /** One customer: the model's inputs (age, amount, purpose), an id it ignores, and the true class. */
    record Customer(long id, long age, double amount, String purpose, String label) {
        /** The request row: the signature's inputs plus customer_id, which the model ignores and the log keeps. */
        Map<String, Object> row() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("customer_id", id);
            m.put("age", age);
            m.put("amount", amount);
            m.put("purpose", purpose);
            return m;
        }
    }

    private CreditCustomers() {}

    /**
     * A customer like the training data (age 20-69, amount ~ N(5000, 2000) in [100, 20000], purposes 50/30/20),
     * or, {@code shifted}, the population after a change of marketing (age 50-69, amount ~ N(11000, 2000),
     * purposes 10/10/80): every input moves far beyond what a window of 80 rows could show by chance.
     */
    static Customer customer(SplittableRandom r, long id, boolean shifted) {
        long age = shifted ? 50 + r.nextInt(20) : 20 + r.nextInt(50);
        double amount = Math.rint(Math.max(100, Math.min(20_000, (shifted ? 11_000 : 5_000) + 2_000 * gaussian(r))) * 10) / 10;
        double u = r.nextDouble();
        String purpose = shifted ? (u < 0.1 ? "car" : u < 0.2 ? "tv" : "education")
                : (u < 0.5 ? "car" : u < 0.8 ? "tv" : "education");
        double z = -1.0 + (amount - 5_000) / 2_500 + (age < 30 ? 0.8 : 0) + ("education".equals(purpose) ? 0.7 : 0);
        String label = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? POSITIVE : "good";
        return new Customer(id, age, amount, purpose, label);
    }

    /** Writes {@code n} training customers as CSV (customer_id, age, amount, purpose, class). */
    static Path trainingFile(Path dir, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("customer_id,age,amount,purpose,class\n");
        for (int i = 0; i < n; i++) {
            Customer c = customer(r, 100_000 + i, false);
            csv.append(c.id()).append(',').append(c.age()).append(',').append(String.format(Locale.ROOT, "%.1f", c.amount()))
                    .append(',').append(c.purpose()).append(',').append(c.label()).append('\n');
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("customers.csv");
        Files.writeString(file, csv);
        return file;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
