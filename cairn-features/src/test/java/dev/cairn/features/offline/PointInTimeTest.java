package dev.cairn.features.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureFixture;
import dev.cairn.features.Parquet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * No leakage, on random data (seeded): every customer has rows planted after the latest time any of its entity rows
 * asks for, with values no past row has (a million and more), one second later at the earliest. No training set value
 * may come from them, and every value equals the one computed row by row from the definitions' semantics.
 */
class PointInTimeTest {
    private static final int CUSTOMERS = 40;
    private static final int ROWS_PER_CUSTOMER = 25;
    private static final int ENTITY_ROWS = 300;
    private static final double FUTURE = 1_000_000;
    private static final LocalDateTime START = LocalDateTime.of(2024, 1, 1, 0, 0);
    private static final Duration TTL = Duration.ofDays(20);
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);

    @TempDir
    Path dir;
    FeatureFixture fixture;

    record Row(long customer, LocalDateTime time, double value) {}

    @BeforeEach
    void open() {
        fixture = new FeatureFixture(dir);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @RepeatedTest(3)
    void noValueComesFromAfterItsRowsTimeAndEveryValueIsAsDefined(org.junit.jupiter.api.RepetitionInfo repetition) {
        Random random = new Random(42 + repetition.getCurrentRepetition());
        List<Row> entityRows = new ArrayList<>();
        Map<Long, LocalDateTime> latestAsked = new HashMap<>();
        for (int i = 0; i < ENTITY_ROWS; i++) {
            long customer = 1 + random.nextInt(CUSTOMERS);
            LocalDateTime t = START.plusSeconds(random.nextInt(365 * 86_400));
            entityRows.add(new Row(customer, t, 0));
            latestAsked.merge(customer, t, (a, b) -> a.isAfter(b) ? a : b);
        }
        List<Row> events = new ArrayList<>();
        for (long customer = 1; customer <= CUSTOMERS; customer++) {
            for (int j = 0; j < ROWS_PER_CUSTOMER; j++) {
                events.add(new Row(customer, START.minusDays(30).plusSeconds(random.nextInt(400 * 86_400)), random.nextInt(100)));
            }
            LocalDateTime last = latestAsked.get(customer);
            if (last != null) {
                events.add(new Row(customer, last.plusSeconds(1), FUTURE + customer));
                events.add(new Row(customer, last.plusSeconds(1 + random.nextInt(86_400 * 3)), FUTURE * 2));
            }
        }
        java.util.Collections.shuffle(events, random);

        StringBuilder csv = new StringBuilder("customer_id,happened_at,value\n");
        for (Row r : events) csv.append(r.customer()).append(',').append(r.time()).append(',').append((long) r.value()).append('\n');
        fixture.write("pit/events.csv", csv.toString());
        fixture.write("pit/defs.yaml", """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: events, path: events.csv, event_timestamp: happened_at}
                feature_views:
                  - name: activity
                    entities: [customer]
                    source: events
                    ttl: 20d
                    features:
                      - {name: last_value, column: value}
                      - {name: n_7d, aggregation: count, window: 7d}
                      - {name: sum_30d, aggregation: sum, column: value, window: 30d}
                      - {name: mean_30d, aggregation: mean, column: value, window: 30d}
                      - {name: max_7d, aggregation: max, column: value, window: 7d}
                feature_services:
                  - {name: activity_model, features: [activity]}
                """);
        fixture.features.apply(dir.resolve("pit"), "test");
        StringBuilder entities = new StringBuilder("customer_id,event_timestamp\n");
        for (Row r : entityRows) entities.append(r.customer()).append(',').append(r.time()).append('\n');
        TrainingSet set = fixture.features.trainingSet("activity_model", FileSource.of(fixture.write("pit/entities.csv", entities.toString())),
                "event_timestamp", dir.resolve("pit/set.parquet"), Progress.NONE);

        List<Map<String, Object>> rows = Parquet.rows(set.path());
        assertThat(rows).hasSize(ENTITY_ROWS);
        List<Row> inOrder = events.stream().toList();
        for (int i = 0; i < ENTITY_ROWS; i++) {
            Row asked = entityRows.get(i);
            Map<String, Object> got = rows.get(i);
            assertThat(got.get("customer_id")).isEqualTo(asked.customer());
            for (String f : List.of("last_value", "sum_30d", "mean_30d", "max_7d")) {
                if (got.get(f) != null) assertThat(((Number) got.get(f)).doubleValue()).as(f + " of row " + i).isLessThan(FUTURE);
            }
            Row latest = null;
            long n7 = 0;
            double sum30 = 0;
            long n30 = 0;
            Double max7 = null;
            for (Row e : inOrder) {
                if (e.customer() != asked.customer() || e.time().isAfter(asked.time())) continue;
                if (latest == null || !e.time().isBefore(latest.time())) latest = e;
                if (e.time().isAfter(asked.time().minus(WEEK))) {
                    n7++;
                    max7 = max7 == null ? e.value() : Math.max(max7, e.value());
                }
                if (e.time().isAfter(asked.time().minus(MONTH))) {
                    n30++;
                    sum30 += e.value();
                }
            }
            Long expectedLast = latest == null || latest.time().isBefore(asked.time().minus(TTL)) ? null : (long) latest.value();
            assertThat(got.get("last_value")).as("last_value of row %d (%s)", i, asked).isEqualTo(expectedLast);
            assertThat(got.get("n_7d")).as("n_7d of row %d", i).isEqualTo(n7);
            assertThat(got.get("sum_30d")).as("sum_30d of row %d", i).isEqualTo(sum30);
            assertThat(got.get("mean_30d")).as("mean_30d of row %d", i).isEqualTo(n30 == 0 ? null : sum30 / n30);
            assertThat(got.get("max_7d")).as("max_7d of row %d", i).isEqualTo(max7 == null ? null : (long) (double) max7);
        }
    }
}
