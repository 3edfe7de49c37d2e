package dev.cairn.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureFixture;
import dev.cairn.features.Parquet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training sets of the example, with values computed by hand: the ASOF join with a TTL, and windows over 30 and 90
 * days with their edges (a row exactly at t counts, a row exactly at t - window does not). 2024 is a leap year:
 * t = 2024-03-01, so t - 30d = 2024-01-31 and t - 90d = 2023-12-02.
 */
class TrainingSetTest {
    @TempDir
    Path dir;
    FeatureFixture fixture;

    @BeforeEach
    void open() {
        fixture = new FeatureFixture(dir).example();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private TrainingSet build(String entities, Path output) {
        return fixture.features.trainingSet("churn", FileSource.of(fixture.write("rows.csv", entities)), "event_timestamp", output,
                Progress.NONE);
    }

    private static List<Object> values(Map<String, Object> row, String... columns) {
        List<Object> values = new ArrayList<>();
        for (String c : columns) values.add(row.get(c));
        return values;
    }

    @Test
    void columnAndExpressionFeaturesAreTheLatestRowAtOrBeforeEachRowsTimeWithinTheTtl() {
        TrainingSet set = build(FeatureFixture.ENTITIES, dir.resolve("out/churn.parquet"));
        List<Map<String, Object>> rows = Parquet.rows(set.path());
        assertThat(rows).hasSize(4);
        // customer 1 at 03-01: the row of 02-20 (the one of 03-02 is in the future); at 04-15: the one of 03-02.
        assertThat(values(rows.get(0), "customer_id", "label", "age", "income_k")).containsExactly(1L, 1L, 31L, 52.0);
        assertThat(values(rows.get(1), "customer_id", "label", "age", "income_k")).containsExactly(1L, 0L, 32L, 99.999);
        // customer 2's only row is 425 days old: beyond the TTL of 180 days.
        assertThat(values(rows.get(2), "customer_id", "age", "income_k")).containsExactly(2L, null, null);
        // customer 3's row is exactly at the row's time: at or before counts.
        assertThat(values(rows.get(3), "customer_id", "age", "income_k")).containsExactly(3L, 25L, 30.0);
    }

    @Test
    void windowAggregationsAreOverTheRowsOfTheLastWindowUpToAndIncludingTheRowsTime() {
        List<Map<String, Object>> rows = Parquet.rows(build(FeatureFixture.ENTITIES, dir.resolve("churn.parquet")).path());
        String[] windows = {"orders_30d", "spend_30d", "spend_90d", "avg_90d", "max_amount_90d"};
        // (01-31, 03-01]: 20 and 5 (the order of 01-31 is exactly 30 days before: out). (12-02, 03-01]: 100, 50, 20, 5.
        assertThat(values(rows.get(0), windows)).containsExactly(2L, 25.0, 175.0, 43.75, 100L);
        // At 04-15: nothing in the last 30 days; (01-16, 04-15]: 50, 20, 5 and the 1000 of 03-05.
        assertThat(values(rows.get(1), windows)).containsExactly(0L, 0.0, 1075.0, 268.75, 1000L);
        // Customer 2's order is 121 days old; customer 3 has none: counts and sums are 0, the rest null.
        assertThat(values(rows.get(2), windows)).containsExactly(0L, 0.0, 0.0, null, null);
        assertThat(values(rows.get(3), windows)).containsExactly(0L, 0.0, 0.0, null, null);
    }

    @Test
    void theOutputKeepsTheEntityRowsAndTheirOrderAddsTheServicesFeaturesAndIsHashed() throws Exception {
        String shuffled = "customer_id,event_timestamp,label\n3,2024-03-01,0\n1,2024-04-15,0\n1,2024-03-01,1\n1,2024-03-01,1\n";
        TrainingSet set = build(shuffled, dir.resolve("set.parquet"));
        List<Map<String, Object>> rows = Parquet.rows(set.path());
        assertThat(rows).extracting(r -> r.get("customer_id")).containsExactly(3L, 1L, 1L, 1L);
        assertThat(rows.get(0).keySet()).containsExactly("customer_id", "event_timestamp", "label", "age", "income_k", "orders_30d",
                "spend_30d", "spend_90d", "avg_90d", "max_amount_90d");
        assertThat(rows.get(2)).isEqualTo(rows.get(3));
        assertThat(set.rows()).isEqualTo(4);
        assertThat(set.features()).containsExactly("age", "income_k", "orders_30d", "spend_30d", "spend_90d", "avg_90d", "max_amount_90d");
        assertThat(set.sha256()).isEqualTo(Sha256.of(Files.readAllBytes(set.path())));
        assertThat(set.versions()).containsEntry("churn", 1L).containsEntry("customer_orders", 1L).containsEntry("orders", 1L)
                .containsEntry("customer", 1L);
        // The same inputs give the same bytes.
        TrainingSet again = build(shuffled, dir.resolve("again.parquet"));
        assertThat(again.sha256()).isEqualTo(set.sha256());
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void ofRowsWithOneEventTimeTheLaterCreatedWins() {
        fixture.write("c/prices.csv", """
                customer_id,valid_at,loaded_at,price
                1,2024-01-01,2024-01-01T01:00:00,10
                1,2024-01-01,2024-01-03T00:00:00,12
                1,2024-01-01,2024-01-02T00:00:00,11
                2,2024-01-01,,20
                2,2024-01-01,,21
                """);
        fixture.write("c/defs.yaml", """
                sources:
                  - name: prices
                    path: prices.csv
                    event_timestamp: valid_at
                    created_timestamp: loaded_at
                feature_views:
                  - name: price
                    entities: [customer]
                    source: prices
                    features:
                      - price
                      - {name: price_versions_7d, aggregation: count, window: 7d}
                feature_services:
                  - name: pricing
                    features: [price]
                """);
        fixture.features.apply(dir.resolve("c"), "test");
        TrainingSet set = fixture.features.trainingSet("pricing", FileSource.of(fixture.write("p.csv",
                "customer_id,event_timestamp\n1,2024-01-05\n2,2024-01-05\n")), "event_timestamp", dir.resolve("p.parquet"), Progress.NONE);
        List<Map<String, Object>> rows = Parquet.rows(set.path());
        // With a created time, the latest written version counts, once; without one, the last in the source.
        assertThat(values(rows.get(0), "price", "price_versions_7d")).containsExactly(12L, 1L);
        assertThat(values(rows.get(1), "price", "price_versions_7d")).containsExactly(21L, 1L);
    }

    @Test
    void keysOfDifferentTypesMatchByTheirTextAndTimesWithZonesAreInUtc() {
        fixture.write("k/scores.jsonl", """
                {"customer_id": "1", "scored_at": "2024-02-29T23:00:00-02:00", "score": 0.5}
                {"customer_id": "1", "scored_at": "2024-03-01T00:30:00Z", "score": 0.9}
                """);
        fixture.write("k/defs.yaml", """
                sources:
                  - {name: scores, path: scores.jsonl, event_timestamp: scored_at}
                feature_views:
                  - {name: score, entities: customer, source: scores, features: [score]}
                feature_services:
                  - {name: scoring, features: [score]}
                """);
        fixture.features.apply(dir.resolve("k"), "test");
        // 2024-02-29T23:00-02:00 is 2024-03-01T01:00Z: after 00:30Z and after the entity row's 00:45Z.
        TrainingSet set = fixture.features.trainingSet("scoring", FileSource.of(fixture.write("s.csv",
                "customer_id,event_timestamp\n1,2024-03-01T00:45:00Z\n1,2024-03-01T01:00:00Z\n")), "event_timestamp",
                dir.resolve("s.parquet"), Progress.NONE);
        assertThat(Parquet.rows(set.path())).extracting(r -> r.get("score")).containsExactly(0.9, 0.5);
    }

    @Test
    void aJdbcSourceIsReadWithThePasswordFromItsEnvironmentVariable() throws Exception {
        Files.createDirectories(dir.resolve("j"));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("j/shop.db"));
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE visits (customer_id INTEGER, visited_at TEXT, pages INTEGER)");
            s.execute("INSERT INTO visits VALUES (1, '2024-02-01 10:00:00', 3), (1, '2024-02-28 10:00:00', 7), (2, '2024-03-02', 9)");
        }
        fixture.write("j/defs.yaml", """
                sources:
                  - name: visits
                    jdbc: jdbc:sqlite:shop.db
                    query: SELECT customer_id, visited_at, pages FROM visits
                    user: reader
                    password_env: SHOP_PASSWORD
                    event_timestamp: visited_at
                feature_views:
                  - name: web
                    entities: [customer]
                    source: visits
                    features: [pages, {name: visits_30d, aggregation: count, window: 30d}]
                feature_services:
                  - {name: web_model, features: [web]}
                """);
        fixture.features.apply(dir.resolve("j"), "test");
        assertThatThrownBy(() -> fixture.features.trainingSet("web_model", FileSource.of(dir.resolve("entities.csv")), "event_timestamp",
                dir.resolve("w.parquet"), Progress.NONE))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.details()).containsEntry("field", "sources.visits.password_env").containsEntry("value", "SHOP_PASSWORD");
                    assertThat(e.getMessage()).contains("an environment variable that is set");
                });

        try (FeatureFixture withPassword = new FeatureFixture(dir, Map.of("SHOP_PASSWORD", "secret"))) {
            TrainingSet set = withPassword.features.trainingSet("web_model", FileSource.of(dir.resolve("entities.csv")), "event_timestamp",
                    dir.resolve("w.parquet"), Progress.NONE);
            List<Map<String, Object>> rows = Parquet.rows(set.path());
            assertThat(rows).extracting(r -> values(r, "customer_id", "pages", "visits_30d")).containsExactly(
                    List.of(1L, 7L, 2L), List.of(1L, 7L, 0L), Arrays.asList(2L, null, 0L), Arrays.asList(3L, null, 0L));
        }
    }

    @Test
    void entityRowsWithoutAJoinKeyOrAReadableTimeAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> build("id,event_timestamp\n1,2024-01-01\n", dir.resolve("x.parquet")))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("'customer_id'").contains("join key of entity 'customer'").contains("id, event_timestamp");
                });
        assertThatThrownBy(() -> fixture.features.trainingSet("churn", FileSource.of(fixture.write("r.csv",
                "customer_id,time\n1,2024-01-01\n")), "event_timestamp", dir.resolve("x.parquet"), Progress.NONE))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "timestamp_column"));
        assertThatThrownBy(() -> build("customer_id,event_timestamp\n1,2024-01-01\n2,yesterday\n", dir.resolve("x.parquet")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage())
                        .contains("1 row without a readable time in 'event_timestamp'").contains("line 3").contains("'yesterday'"));
        assertThatThrownBy(() -> build("customer_id,event_timestamp,age\n1,2024-01-01,3\n", dir.resolve("x.parquet")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("feature 'age'"));
        assertThatThrownBy(() -> fixture.features.trainingSet("nope", FileSource.of(dir.resolve("entities.csv")), "event_timestamp",
                dir.resolve("x.parquet"), Progress.NONE))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
                    assertThat(e.getMessage()).contains("(churn)");
                });
        assertThat(Files.exists(dir.resolve("x.parquet"))).isFalse();
    }

    @Test
    void aSourceColumnOrExpressionThatDoesNotExistNamesTheViewsField() {
        fixture.write("e/defs.yaml", """
                feature_views:
                  - name: broken
                    entities: [customer]
                    source: orders
                    features:
                      - {name: cents, sql: amout * 100}
                feature_services:
                  - {name: b, features: [broken]}
                """);
        fixture.features.apply(dir.resolve("e"), "test");
        assertThatThrownBy(() -> fixture.features.trainingSet("b", FileSource.of(dir.resolve("entities.csv")), "event_timestamp",
                dir.resolve("b.parquet"), Progress.NONE))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.details()).containsEntry("field", "feature_views.broken.features.cents.sql");
                    assertThat(e.getMessage()).contains("amout * 100").contains("source 'orders'");
                });
        assertThat(Arrays.asList(dir.toFile().list())).doesNotContain("b.parquet");
    }
}
