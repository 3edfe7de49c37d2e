package dev.cairn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureFixture;
import dev.cairn.features.Parquet;
import dev.cairn.features.offline.TrainingSet;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same definitions and entity rows give the same point-in-time training set on DuckDB (cairn-features'
 * TrainingSets) and on Spark {@code local[2]} (SparkTrainingSets): row for row, value for value, on seeded random data
 * with planted future rows (none may leak), ties at one event time (the later row in the source wins; with a created
 * time, the later created), rows older than the TTL, entities with no rows and entity rows with no key.
 */
class TrainingSetDifferentialTest {
    private static final double FUTURE = 1_000_000;
    private static final LocalDateTime START = LocalDateTime.of(2024, 1, 1, 0, 0);
    private static final String DEFINITIONS = """
            entities:
              - {name: customer, join_keys: [customer_id]}
            sources:
              - {name: events, path: events.parquet, event_timestamp: happened_at}
              - {name: versions, path: versions.parquet, event_timestamp: happened_at, created_timestamp: written_at}
            feature_views:
              - name: activity
                entities: [customer]
                source: events
                ttl: 20d
                features:
                  - {name: last_value, column: value}
                  - {name: last_note, column: note}
                  - {name: doubled, sql: value * 2}
                  - {name: n_7d, aggregation: count, window: 7d}
                  - {name: sum_30d, aggregation: sum, column: value, window: 30d}
                  - {name: mean_30d, aggregation: mean, column: value, window: 30d}
                  - {name: max_7d, aggregation: max, column: value, window: 7d}
                  - {name: min_7d, aggregation: min, column: value, window: 7d}
              - name: versioned
                entities: [customer]
                source: versions
                features:
                  - {name: amount, column: amount}
                  - {name: amounts_30d, aggregation: sum, column: amount, window: 30d}
                  - {name: n_versions_30d, aggregation: count, window: 30d}
            feature_services:
              - {name: everything, features: [activity, versioned]}
            """;

