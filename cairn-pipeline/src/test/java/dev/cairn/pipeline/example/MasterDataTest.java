package dev.cairn.pipeline.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master data on SQLite: made deterministically from the seed, refusing other databases, one feature row per
 * customer, labels that arrive late, a label that shows in the sales, and a drift that changes the features.
 */
class MasterDataTest {
    static final LocalDate START = LocalDate.of(2024, 3, 1);
    static final LocalDate DRIFT = START.plusDays(4);
    static final int NIGHTS = 7;
    static final LocalDate END = START.plusDays(13);
    static final MasterData.Settings SETTINGS = MasterData.Settings.of(42, START).withHistoryDays(90);

    @TempDir
    static Path shared;

    /** Just made: the credit-g customers and 90 days of sales. */
    static MasterData fresh;
    /** A week of nights with newcomers, then a week at once, without drift. */
    static MasterData plain;
    /** The same nights, drifting from {@link #DRIFT}. */
    static MasterData drifted;

    @BeforeAll
    static void makeTheShops() {
        fresh = MasterData.create(sqlite(shared.resolve("fresh.db")), SETTINGS);
        plain = simulate(MasterData.create(sqlite(shared.resolve("plain.db")), SETTINGS), null);
        drifted = simulate(MasterData.create(sqlite(shared.resolve("drifted.db")), SETTINGS), DRIFT);
    }

    static String sqlite(Path file) {
        return "jdbc:sqlite:" + file;
    }

    /**
     * {@link #NIGHTS} nights from the start, twenty newcomers a night, then the days up to {@link #END} at once;
     * drifting from {@code drift} (null: never).
     */
    static MasterData simulate(MasterData data, LocalDate drift) {
        if (drift != null) data.switchDrift(drift);
        for (LocalDate night = START; night.isBefore(START.plusDays(NIGHTS)); night = night.plusDays(1)) {
            data.addCustomers(night, 20);
            data.advanceDay(night);
        }
        data.advanceDay(END);
        return data;
    }

    private static String url(MasterData data) {
        return data.describe();
    }

    @Test
    void theSameSeedAndCallsMakeTheSameTablesAndAnotherSeedOthers(@TempDir Path dir) {
        MasterData again = simulate(MasterData.create(sqlite(dir.resolve("again.db")), SETTINGS), null);
        assertThat(again.checksum()).isEqualTo(plain.checksum()).hasSize(64);
        assertThat(drifted.checksum()).isNotEqualTo(plain.checksum());

        MasterData otherSeed = MasterData.create(sqlite(dir.resolve("other.db")), new MasterData.Settings(43, START, 90, 14));
        assertThat(otherSeed.checksum()).isNotEqualTo(fresh.checksum());
        assertThat(Db.number(url(otherSeed), "SELECT COUNT(*) FROM customers")).isEqualTo(1000);
    }

