package dev.cairn.features.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureFixture;
import dev.cairn.features.Parquet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ASOF join's key, whichever form it takes: a BIGINT counting the source's times in seconds, milliseconds or
 * microseconds, or the HUGEINT when a BIGINT could overflow. Each case's source has many rows of one customer at one
 * time (the last in the file must win) and entity rows exactly at, one microsecond before and after, and between the
 * source's times, before the first and after the last; every value must be the one computed row by row. A second view
 * (whole seconds, with a TTL) is joined in the same training set, so two ASOF joins with keys of different forms run in
 * one statement.
 */
class AsofKeyTest {
    private static final int CUSTOMERS = 20;
    private static final int EVENTS = 2_000;
    private static final int TIMES = 10;
    private static final int ENTITY_ROWS = 1_000;
    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);
    private static final LocalDateTime DAILY_START = LocalDateTime.of(2024, 1, 1, 0, 0);
    private static final Duration DAILY_TTL = Duration.ofDays(3);

    @TempDir
    Path dir;
    FeatureFixture fixture;

    record Event(long customer, LocalDateTime time, long value) {}

    @BeforeEach
    void open() {
        fixture = new FeatureFixture(dir);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    static Stream<Arguments> granularities() {
        return Stream.of(
                Arguments.of("seconds", LocalDateTime.of(2024, 1, 1, 0, 0), Duration.ofDays(7).plusSeconds(1), 1_000_000L),
                Arguments.of("seconds before 1970", LocalDateTime.of(1960, 6, 1, 0, 0), Duration.ofDays(1), 1_000_000L),
                Arguments.of("milliseconds", LocalDateTime.of(2024, 1, 1, 0, 0), Duration.ofDays(1).plusMillis(1), 1_000L),
                Arguments.of("microseconds", LocalDateTime.of(2024, 1, 1, 0, 0), Duration.ofHours(1).plusNanos(1_000), 1L),
                // 450 years in microseconds with 2,000 positions (11 bits): no BIGINT holds them, the HUGEINT is used.
                Arguments.of("microseconds over centuries", LocalDateTime.of(1900, 1, 1, 0, 0), Duration.ofDays(365 * 50).plusNanos(1_000), 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("granularities")
    void everyKeyFormGivesTheLatestRowAtOrBeforeEachTimeAndTheLastInTheSourceOfTies(String name, LocalDateTime start, Duration step,
                                                                                    long unit) {
        Random random = new Random(11);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) events.add(new Event(1 + random.nextInt(CUSTOMERS), start.plus(step.multipliedBy(random.nextInt(TIMES))), i));
        List<Event> daily = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) daily.add(new Event(1 + random.nextInt(CUSTOMERS), DAILY_START.plusDays(random.nextInt(30)), -i));

        // The test means to exercise the key form named: the same choice as AsofKey.of makes from these rows.
        long min = events.stream().mapToLong(e -> micros(e.time())).min().orElseThrow();
        long max = events.stream().mapToLong(e -> micros(e.time())).max().orElseThrow();
        AsofKey key = AsofKey.choose(min, max, EVENTS, unit == 0 ? 1 : unit);
        if (unit == 0) {
            assertThat(key).isInstanceOf(AsofKey.Wide.class);
        } else {
            assertThat(key).isInstanceOfSatisfying(AsofKey.Packed.class, p -> assertThat(p.unit()).isEqualTo(unit));
        }

        fixture.write("k/events.csv", csv(events));
        fixture.write("k/daily.csv", csv(daily));
        fixture.write("k/defs.yaml", """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: events, path: events.csv, event_timestamp: happened_at}
                  - {name: daily, path: daily.csv, event_timestamp: happened_at}
                feature_views:
                  - {name: latest, entities: [customer], source: events, features: [value]}
                  - name: latest_daily
                    entities: [customer]
                    source: daily
                    ttl: 3d
                    features: [{name: daily_value, column: value}]
                feature_services:
                  - {name: both, features: [latest, latest_daily]}
                """);
        fixture.features.apply(dir.resolve("k"), "test");

        List<Event> asked = new ArrayList<>();
        StringBuilder entities = new StringBuilder("customer_id,event_timestamp,n\n");
        long[] offsets = {0, -1, 1, step.toNanos() / 2_000};
        for (int i = 0; i < ENTITY_ROWS; i++) {
            // A source time (or one step before the first, or after the last) and exactly it, a microsecond off, or between.
            LocalDateTime at = start.plus(step.multipliedBy(random.nextInt(TIMES + 2) - 1));
            LocalDateTime t = at.plus(offsets[random.nextInt(offsets.length)], ChronoUnit.MICROS);
            if (i % 10 == 0) t = DAILY_START.plusHours(random.nextInt(32 * 24));
            asked.add(new Event(1 + random.nextInt(CUSTOMERS), t, i));
            entities.append(asked.getLast().customer()).append(',').append(t.format(WRITTEN)).append(',').append(i).append('\n');
        }
        TrainingSet set = fixture.features.trainingSet("both", FileSource.of(fixture.write("k/entities.csv", entities.toString())),
                "event_timestamp", dir.resolve("k/set.parquet"), Progress.NONE);

        List<Map<String, Object>> rows = Parquet.rows(set.path());
        assertThat(rows).hasSize(ENTITY_ROWS);
        for (int i = 0; i < ENTITY_ROWS; i++) {
            Event a = asked.get(i);
            assertThat(rows.get(i).get("n")).as("entity row %d in its place", i).isEqualTo((long) i);
            assertThat(rows.get(i).get("value")).as("value of entity row %d (%s)", i, a).isEqualTo(expected(events, a.customer(), a.time(), null));
            assertThat(rows.get(i).get("daily_value")).as("daily value of entity row %d (%s)", i, a)
                    .isEqualTo(expected(daily, a.customer(), a.time(), DAILY_TTL));
        }
    }

    @Test
    void aBigintKeyIsChosenOnlyWhenTheGreatestKeyFits() throws SQLException {
        long min = micros(LocalDateTime.of(1900, 1, 1, 0, 0));
        // 1,000 positions take 10 bits: the times may span at most 2^53 - 1 units.
        long widest = (1L << 53) - 1;
        assertThat(AsofKey.choose(min, min + widest, 1_000, 1)).isInstanceOf(AsofKey.Packed.class);
        assertThat(AsofKey.choose(min, min + widest + 1, 1_000, 1)).isInstanceOf(AsofKey.Wide.class);
        assertThat(AsofKey.choose(min, min + widest * 1_000, 1_000, 1_000)).isInstanceOf(AsofKey.Packed.class);
        assertThat(AsofKey.choose(min, min + (widest + 1) * 1_000, 1_000, 1_000)).isInstanceOf(AsofKey.Wide.class);
        assertThat(AsofKey.choose(min, min, 1L << 62, 1)).isInstanceOf(AsofKey.Wide.class);
        assertThat(AsofKey.choose(Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 1, 1)).isInstanceOf(AsofKey.Wide.class);

        // At the limit, DuckDB computes the greatest keys without overflowing: an entity row at (or after) the last time
        // gets the greatest BIGINT, and the last source row's key is below it.
        AsofKey key = AsofKey.choose(min, min + widest, 1_000, 1);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + key.entity("t") + ", " + key.entity("t + INTERVAL 1 DAY") + ", " + key.source("t", "1000")
                     + ", " + key.entity("make_timestamp(CAST(" + min + " AS BIGINT))") + ", " + key.entity("make_timestamp(CAST(" + (min - 1)
                     + " AS BIGINT))") + " FROM (SELECT make_timestamp(CAST(" + (min + widest) + " AS BIGINT)) AS t)")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(Long.MAX_VALUE);
            assertThat(r.getLong(2)).isEqualTo(Long.MAX_VALUE);
            assertThat(r.getLong(3)).isEqualTo(Long.MAX_VALUE - 23);
            assertThat(r.getLong(4)).isEqualTo(1023);
            assertThat(r.getLong(5)).isEqualTo(-1);
        }
    }

    private static long micros(LocalDateTime t) {
        return ChronoUnit.MICROS.between(EPOCH, t);
    }

    private static String csv(List<Event> events) {
        StringBuilder csv = new StringBuilder("customer_id,happened_at,value\n");
        for (Event e : events) csv.append(e.customer()).append(',').append(e.time().format(WRITTEN)).append(',').append(e.value()).append('\n');
        return csv.toString();
    }

    /** Of the customer's rows at the latest time at or before {@code t}, the last in the file; null without one or beyond the TTL. */
    private static Long expected(List<Event> events, long customer, LocalDateTime t, Duration ttl) {
        Event latest = null;
        for (Event e : events) {
            if (e.customer() == customer && !e.time().isAfter(t) && (latest == null || !e.time().isBefore(latest.time()))) latest = e;
        }
        if (latest == null || ttl != null && latest.time().isBefore(t.minus(ttl))) return null;
        return latest.value();
    }
}
