package dev.cairn.cli.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded synthetic credit customers: a training file for a real model, and live customers drawn like it or
 * shifted (older, larger amounts, mostly education), each with its true class from the same logistic rule.
 */
final class Customers {
    static final String POSITIVE = "bad";

    record Customer(long id, long age, double amount, String purpose, String label) {
        /** The request row: the model's inputs plus customer_id, which the model ignores and the log keeps (labels join on it). */
        Map<String, Object> row() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("customer_id", id);
            m.put("age", age);
            m.put("amount", amount);
            m.put("purpose", purpose);
            return m;
        }

        Customer withPurpose(String p) {
            return new Customer(id, age, amount, p, label);
        }
    }

    private Customers() {}

    /** Age 20-69, amount ~ N(5000, 2000), purposes 50/30/20; shifted: age 50-69, amount ~ N(11000, 2000), purposes 10/10/80. */
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

    static Path trainingFile(Path dir, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("customer_id,age,amount,purpose,class\n");
        for (int i = 0; i < n; i++) {
            Customer c = customer(r, 900_000 + i, false);
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