    @Test
    void makingItAgainWithTheSameSettingsChangesNothingAndOtherSettingsAreRefused() {
        String before = fresh.checksum();
        MasterData reopened = MasterData.create(url(fresh), SETTINGS);
        assertThat(reopened.checksum()).isEqualTo(before);
        assertThat(MasterData.open(url(fresh)).settings()).isEqualTo(SETTINGS);

        assertThatThrownBy(() -> MasterData.create(url(fresh), SETTINGS.withLabelDelayDays(30)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("label_delay_days=14").hasMessageContaining("MasterData.open");
        assertThat(fresh.checksum()).isEqualTo(before);
    }

    @Test
    void aDatabaseHoldingSomethingElseIsRefusedAndLeftAsItWas(@TempDir Path dir) {
        String url = sqlite(dir.resolve("foreign.db"));
        Db.execute(url, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total NUMERIC)");
        Db.execute(url, "INSERT INTO invoices VALUES (1, 9.5)");

        assertThatThrownBy(() -> MasterData.create(url, SETTINGS))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("invoices").hasMessageContaining("an empty database or one holding Cairn master data")
                .hasMessageContaining("nothing was changed");
        assertThat(Db.rows(url, "SELECT name FROM sqlite_master WHERE type = 'table'")).containsExactly(Map.of("name", "invoices"));
        assertThatThrownBy(() -> MasterData.open(url)).isInstanceOf(CairnException.class).hasMessageContaining("no master_data table");
        assertThatThrownBy(() -> MasterData.create("jdbc:mysql://db/shop", SETTINGS)).isInstanceOf(CairnException.class)
                .hasMessageContaining("jdbc:sqlite:master.db");
    }

    @Test
    void theFeatureViewHasOneRowPerRegisteredCustomer() {
        for (MasterData data : List.of(fresh, plain, drifted)) {
            String url = url(data);
            double rows = Db.number(url, "SELECT COUNT(*) FROM customer_features");
            assertThat(Db.number(url, "SELECT COUNT(DISTINCT customer_id) FROM customer_features")).isEqualTo(rows);
            assertThat(rows).isEqualTo(Db.number(url, "SELECT COUNT(*) FROM customers c CROSS JOIN master_clock k "
                    + "WHERE c.registered_day <= k.as_of_day"));
        }
        assertThat(Db.number(url(fresh), "SELECT COUNT(*) FROM customer_features")).isEqualTo(1000);
        assertThat(Db.number(url(plain), "SELECT COUNT(*) FROM customer_features")).isEqualTo(1000 + 20 * NIGHTS);
        assertThat(Db.rows(url(fresh), "SELECT * FROM customer_features LIMIT 1").getFirst().keySet())
                .startsWith("customer_id", "checking_status").endsWith(MasterData.AGGREGATES.toArray(String[]::new))
                .hasSize(1 + 20 + MasterData.AGGREGATES.size());
        // Every customer has bought: the first purchase is at registration, and credit-g's customers have a history.
        assertThat(Db.number(url(plain), "SELECT COUNT(*) FROM customer_features WHERE days_since_last_purchase IS NULL")).isZero();
        assertThat(fresh.asOf()).isEqualTo(START.minusDays(1));
        assertThat(plain.asOf()).isEqualTo(END);
    }

    @Test
    void theViewIsTheQueryAsOfTheClockAndAPastDayCanBeAsked() {
        String url = url(plain);
        assertThat(Db.rows(url, MasterData.FEATURE_QUERY)).isEqualTo(Db.rows(url, "SELECT * FROM customer_features"));
        assertThat(Db.rows(url, MasterData.featureQueryAsOf(plain.asOf()))).isEqualTo(Db.rows(url, "SELECT * FROM customer_features"));
        // As of the eve of the start, the simulated nights are not there: the features are the fresh ones.
        assertThat(Db.rows(url, MasterData.featureQueryAsOf(START.minusDays(1))))
                .isEqualTo(Db.rows(url(fresh), "SELECT * FROM customer_features"));
    }

    @Test
    void newcomersLabelsBecomeKnownAfterTheDelay(@TempDir Path dir) {
        MasterData data = MasterData.create(sqlite(dir.resolve("labels.db")), SETTINGS.withLabelDelayDays(3));
        String url = data.describe();
        List<Integer> ids = data.addCustomers(START, 5);
        assertThat(ids).containsExactly(101001, 101002, 101003, 101004, 101005);
        assertThat(Db.number(url, "SELECT COUNT(*) FROM customers WHERE class IS NULL")).isEqualTo(5);
        // Registered on the start day: in the features once the clock reaches it, with the purchase made on joining.
        assertThat(Db.number(url, "SELECT COUNT(*) FROM customer_features")).isEqualTo(1000);
        MasterData.Advance first = data.advanceDay(START.plusDays(2));
        assertThat(first.days()).isEqualTo(3);
        assertThat(first.labels()).isZero();
        assertThat(Db.number(url, "SELECT COUNT(*) FROM customer_features")).isEqualTo(1005);
        assertThat(Db.number(url, "SELECT COUNT(*) FROM training_examples")).isEqualTo(1000);

        MasterData.Advance second = data.advanceDay(START.plusDays(3));
        assertThat(second).isEqualTo(new MasterData.Advance(START.plusDays(3), 1, second.sales(), 5));
        assertThat(Db.number(url, "SELECT COUNT(*) FROM customers WHERE class IS NULL")).isZero();
        assertThat(Db.number(url, "SELECT COUNT(*) FROM training_examples")).isEqualTo(1005);
        // A night already simulated is not simulated again.
        String sum = data.checksum();
        assertThat(data.advanceDay(START.plusDays(1))).isEqualTo(new MasterData.Advance(START.plusDays(3), 0, 0, 0));
        assertThat(data.checksum()).isEqualTo(sum);
        assertThatThrownBy(() -> data.addCustomers(START, 1)).isInstanceOf(CairnException.class)
                .hasMessageContaining("a day on or after 2024-03-04");
        assertThatThrownBy(() -> data.switchDrift(START.plusDays(3))).isInstanceOf(CairnException.class)
                .hasMessageContaining("drift_from");
    }

    @Test
    void badCustomersBuyDifferentlyOnAverageButNoHabitGivesTheLabelAway() {
        String url = url(fresh);
        Map<String, Double> returns = Db.meanByLabel(url, "return_rate_90d");
        Map<String, Double> online = Db.meanByLabel(url, "online_share_30d");
        Map<String, Double> amount = Db.meanByLabel(url, "avg_amount");
        Map<String, Double> purchases = Db.meanByLabel(url, "purchases_90d");
        Map<String, Double> instalments = Db.meanByLabel(url, "instalment_share_30d");
        // Generated: base return rates 6.5% against 4.5%, online 45% against 30%, purchases +10% a month, amounts
        // +8% on the log scale and more spread, instalments 12% against 9%. The margins are generous.
        assertThat(returns.get("bad")).isGreaterThan(1.25 * returns.get("good"));
        assertThat(online.get("bad")).isGreaterThan(online.get("good") + 0.06);
        assertThat(amount.get("bad")).isGreaterThan(1.05 * amount.get("good"));
        assertThat(purchases.get("bad")).isGreaterThan(1.1 * purchases.get("good"));
        assertThat(instalments.get("bad")).isGreaterThan(instalments.get("good"));

        List<Map<String, Object>> rows = Db.rows(url, "SELECT * FROM training_examples");
        for (String feature : MasterData.AGGREGATES) {
            double auc = auc(rows, feature);
            assertThat(auc).as(feature).isBetween(0.4, 0.7);
        }
    }

    @Test
    void theDriftShiftsTheSalesOfEveryoneAndTheMixOfNewcomersFromItsDayOn() {
        assertThat(drifted.drift()).contains(DRIFT);
        assertThat(plain.drift()).isEmpty();
        // Up to the eve of the drift the two shops are the same.
        String eve = MasterData.featureQueryAsOf(DRIFT.minusDays(1));
        assertThat(Db.rows(url(drifted), eve)).isEqualTo(Db.rows(url(plain), eve));

        // After it, every customer buys online more and pays in instalments more (10 of the 30 days drifted).
        String old = " FROM customer_features WHERE customer_id <= 101000";
        double onlineShift = Db.number(url(drifted), "SELECT AVG(online_share_30d)" + old)
                - Db.number(url(plain), "SELECT AVG(online_share_30d)" + old);
        double instalmentShift = Db.number(url(drifted), "SELECT AVG(instalment_share_30d)" + old)
                - Db.number(url(plain), "SELECT AVG(instalment_share_30d)" + old);
        assertThat(onlineShift).isGreaterThan(0.08);
        assertThat(instalmentShift).isGreaterThan(0.04);

        // Newcomers from the drift day on are younger and borrow more; the ones before it are the same people.
        String since = " FROM customers WHERE registered_day >= " + DRIFT.toEpochDay();
        assertThat(Db.number(url(drifted), "SELECT AVG(age)" + since)).isLessThan(Db.number(url(plain), "SELECT AVG(age)" + since) - 5);
        assertThat(Db.number(url(drifted), "SELECT AVG(credit_amount)" + since))
                .isGreaterThan(1.4 * Db.number(url(plain), "SELECT AVG(credit_amount)" + since));
        String before = "SELECT * FROM customers WHERE customer_id > 101000 AND registered_day < " + DRIFT.toEpochDay()
                + " ORDER BY customer_id";
        assertThat(Db.rows(url(drifted), before)).hasSize(80).isEqualTo(Db.rows(url(plain), before));
        // Their labels are drawn as before: the drift is in the inputs, not in who is bad.
        String truths = "SELECT class, COUNT(*) AS n FROM simulated_outcomes GROUP BY class ORDER BY class";
        assertThat(Db.rows(url(drifted), truths)).isEqualTo(Db.rows(url(plain), truths));
    }

    /** The probability that a bad customer's value exceeds a good one's (Mann-Whitney), ties counted half. */
    private static double auc(List<Map<String, Object>> rows, String feature) {
        List<Double> bad = new ArrayList<>();
        List<Double> good = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            double value = ((Number) row.get(feature)).doubleValue();
            ("bad".equals(row.get("class")) ? bad : good).add(value);
        }
        double wins = 0;
        for (double b : bad) for (double g : good) wins += b > g ? 1 : b == g ? 0.5 : 0;
        return wins / bad.size() / good.size();
    }
}
