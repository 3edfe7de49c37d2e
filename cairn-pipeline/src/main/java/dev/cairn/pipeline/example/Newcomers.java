package dev.cairn.pipeline.example;

import java.time.LocalDate;
import java.util.List;

/**
 * Customers who join during the simulation. Each is a credit-g applicant of a drawn label (30% bad, as in
 * credit-g), blurred a little (age ± 3 years, amount ± 15%), so the label relates to the application as it does in
 * credit-g.
 * <p>
 * From the drift day on, the mix of newcomers shifts: younger (age pulled more than halfway towards 19), larger
 * credits (×1.7, up to 40,000) for longer (×1.25, up to 72 months), and 60% of them borrowing for a new car, a
 * business, education or a used car. Their labels are drawn as before, so the young, large, business-like
 * credits a model learned to fear are now mostly good.
 */
final class Newcomers {
    static final double BAD_SHARE = 0.3;
    private static final List<String> DRIFT_PURPOSES = List.of("new car", "business", "education", "used car",
            "furniture/equipment");
    private static final double[] DRIFT_PURPOSE_WEIGHTS = {30, 25, 20, 15, 10};

    private final List<Applicant> good;
    private final List<Applicant> bad;

    /** Built once: the pools are the bundled credit-g's, which never change. */
    private static final class Bundled {
        static final Newcomers INSTANCE = new Newcomers(CreditG.rows());
    }

    static Newcomers fromCreditG() {
        return Bundled.INSTANCE;
    }

    Newcomers(List<CreditG.Row> creditG) {
        this.good = creditG.stream().filter(r -> r.label().equals("good")).map(CreditG.Row::applicant).toList();
        this.bad = creditG.stream().filter(r -> r.label().equals("bad")).map(CreditG.Row::applicant).toList();
    }

    /** Customer {@code id}, registering on {@code day}; the same for the same seed, id, day and drift. */
    Customer make(long seed, int id, LocalDate day, boolean drifted) {
        Rng r = Rng.of(seed, Shop.NEWCOMER, id);
        String label = r.chance(BAD_SHARE) ? "bad" : "good";
        List<Applicant> pool = label.equals("bad") ? bad : good;
        Applicant a = pool.get(r.below(pool.size()));
        int age = Math.clamp(a.age() + r.below(7) - 3, 19, 75);
        int amount = Math.max(250, roundTo10(a.creditAmount() * r.logNormal(0, 0.15)));
        // Drawn whether or not the drift applies, so a customer's undrifted self is the same with and without it.
        boolean newPurpose = r.chance(0.6);
        String purpose = DRIFT_PURPOSES.get(r.weighted(DRIFT_PURPOSE_WEIGHTS));
        int seconds = r.below(12 * 3600);
        Applicant applicant = a.withAge(age).withLoan(a.purpose(), a.duration(), amount);
        if (drifted) {
            applicant = applicant.withAge(19 + (int) StrictMath.round((age - 19) * 0.45))
                    .withLoan(newPurpose ? purpose : a.purpose(), Math.min(72, (int) StrictMath.round(a.duration() * 1.25)),
                            Math.min(40_000, roundTo10(amount * 1.7)));
        }
        return new Customer(id, applicant, label, day.atTime(8, 0).plusSeconds(seconds));
    }

    private static int roundTo10(double x) {
        return (int) (StrictMath.round(x / 10.0) * 10);
    }
}
