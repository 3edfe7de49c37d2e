package dev.cairn.pipeline.example;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * How customers buy: each customer has a behaviour drawn once from the seed, their label and their application,
 * and each day's purchases are drawn from it. The label shows, moderately and only on average, in every habit:
 * <ul>
 *   <li>bad customers buy a little more often (5.5 against 5 a month) and much more irregularly (weeks of bursts
 *       and lulls);</li>
 *   <li>their purchases are a little bigger (+8% on the log scale) and more spread, a little more often electronics
 *       and gift cards;</li>
 *   <li>they return more (a base rate of 6.5% against 4.5%; online purchases are returned 1.8 times as often);</li>
 *   <li>they buy online more (45% against 30% at 35 years of age; the young buy online more whatever their label),
 *       more often late at night, and pay in instalments a little more often (12% against 9%).</li>
 * </ul>
 * Each behaviour is blurred by a customer's own noise, so the groups overlap widely: no habit gives the label away.
 * On the data of seed 42, each aggregate of the feature view alone separates the labels with an AUC between 0.48
 * and 0.63; in a logistic regression the aggregates together reach about 0.7, the credit-g application alone about
 * 0.78 and both about 0.84.
 * <p>
 * The drift ({@code drifted}: sales on or after the drift day) is a channel shift: the shop moves its sales online
 * (its stores close) and offers instalments at the online checkout. Every customer's online share rises by
 * {@value #DRIFT_ONLINE_LOGIT} on the logit scale (30% becomes about 76%), the chance that an online purchase is paid
 * in instalments rises by {@value #DRIFT_ONLINE_INSTALMENTS}, and, since online purchases are returned more often,
 * returns rise too. Habits a model learned as signs of risk now rise for good customers as well, so it flags more of
 * them as bad and its precision falls (from about 0.63 to about 0.51 three weeks after the drift, for a logistic
 * regression with a threshold chosen for precision 0.6 on the eve of the drift); a model retrained on the new data
 * recovers part of it.
 */
final class Shop {
    static final List<String> CATEGORIES = List.of("groceries", "fashion", "home", "electronics", "travel", "gift cards");
    static final double DRIFT_ONLINE_LOGIT = 2.0;
    static final double DRIFT_ONLINE_INSTALMENTS = 0.3;

    private static final double[] MEDIAN_AMOUNT = {35, 60, 90, 220, 400, 50};
    private static final double[] AMOUNT_SIGMA = {0.5, 0.6, 0.7, 0.8, 0.6, 0.4};
    private static final double[] GOOD_MIX = {30, 25, 20, 12, 8, 5};
    private static final double[] BAD_MIX = {28, 24, 19, 15, 7, 7};
    private static final double ONLINE_RETURNS = 1.8;

    // Stream keys: what an Rng stream generates (see Rng.of).
    static final long PROFILE = 1;
    static final long DAY = 2;
    static final long WEEK = 3;
    static final long NEWCOMER = 4;
    static final long REGISTRATION = 5;
    static final long FALLBACK = 6;
    static final long HISTORY = 7;

    /** A customer's habits. */
    record Behaviour(double purchasesPerDay, double burst, double amountShift, double amountSpread, double returnRate,
                     double onlineLogit, double instalmentRate, double nightRate, boolean bad) {}

    private Shop() {}

    static Behaviour behaviour(long seed, Customer c) {
        Rng r = Rng.of(seed, PROFILE, c.id());
        boolean bad = c.bad();
        Applicant a = c.applicant();
        double perMonth = StrictMath.max(1.5, r.logNormal(StrictMath.log(bad ? 5.5 : 5.0), bad ? 0.6 : 0.45));
        double amountShift = 0.1 * StrictMath.log(a.creditAmount() / 2300.0) + (bad ? 0.08 : 0) + 0.35 * r.gaussian();
        double returnRate = r.logNormal(StrictMath.log(bad ? 0.065 : 0.045), 0.45);
        double onlineLogit = logit(bad ? 0.45 : 0.30) - 0.03 * (a.age() - 35) + 0.6 * r.gaussian();
        double instalments = clamp((bad ? 0.12 : 0.09) * StrictMath.exp(0.5 * r.gaussian())
                + 0.02 * (a.installmentCommitment() - 2), 0.01, 0.6);
        return new Behaviour(perMonth / 30.0, bad ? 0.7 : 0.25, amountShift, bad ? 1.1 : 1.0, returnRate,
                onlineLogit, instalments, bad ? 0.14 : 0.06, bad);
    }

    /** The customer's purchases on {@code day}, in the order drawn. */
    static List<Sale> day(long seed, Customer c, Behaviour b, LocalDate day, boolean drifted) {
        long epochDay = day.toEpochDay();
        Rng week = Rng.of(seed, WEEK, c.id(), StrictMath.floorDiv(epochDay, 7));
        // A mean-one factor per week: bad customers' weeks swing far more (bursts and lulls).
        double factor = StrictMath.exp(b.burst() * week.gaussian() - b.burst() * b.burst() / 2);
        Rng r = Rng.of(seed, DAY, c.id(), epochDay);
        int n = r.poisson(b.purchasesPerDay() * factor);
        List<Sale> sales = new ArrayList<>(n);
        for (int i = 0; i < n; i++) sales.add(sale(r, c, b, day, null, drifted));
        return sales;
    }

    /** The purchase made when registering, at the registration's time. */
    static Sale registration(long seed, Customer c, Behaviour b, boolean drifted) {
        return sale(Rng.of(seed, REGISTRATION, c.id()), c, b, c.registeredAt().toLocalDate(), c.registeredAt(), drifted);
    }

    /** One purchase on one of the {@code days} days from {@code first}: for a customer whose history came out empty. */
    static Sale fallback(long seed, Customer c, Behaviour b, LocalDate first, int days, boolean drifted) {
        Rng r = Rng.of(seed, FALLBACK, c.id());
        return sale(r, c, b, first.plusDays(r.below(days)), null, drifted);
    }

    private static Sale sale(Rng r, Customer c, Behaviour b, LocalDate day, LocalDateTime at, boolean drifted) {
        int category = r.weighted(b.bad() ? BAD_MIX : GOOD_MIX);
        double online = sigmoid(b.onlineLogit() + (drifted ? DRIFT_ONLINE_LOGIT : 0));
        String channel = r.chance(online) ? "online" : r.chance(0.08) ? "phone" : "store";
        LocalDateTime soldAt = at != null ? at : day.atTime(time(r, channel, b.nightRate()));
        double amount = StrictMath.exp(StrictMath.log(MEDIAN_AMOUNT[category]) + b.amountShift()
                + AMOUNT_SIGMA[category] * b.amountSpread() * r.gaussian());
        long cents = StrictMath.max(100, StrictMath.round(amount * 100));
        double instalments = StrictMath.min(0.9, b.instalmentRate() * (cents > 30_000 ? 2 : 1)
                + (drifted && channel.equals("online") ? DRIFT_ONLINE_INSTALMENTS : 0));
        String payment = r.chance(instalments) ? "instalments" : r.chance(0.2) ? "invoice" : "card";
        double returns = b.returnRate() * (channel.equals("online") ? ONLINE_RETURNS : 1.0)
                * (CATEGORIES.get(category).equals("fashion") ? 1.4 : 1.0);
        boolean returned = r.chance(StrictMath.min(0.6, returns));
        return new Sale(c.id(), soldAt, cents, channel, CATEGORIES.get(category), payment, returned);
    }

    /** Stores open 9 to 20, the phone line 8 to 20; online any hour, late at night ({@code night}) 0 to 6. */
    private static LocalTime time(Rng r, String channel, double night) {
        int hour = switch (channel) {
            case "online" -> r.chance(night) ? r.below(6) : 7 + r.below(17);
            case "phone" -> 8 + r.below(12);
            default -> 9 + r.below(11);
        };
        return LocalTime.of(hour, r.below(60), r.below(60));
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + StrictMath.exp(-x));
    }

    private static double logit(double p) {
        return StrictMath.log(p / (1 - p));
    }

    private static double clamp(double x, double min, double max) {
        return StrictMath.max(min, StrictMath.min(max, x));
    }
}
