package dev.cairn.features.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureFixture;
import dev.cairn.features.Parquet;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link OnlineStore} does, run against the embedded SQLite store and a real redis-server. */
abstract class OnlineStoreContract {
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    @TempDir
    Path dir;
    OnlineStore store;

    /** A new, empty store. */
    protected abstract OnlineStore openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private static OnlineRecord record(Object key, Instant time, Map<String, Object> values) {
        return new OnlineRecord(EntityKey.of(List.of(key)), time, values);
    }

    @Test
    void recordsComeBackWithTheirTimesAndValuesInTheKeysOrder() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("count", 3L);
        values.put("mean", 2.5);
        values.put("name", "Zoë \"quoted\"");
        values.put("active", true);
        values.put("missing", null);
        values.put("big", new BigInteger("123456789012345678901234567890"));
        values.put("seen", java.time.LocalDateTime.of(2024, 2, 29, 12, 30));
        store.put("v", List.of(record(1L, T0, values), record(2L, T0.plusNanos(1_000), Map.of("count", 4L))));
        store.put("w", List.of(new OnlineRecord(EntityKey.of(List.of(1L, "eu")), T0, Map.of("x", 1L))));

        List<Optional<OnlineRecord>> got = store.get("v", List.of(EntityKey.of(List.of(2L)), EntityKey.of(List.of(9L)),
                EntityKey.of(List.of(1.0))));
        assertThat(got.get(0)).map(OnlineRecord::values).contains(Map.of("count", 4L));
        assertThat(got.get(0)).map(OnlineRecord::eventTime).contains(T0.plusNanos(1_000));
        assertThat(got.get(1)).isEmpty();
        Map<String, Object> back = got.get(2).orElseThrow().values();
        assertThat(back.keySet()).containsExactly("count", "mean", "name", "active", "missing", "big", "seen");
        assertThat(back).containsEntry("count", 3L).containsEntry("mean", 2.5).containsEntry("name", "Zoë \"quoted\"")
                .containsEntry("active", true).containsEntry("missing", null)
                .containsEntry("big", new BigInteger("123456789012345678901234567890")).containsEntry("seen", "2024-02-29T12:30");
        assertThat(store.get("w", List.of(EntityKey.of(List.of(1, "eu")), EntityKey.of(List.of("eu", 1)))))
                .extracting(Optional::isPresent).containsExactly(true, false);
        assertThat(store.get("v", List.of())).isEmpty();
    }

    @Test
    void aPutReplacesAndClearRemovesOneViewWithItsWatermark() {
        store.put("v", List.of(record("a", T0, Map.of("x", 1L)), record("b", T0, Map.of("x", 2L))));
        store.put("w", List.of(record("a", T0, Map.of("y", 9L))));
        store.put("v", List.of(record("a", T0.plusSeconds(60), Map.of("x", 10L))));
        assertThat(store.get("v", List.of(EntityKey.of(List.of("a")))).getFirst().orElseThrow())
                .isEqualTo(record("a", T0.plusSeconds(60), Map.of("x", 10L)));
        store.setWatermark(new Watermark("v", "f1", T0, T0.plusSeconds(3600)));
        store.setWatermark(new Watermark("w", "f2", null, T0));

        store.clear("v");
        assertThat(store.get("v", List.of(EntityKey.of(List.of("a")), EntityKey.of(List.of("b"))))).allMatch(Optional::isEmpty);
        assertThat(store.watermark("v")).isEmpty();
        assertThat(store.get("w", List.of(EntityKey.of(List.of("a"))))).allMatch(Optional::isPresent);
        assertThat(store.watermark("w")).contains(new Watermark("w", "f2", null, T0));
        store.setWatermark(new Watermark("w", "f3", T0, T0.plusSeconds(1)));
        assertThat(store.watermark("w")).contains(new Watermark("w", "f3", T0, T0.plusSeconds(1)));
    }

    @Test
    void thousandsOfRecordsAreWrittenAndReadInBatches() {
        Random random = new Random(7);
        List<OnlineRecord> records = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) records.add(record((long) i, T0.plusSeconds(i), Map.of("v", random.nextDouble())));
        store.put("big", records);
        List<EntityKey> keys = new ArrayList<>();
        for (int i = 2_344; i >= 0; i--) keys.add(EntityKey.of(List.of(i)));
        List<Optional<OnlineRecord>> got = store.get("big", keys);
        for (int i = 0; i < keys.size(); i++) assertThat(got.get(i)).contains(records.get(2_344 - i));
        store.clear("big");
        assertThat(store.get("big", keys)).allMatch(Optional::isEmpty);
    }

    // ---- materialization into this store ----

    private static Instant day(String date) {
        return Instant.parse(date + "T00:00:00Z");
    }

    private Map<String, Long> written(List<Materializer.Result> results) {
        Map<String, Long> written = new LinkedHashMap<>();
        for (Materializer.Result r : results) written.put(r.view(), r.written());
        return written;
    }

    /** What the store serves for customers 1-3 at {@code at} equals the training set of rows (customer, at). */
    private void onlineEqualsOffline(FeatureFixture fixture, Instant at) {
        String time = at.toString().replace("Z", "");
        Path rows = fixture.write("at.csv", "customer_id,event_timestamp\n1," + time + "\n2," + time + "\n3," + time + "\n");
        Path set = fixture.features.trainingSet("churn", FileSource.of(rows), "event_timestamp", dir.resolve("at.parquet"), Progress.NONE).path();
        List<Map<String, Object>> offline = Parquet.rows(set);
        List<Map<String, Object>> online = fixture.features.online(store, "churn",
                List.of(Map.of("customer_id", 1L), Map.of("customer_id", "2"), Map.of("customer_id", 3)), at);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> expected = new LinkedHashMap<>(offline.get(i));
            expected.remove("customer_id");
            expected.remove("event_timestamp");
            assertThat(online.get(i)).as("customer %d at %s", i + 1, at).isEqualTo(expected);
        }
    }

    @Test
    void materializationIsIncrementalByEventTimeAndServesWhatTrainingSetsSee() throws Exception {
        try (FeatureFixture fixture = new FeatureFixture(dir.resolve("features")).example()) {
            Instant first = day("2024-03-01");
            List<Materializer.Result> results = fixture.features.materialize(store, null, first, false, Progress.NONE);
            // Customer 3 has no order yet; every customer has a profile row.
            assertThat(written(results)).containsExactly(Map.entry("customer_orders", 2L), Map.entry("customer_profile", 3L));
            assertThat(results).allMatch(Materializer.Result::full);
            assertThat(results.getFirst().watermark().eventTime()).isEqualTo(day("2024-03-01"));
            onlineEqualsOffline(fixture, first);

            assertThat(written(fixture.features.materialize(store, null, first, false, Progress.NONE)))
                    .as("nothing new: nothing written").containsExactly(Map.entry("customer_orders", 0L), Map.entry("customer_profile", 0L));

            // New rows: a profile of customer 2 and an order of customer 3; customer 1's profile of 03-02 and order of 03-05
            // are after the watermark (03-01) too, and no longer in the future.
            Files.writeString(fixture.dir.resolve("defs/profiles.csv"), "2,2024-03-10,41,71000\n", StandardOpenOption.APPEND);
            Files.writeString(fixture.dir.resolve("defs/orders.csv"), "3,2024-03-10,60\n", StandardOpenOption.APPEND);
            Instant second = day("2024-03-15");
            List<Materializer.Result> incremental = fixture.features.materialize(store, null, second, false, Progress.NONE);
            assertThat(written(incremental)).containsExactly(Map.entry("customer_orders", 2L), Map.entry("customer_profile", 2L));
            assertThat(incremental).noneMatch(Materializer.Result::full);
            onlineEqualsOffline(fixture, second);

            // No new row, but a month later the orders of 02-15 to 03-10 have left the 30-day window: their customers change.
            Instant third = day("2024-04-15");
            assertThat(written(fixture.features.materialize(store, "customer_orders", third, false, Progress.NONE)))
                    .containsExactly(Map.entry("customer_orders", 2L));
            assertThat(written(fixture.features.materialize(store, "customer_profile", third, false, Progress.NONE)))
                    .containsExactly(Map.entry("customer_profile", 0L));
            onlineEqualsOffline(fixture, third);

            assertThatThrownBy(() -> fixture.features.materialize(store, "customer_orders", second, false, Progress.NONE))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "as_of"));

            // A changed view is rewritten whole; so is any view when asked.
            fixture.write("defs/features.yaml", FeatureFixture.DEFINITIONS.replace("ttl: 180d", "ttl: 30d"));
            fixture.features.apply(fixture.dir.resolve("defs"), "test");
            List<Materializer.Result> changed = fixture.features.materialize(store, null, third, false, Progress.NONE);
            assertThat(written(changed)).containsExactly(Map.entry("customer_orders", 0L), Map.entry("customer_profile", 3L));
            assertThat(changed.get(1).full()).isTrue();
            onlineEqualsOffline(fixture, third);
            assertThat(written(fixture.features.materialize(store, "customer_orders", third, true, Progress.NONE)))
                    .containsExactly(Map.entry("customer_orders", 3L));
        }
    }
}