    @TempDir
    Path dir;
    FeatureFixture fixture;
    static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = SharedSpark.get();
    }

    @BeforeEach
    void open() {
        fixture = new FeatureFixture(dir);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @RepeatedTest(2)
    void randomHistoriesGiveTheSameSetOnBothEnginesAndNoFutureValue(RepetitionInfo repetition) throws Exception {
        Random random = new Random(7 + repetition.getCurrentRepetition());
        int customers = 30;
        // Customers 26..30 have entity rows but no source rows; a few entity rows have no customer at all.
        StringBuilder entities = new StringBuilder("customer_id,event_timestamp,label\n");
        Map<Integer, LocalDateTime> latestAsked = new HashMap<>();
        List<LocalDateTime> eventTimes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int customer = 1 + random.nextInt(customers);
            // Whole days half of the time, so that entity rows fall exactly on source rows' times (at or before: included).
            LocalDateTime t = START.plusDays(random.nextInt(200)).plusSeconds(random.nextBoolean() ? 0 : random.nextInt(86_400));
            entities.append(i % 97 == 0 ? "" : customer).append(',').append(t).append(',').append(random.nextInt(2)).append('\n');
            latestAsked.merge(customer, t, (a, b) -> a.isAfter(b) ? a : b);
        }
        StringBuilder events = new StringBuilder("customer_id,happened_at,value,note\n");
        StringBuilder versions = new StringBuilder("customer_id,happened_at,written_at,amount\n");
        for (int customer = 1; customer <= 25; customer++) {
            for (int j = 0; j < 30; j++) {
                // Few distinct times: many ties of one customer at one time, decided by the position in the source.
                LocalDateTime t = START.minusDays(40).plusDays(random.nextInt(240));
                eventTimes.add(t);
                events.append(customer).append(',').append(t).append(',').append(random.nextInt(100)).append(',')
                        .append(random.nextInt(5) == 0 ? "" : "n" + random.nextInt(10)).append('\n');
                LocalDateTime written = t.plusHours(random.nextInt(3));
                versions.append(customer).append(',').append(t).append(',').append(written).append(',').append(random.nextInt(1000)).append('\n');
            }
            // Null values are values: the latest row's null wins over an earlier row's number.
            events.append(customer).append(',').append(START.plusDays(random.nextInt(200))).append(",,\n");
            LocalDateTime last = latestAsked.get(customer);
            if (last != null) {
                events.append(customer).append(',').append(last.plusSeconds(1)).append(',').append((long) (FUTURE + customer)).append(",future\n");
                versions.append(customer).append(',').append(last.plusSeconds(1 + random.nextInt(86_400))).append(',')
                        .append(last.minusDays(1)).append(',').append((long) FUTURE).append('\n');
                // A later version of a past row, written after the row's time: its event time is what counts, as on DuckDB.
            }
        }
        Path set = dir.resolve("defs");
        Files.createDirectories(set);
        parquet("defs/events.csv", events.toString(), "customer_id::BIGINT AS customer_id, happened_at::TIMESTAMP AS happened_at, "
                + "nullif(value, '')::BIGINT AS value, nullif(note, '') AS note", set.resolve("events.parquet"));
        parquet("defs/versions.csv", versions.toString(), "customer_id::BIGINT AS customer_id, happened_at::TIMESTAMP AS happened_at, "
                + "written_at::TIMESTAMP AS written_at, amount::DOUBLE AS amount", set.resolve("versions.parquet"));
        Path entityFile = dir.resolve("entities.parquet");
        parquet("entities.csv", entities.toString(), "nullif(customer_id, '')::BIGINT AS customer_id, event_timestamp::TIMESTAMP AS event_timestamp, "
                + "label::INTEGER AS label", entityFile);
        fixture.write("defs/features.yaml", DEFINITIONS);
        fixture.features.apply(set, "test");

        List<Map<String, Object>> duck = duckdb("everything", entityFile);
        List<Map<String, Object>> onSpark = spark("everything", entityFile);

        assertThat(onSpark).hasSize(400);
        assertThat(onSpark.getFirst().keySet()).containsExactly("customer_id", "event_timestamp", "label", "last_value", "last_note",
                "doubled", "n_7d", "sum_30d", "mean_30d", "max_7d", "min_7d", "amount", "amounts_30d", "n_versions_30d");
        for (int i = 0; i < duck.size(); i++) assertThat(onSpark.get(i)).as("row %d", i).isEqualTo(duck.get(i));
        // No planted future value reached either set; and the sets are not trivially empty.
        for (Map<String, Object> row : onSpark) {
            for (String f : List.of("last_value", "doubled", "sum_30d", "mean_30d", "max_7d", "min_7d", "amount", "amounts_30d")) {
                if (row.get(f) instanceof Number n) assertThat(n.doubleValue()).as(f).isLessThan(FUTURE);
            }
            assertThat(row.get("last_note")).isNotEqualTo("future");
        }
        assertThat(onSpark).filteredOn(r -> r.get("last_value") != null).hasSizeGreaterThan(100);
        assertThat(onSpark).filteredOn(r -> r.get("last_value") == null && r.get("customer_id") != null
                && ((Number) r.get("customer_id")).longValue() <= 25 && ((Number) r.get("n_7d")).longValue() > 0)
                .as("null values of the latest row, not an earlier row's").isNotEmpty();
        assertThat(onSpark).filteredOn(r -> r.get("customer_id") != null && ((Number) r.get("customer_id")).longValue() > 25)
                .isNotEmpty().allSatisfy(r -> assertThat(r.get("last_value")).isNull())
                .allSatisfy(r -> assertThat(r.get("n_7d")).isEqualTo(0L))
                .allSatisfy(r -> assertThat(r.get("sum_30d")).isEqualTo(0.0));
    }

    @Test
    void theFeatureStoresExampleOnCsvFilesGivesTheSameSet() {
        fixture.example();
        Path entities = dir.resolve("entities.csv");
        List<Map<String, Object>> duck = duckdb("churn", entities);
        List<Map<String, Object>> onSpark = spark("churn", entities);
        assertThat(onSpark).isEqualTo(duck);
        // Customer 1 on 2024-03-01: the profile of 2024-02-20 (the one of 2024-03-02 is after).
        assertThat(onSpark.getFirst()).containsEntry("age", 31L).containsEntry("income_k", 52.0);
    }

    @Test
    void aJdbcSourceOrAnUnreadableTimeIsRefusedNamingTheField() {
        fixture.example();
        Path bad = fixture.write("bad.csv", "customer_id,event_timestamp\n1,2024-03-01\n2,not a time\n");
        assertThatThrownBy(() -> spark("churn", bad)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.details()).containsEntry("field", "timestamp_column")).hasMessageContaining("'not a time'");
    }

    private List<Map<String, Object>> duckdb(String service, Path entities) {
        TrainingSet set = fixture.features.trainingSet(service, FileSource.of(entities), "event_timestamp", dir.resolve(service + "-duck.parquet"),
                Progress.NONE);
        return normalized(Parquet.rows(set.path()));
    }

    private List<Map<String, Object>> spark(String service, Path entities) {
        String output = dir.resolve(service + "-spark.parquet").toString();
        TrainingSet set = SparkTrainingSets.build(spark, fixture.features.catalog(), fixture.features.sources(), service, entities.toString(),
                "event_timestamp", output);
        assertThat(set.sha256()).hasSize(64);
        return normalized(Parquet.rows(Path.of(output).resolve("*.parquet")));
    }

    private void parquet(String csvName, String csv, String select, Path target) {
        Path file = fixture.write(csvName, csv);
        Parquet.duckdb("COPY (SELECT " + select + " FROM read_csv('" + file + "', header = true, all_varchar = true)) TO '" + target
                + "' (FORMAT parquet)");
    }

    /**
     * Values as both engines' types compare: integers as long, other numbers as double (Spark's DECIMAL from
     * {@code income / 1000.0} is DuckDB's DOUBLE), times as UTC instants (a CSV's dates may be DATE on one and TIMESTAMP
     * on the other).
     */
    private static List<Map<String, Object>> normalized(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> n = new LinkedHashMap<>();
            row.forEach((k, v) -> n.put(k, switch (v) {
                case null -> null;
                case Long x -> x;
                case Integer x -> x.longValue();
                case Short x -> x.longValue();
                case java.math.BigInteger x -> x.longValue();
                case BigDecimal x -> x.doubleValue();
                case Number x -> x.doubleValue();
                case Timestamp x -> x.toLocalDateTime().toInstant(ZoneOffset.UTC);
                case LocalDateTime x -> x.toInstant(ZoneOffset.UTC);
                case OffsetDateTime x -> x.toInstant();
                case LocalDate x -> x.atStartOfDay().toInstant(ZoneOffset.UTC);
                case java.sql.Date x -> x.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
                case Instant x -> x;
                default -> v;
            }));
            out.add(n);
        }
        return out;
    }
}
