package dev.cairn.features.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureFixture;
import dev.cairn.features.Parquet;
import dev.cairn.features.online.EntityKey;
import dev.cairn.features.online.OnlineRecord;
import dev.cairn.features.online.OnlineStore;
import dev.cairn.features.online.OnlineStores;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Later in the source wins" whatever the source's format: the view's rows take their position from the storage (a
 * Parquet file's row number, the loaded table's row id), not from a copy numbered with a window, so the files here
 * have several row groups (read in parallel) and many rows of one customer at one time, each with its own value. The
 * training set (entity rows given in Parquet too, kept in their order) and a materialization must both pick, of the
 * rows at the latest time, the last in the file.
 */
class SourceOrderTest {
    private static final int CUSTOMERS = 50;
    private static final int EVENTS = 6_000;
    private static final int ENTITY_ROWS = 5_000;
    private static final LocalDateTime START = LocalDateTime.of(2024, 1, 1, 0, 0);

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

    @ParameterizedTest
    @ValueSource(strings = {"parquet", "csv", "jsonl"})
    void ofRowsAtOneTimeTheLastInTheSourceWinsOfflineAndOnline(String format) {
        Random random = new Random(7);
        List<Event> events = new ArrayList<>();
        // Six possible times per customer over six days: about twenty rows share each (customer, time).
        for (int i = 0; i < EVENTS; i++) {
            events.add(new Event(1 + random.nextInt(CUSTOMERS), START.plusDays(random.nextInt(6)), i));
        }
        StringBuilder csv = new StringBuilder("customer_id,happened_at,value\n");
        StringBuilder jsonl = new StringBuilder();
        for (Event e : events) {
            csv.append(e.customer()).append(',').append(e.time()).append(',').append(e.value()).append('\n');
            jsonl.append("{\"customer_id\": ").append(e.customer()).append(", \"happened_at\": \"").append(e.time()).append("\", \"value\": ")
                    .append(e.value()).append("}\n");
        }
        Path eventFile = fixture.write("o/events.csv", csv.toString());
        switch (format) {
            case "parquet" -> toParquet(eventFile, dir.resolve("o/events.parquet"));
            case "jsonl" -> fixture.write("o/events.jsonl", jsonl.toString());
            default -> { }
        }
        fixture.write("o/defs.yaml", """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: events, path: events.%s, event_timestamp: happened_at}
                feature_views:
                  - {name: latest, entities: [customer], source: events, features: [value]}
                feature_services:
                  - {name: latest_model, features: [latest]}
                """.formatted(format));
        fixture.features.apply(dir.resolve("o"), "test");

        List<Event> asked = new ArrayList<>();
        StringBuilder entities = new StringBuilder("customer_id,event_timestamp,n\n");
        for (int i = 0; i < ENTITY_ROWS; i++) {
            // Half the entity rows at exactly an event time, the others between two.
            LocalDateTime t = START.plusDays(random.nextInt(7) - 1).plusHours(random.nextBoolean() ? 0 : 1 + random.nextInt(22));
            asked.add(new Event(1 + random.nextInt(CUSTOMERS), t, i));
            entities.append(asked.getLast().customer()).append(',').append(t).append(',').append(i).append('\n');
        }
        Path entityFile = dir.resolve("o/entities.parquet");
        toParquet(fixture.write("o/entities.csv", entities.toString()), entityFile);
        TrainingSet set = fixture.features.trainingSet("latest_model", FileSource.of(entityFile), "event_timestamp",
                dir.resolve("o/set.parquet"), Progress.NONE);

        List<Map<String, Object>> rows = Parquet.rows(set.path());
        assertThat(rows).hasSize(ENTITY_ROWS);
        for (int i = 0; i < ENTITY_ROWS; i++) {
            Event a = asked.get(i);
            assertThat(rows.get(i).get("n")).as("entity row %d in its place", i).isEqualTo(a.value());
            assertThat(rows.get(i).get("value")).as("value of entity row %d (%s)", i, a).isEqualTo(expected(events, a.customer(), a.time()));
        }

        LocalDateTime asOf = START.plusDays(3).plusHours(12);
        try (OnlineStore store = OnlineStores.open("sqlite:" + dir.resolve("o/online.db"))) {
            fixture.features.materialize(store, "latest", asOf.toInstant(ZoneOffset.UTC), true, Progress.NONE);
            List<EntityKey> keys = new ArrayList<>();
            for (long c = 1; c <= CUSTOMERS; c++) keys.add(EntityKey.of(List.of(c)));
            List<Optional<OnlineRecord>> records = store.get("latest", keys);
            for (int c = 1; c <= CUSTOMERS; c++) {
                Long want = expected(events, c, asOf);
                assertThat(records.get(c - 1).map(r -> ((Number) r.values().get("value")).longValue()).orElse(null))
                        .as("customer %d online", c).isEqualTo(want);
            }
        }
    }

    /** Of the customer's rows at the latest time at or before {@code t}, the last in the file (null without one). */
    private static Long expected(List<Event> events, long customer, LocalDateTime t) {
        Event latest = null;
        for (Event e : events) {
            if (e.customer() == customer && !e.time().isAfter(t) && (latest == null || !e.time().isBefore(latest.time()))) latest = e;
        }
        return latest == null ? null : latest.value();
    }

    /** The CSV file as Parquet, in its order, in row groups of 2,048 rows (so a reader splits it). */
    private static void toParquet(Path csv, Path parquet) {
        Parquet.duckdb("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + parquet + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
    }
}
