package dev.cairn.bench.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.offline.TrainingSet;
import dev.cairn.features.online.Materializer;
import dev.cairn.features.online.OnlineFeatures;
import dev.cairn.features.online.OnlineService;
import dev.cairn.features.online.OnlineStore;
import dev.cairn.features.online.OnlineStores;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.train.TrainResult;
import dev.cairn.train.TrainSpec;
import dev.cairn.train.Training;
import dev.cairn.train.tracking.Tracking;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The feature store benchmark (bench/features/run.sh), one run, every baseline measured in the same run:
 * <ol>
 *   <li>a point-in-time training set: {@code FeatureStore.trainingSet} over ENTITY_ROWS entity rows and FEATURE_ROWS
 *       feature rows (Parquet), against a hand-written DuckDB {@code ASOF LEFT JOIN} over the same files, alternated, the
 *       two results' checksums compared;</li>
 *   <li>materialization of the view, as of after the last row, into the embedded store (SQLite) and Redis;</li>
 *   <li>online reads of one entity's feature service ({@code OnlineService.read}, what a prediction request does), in
 *       process, from each store, beside each store's floor (one SQLite primary-key SELECT; one Redis GET);</li>
 *   <li>predictions over HTTP on a full server in this process: with features (an id and a request-time value) against
 *       without (the completed row sent), alternated, on each online store.</li>
 * </ol>
 * Data: {@code orders} has one row per (customer, one of FEATURE_ROWS/CUSTOMERS blocks of the year), FEATURE_ROWS/10
 * customers, no two rows of a customer at one time (so the ASOF join's choice is the definition's); entity rows are
 * random customers at random times of the year.
 */
public final class FeaturesBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "last_order";
    private static final String VIEW = "customer_last_order";
    private static final Instant AS_OF = Instant.parse("2025-01-02T00:00:00Z");

    private FeaturesBenchmark() {}

    public static void main(String[] args) throws Exception {
        long entityRows = Long.parseLong(args[0]);
        long featureRows = Long.parseLong(args[1]);
        Path work = Path.of(args[2]).toAbsolutePath();
        double httpSeconds = args.length > 3 ? Double.parseDouble(args[3]) : 15;
        int clients = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        // Which parts run (CAIRN_BENCH_PARTS=1 for the training set alone, when iterating on it); the training set always
        // runs, the later parts need its output. Materialization runs when any of 2-4 does: they read what it wrote.
        String parts = System.getenv().getOrDefault("CAIRN_BENCH_PARTS", "1234");
        long customers = Math.max(1, featureRows / 10);
        Path data = work.resolve("data-" + entityRows + "-" + featureRows);
        Path orders = data.resolve("orders.parquet");
        Path entities = data.resolve("entities.parquet");
        if (!Files.exists(entities)) generate(data, orders, entities, entityRows, featureRows, customers);
        Path run = Files.createTempDirectory(work, "run-");
        out("# Feature store benchmark");
        out("");
        out("%d entity rows, %d feature rows (%d customers), work directory %s; %d cores, load average at the start %s",
                entityRows, featureRows, customers, run, Runtime.getRuntime().availableProcessors(), load());
        Path defs = Files.createDirectories(run.resolve("defs"));
        Files.writeString(defs.resolve("features.yaml"), """
                entities:
                  - name: customer
                    join_keys: [customer_id]
                sources:
                  - name: orders
                    path: %s
                    event_timestamp: ordered_at
                feature_views:
                  - name: %s
                    entities: [customer]
                    source: orders
                    features: [amount, channel]
                feature_services:
                  - name: %s
                    features: [%s]
                """.formatted(orders, VIEW, SERVICE, VIEW));
        String storeUri = "sqlite:" + run.resolve("cairn.db");
        String artifacts = run.resolve("artifacts").toUri().toString();
        RedisProcess redis = RedisProcess.start(Files.createDirectories(run.resolve("redis")));
        String sqliteOnline = "sqlite:" + run.resolve("online.db");
        List<Long> known;
        Path trainingSet;
        try {
            try (MetadataStore store = Stores.openMetadata(storeUri, artifacts)) {
                FeatureStore features = new FeatureStore(store.features(), FeatureStore.unconfined(), System::getenv);
                features.apply(defs, "bench");
                trainingSet = offline(features, entities, orders, run);
                if (parts.contains("2") || parts.contains("3") || parts.contains("4")) materialize(features, sqliteOnline, redis.uri());
                known = sampleCustomers(customers, 2_000);
                if (parts.contains("3")) online(store, sqliteOnline, redis.uri(), customers);
            }
            if (parts.contains("4")) http(storeUri, artifacts, run, trainingSet, sqliteOnline, redis.uri(), known, httpSeconds, clients);
        } finally {
            redis.close();
        }
        out("");
        out("load average at the end %s; raw outputs in %s", load(), run);
    }

    // ---- data ----

    private static void generate(Path data, Path orders, Path entities, long entityRows, long featureRows, long customers) throws Exception {
        Files.createDirectories(data);
        long blocks = Math.max(1, featureRows / customers);
        long block = 31_536_000L / blocks; // seconds of the year per block: each customer has one row per block
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT (i %% %d)::BIGINT AS customer_id, TIMESTAMP '2024-01-01' + to_seconds((i // %d) * %d + (hash(i) %% %d)::BIGINT) "
                    .formatted(customers, customers, block, block)
                    + "AS ordered_at, round((hash(i + 1) % 100000) / 100.0, 2)::DOUBLE AS amount, ['web', 'store', 'app'][(hash(i + 2) % 3)::INTEGER + 1] "
                    + "AS channel FROM range(" + featureRows + ") t(i)) TO '" + orders + ".tmp' (FORMAT parquet)");
            s.execute("COPY (SELECT (hash(i + 1000000007) %% %d)::BIGINT AS customer_id, ".formatted(customers)
                    + "TIMESTAMP '2024-01-01' + to_seconds((hash(i + 2000000011) % 31536000)::BIGINT) AS event_timestamp, "
                    + "(hash(i + 3000000019) % 2)::INTEGER AS label FROM range(" + entityRows + ") t(i)) TO '" + entities + ".tmp' (FORMAT parquet)");
        }
        Files.move(Path.of(orders + ".tmp"), orders);
        Files.move(Path.of(entities + ".tmp"), entities);
        System.err.printf(Locale.ROOT, "[bench] generated %s and %s in %.1f s%n", orders, entities, (System.nanoTime() - t0) / 1e9);
    }

    // ---- part 1 ----

    private static Path offline(FeatureStore features, Path entities, Path orders, Path run) throws Exception {
        out("");
        out("## 1. Point-in-time training set (load average %s)", load());
        out("");
        out("| round | engine | seconds | rows | rows with a value | sum(amount) |");
        out("|---|---|---|---|---|---|");
        double bestCairn = Double.MAX_VALUE;
        double bestAsof = Double.MAX_VALUE;
        String cairnSum = null;
        String asofSum = null;
        Path cairnOut = run.resolve("training-set.parquet");
        for (int round = 1; round <= 2; round++) {
            Path asofOut = run.resolve("asof-" + round + ".parquet");
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                s.execute("COPY (SELECT e.*, o.amount, o.channel FROM read_parquet('" + entities + "') e ASOF LEFT JOIN read_parquet('"
                        + orders + "') o ON e.customer_id = o.customer_id AND e.event_timestamp >= o.ordered_at) TO '" + asofOut
                        + "' (FORMAT parquet)");
            }
            double asof = (System.nanoTime() - t0) / 1e9;
            bestAsof = Math.min(bestAsof, asof);
            asofSum = checksum(asofOut);
            out("| %d | hand-written DuckDB ASOF LEFT JOIN | %.2f | %s |", round, asof, asofSum);
            t0 = System.nanoTime();
            TrainingSet set = features.trainingSet(SERVICE, FileSource.of(entities), "event_timestamp", cairnOut, Progress.NONE);
            double cairn = (System.nanoTime() - t0) / 1e9;
            bestCairn = Math.min(bestCairn, cairn);
            cairnSum = checksum(set.path());
            out("| %d | Cairn FeatureStore.trainingSet | %.2f | %s |", round, cairn, cairnSum);
        }
        out("");
        out("Best of two: ASOF %.2f s, Cairn %.2f s: **Cairn at %.2f× the hand-written join's speed** (target ≥ 0.7×); "
                + "results %s.", bestAsof, bestCairn, bestAsof / bestCairn, asofSum.equals(cairnSum) ? "agree (same rows, counts and sums)"
                : "DIFFER: " + asofSum + " vs " + cairnSum);
        return cairnOut;
    }

    private static String checksum(Path parquet) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), count(amount), round(sum(amount), 2), count(channel) FROM read_parquet('" + parquet + "')")) {
            r.next();
            return String.format(Locale.ROOT, "%d | %d | %.2f", r.getLong(1), r.getLong(2), r.getDouble(3));
        }
    }

    // ---- part 2 ----

    private static void materialize(FeatureStore features, String sqlite, String redis) {
        out("");
        out("## 2. Materialization, as of %s, whole (load average %s)", AS_OF, load());
        out("");
        out("| online store | records | seconds | records/s |");
        out("|---|---|---|---|");
        for (String uri : List.of(sqlite, redis)) {
            try (OnlineStore store = OnlineStores.open(uri)) {
                long t0 = System.nanoTime();
                List<Materializer.Result> results = features.materialize(store, VIEW, AS_OF, true, Progress.NONE);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long written = results.stream().mapToLong(Materializer.Result::written).sum();
                out("| %s | %d | %.1f | %.0f |", uri.startsWith("redis") ? "Redis (MSETs of 1,000, pipelined)" : "embedded (SQLite)", written, seconds,
                        written / seconds);
            }
        }
        out("");
        out("(Each includes reading the 10M source rows and computing each entity's latest row in DuckDB; the Redis "
                + "run's writes alone are the difference between the two rows only if SQLite writes cost nothing.)");
    }

    private static List<Long> sampleCustomers(long customers, int n) {
        SplittableRandom random = new SplittableRandom(42);
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ids.add(random.nextLong(customers));
        return ids;
    }

    // ---- part 3 ----

    private static void online(MetadataStore metadata, String sqlite, String redis, long customers) throws Exception {
        OnlineService service = OnlineService.resolve(metadata.features(), SERVICE, "service");
        int warmUp = 20_000;
        int measured = 100_000;
        out("");
        out("## 3. Online read of one entity's feature service, in process (load average %s)", load());
        out("");
        out("%d reads of a random customer after %d of warm-up, one thread; OnlineService.read is what a prediction request "
                + "calls (the values decoded, the TTL applied); the floor is the store's own single-key read.", measured, warmUp);
        out("");
        out("| read | p50 ms | p99 ms | p99.9 ms | max ms | target p99 |");
        out("|---|---|---|---|---|---|");
        for (String uri : List.of(sqlite, redis)) {
            boolean isRedis = uri.startsWith("redis");
            try (OnlineStore store = OnlineStores.open(uri)) {
                SplittableRandom random = new SplittableRandom(7);
                long[] samples = new long[measured];
                Instant now = Instant.now();
                for (int i = 0; i < warmUp + measured; i++) {
                    Map<String, Object> row = Map.of("customer_id", random.nextLong(customers));
                    long t0 = System.nanoTime();
                    OnlineFeatures.Result result = service.read(store, List.of(row), now, "inputs");
                    long elapsed = System.nanoTime() - t0;
                    if (!result.unknown().isEmpty()) throw new IllegalStateException("customer " + row + " is not in " + uri);
                    if (i >= warmUp) samples[i - warmUp] = elapsed;
                }
                row(isRedis ? "OnlineService.read, Redis" : "OnlineService.read, embedded (SQLite)", Latency.summary(samples),
                        isRedis ? "≤ 2 ms" : "≤ 1 ms");
            }
            long[] floor = isRedis ? redisFloor(redis, customers, warmUp, measured) : sqliteFloor(sqlite, customers, warmUp, measured);
            row(isRedis ? "floor: one Redis GET (Lettuce, sync)" : "floor: one SQLite SELECT by primary key (JDBC, prepared)",
                    Latency.summary(floor), "");
        }
    }

    private static void row(String name, double[] s, String target) {
        out("| %s | %.3f | %.3f | %.3f | %.1f | %s |", name, s[0], s[1], s[2], s[3], target);
    }

    private static long[] sqliteFloor(String uri, long customers, int warmUp, int measured) throws Exception {
        long[] samples = new long[measured];
        try (Connection c = DriverManager.getConnection("jdbc:" + uri);
             PreparedStatement select = c.prepareStatement("SELECT event_time, feature_values FROM online_features WHERE view = ? AND entity_key = ?")) {
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < warmUp + measured; i++) {
                long t0 = System.nanoTime();
                select.setString(1, VIEW);
                select.setString(2, "[\"" + random.nextLong(customers) + "\"]");
                try (ResultSet r = select.executeQuery()) {
                    if (!r.next()) throw new IllegalStateException("no record");
                    r.getString(2);
                }
                if (i >= warmUp) samples[i - warmUp] = System.nanoTime() - t0;
            }
        }
        return samples;
    }

    private static long[] redisFloor(String uri, long customers, int warmUp, int measured) {
        long[] samples = new long[measured];
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < warmUp + measured; i++) {
                long t0 = System.nanoTime();
                String v = sync.get("cairn:features:" + VIEW + ":[\"" + random.nextLong(customers) + "\"]");
                if (v == null) throw new IllegalStateException("no record");
                if (i >= warmUp) samples[i - warmUp] = System.nanoTime() - t0;
            }
        } finally {
            client.shutdown();
        }
        return samples;
    }

    // ---- part 4 ----

    private static void http(String storeUri, String artifacts, Path run, Path trainingSet, String sqlite, String redis, List<Long> known,
                             double seconds, int clients) throws Exception {
        Path training = run.resolve("train.csv");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT amount, channel, (hash(customer_id) % 50)::DOUBLE AS basket, label FROM read_parquet('" + trainingSet
                    + "') WHERE amount IS NOT NULL LIMIT 20000) TO '" + training + "' (HEADER)");
        }
        String modelUri;
        try (MetadataStore store = Stores.openMetadata(storeUri, artifacts)) {
            Tracking tracking = Tracking.of(store);
            TrainResult trained = Training.train(TrainSpec.of(training, "label").withParam("num_boost_round", 50).withParam("max_depth", 4)
                    .withExperiment("bench-features"), tracking);
            ModelVersion version = Training.register(tracking, trained.runId(), "bench-features", null);
            modelUri = "models:/bench-features/" + version.version();
        }
        out("");
        out("## 4. Predictions over HTTP, with features against without (model %s: amount and channel from the view, "
                + "basket sent with the request)", modelUri);
        out("");
        out("A full server in this process (`ServerMain`, `--online-store`), %d closed-loop clients (java.net.http, keep-alive) in "
                + "the same process, single-row `POST /api/v1/deployments/{name}/predict`, %.0f s per round after %.0f s of warm-up "
                + "each, alternated. Without: the completed row is sent (the features as the store holds them); with: "
                + "`{\"customer_id\": …, \"basket\": …}`. The prediction log is on for both.", clients, seconds, seconds);
        out("");
        out("| online store | round | deployment | requests/s | p50 ms | p99 ms | p99.9 ms | errors |");
        out("|---|---|---|---|---|---|---|---|");
        for (String online : List.of(sqlite, redis)) {
            String storeName = online.startsWith("redis") ? "Redis" : "embedded";
            ServerOptions options = new ServerOptions(storeUri, artifacts, "127.0.0.1", 0).withOnlineStore(online);
            try (ServerMain.RunningServer server = ServerMain.start(options, Clock.systemUTC(), false)) {
                put(server.url(), "with", modelUri, SERVICE);
                put(server.url(), "without", modelUri, null);
                List<String> withBodies = new ArrayList<>();
                List<String> withoutBodies = new ArrayList<>();
                OnlineService service = server.serving().deployments().get("with").features();
                List<Map<String, Object>> rows = new ArrayList<>();
                for (long id : known) rows.add(Map.of("customer_id", id));
                List<Map<String, Object>> values = service.read(server.serving().deployments().features().store(), rows, Instant.now(), "inputs").features();
                for (int i = 0; i < known.size(); i++) {
                    double basket = (known.get(i) * 31) % 50;
                    withBodies.add(JSON.writeValueAsString(Map.of("inputs", Map.of("customer_id", known.get(i), "basket", basket))));
                    Map<String, Object> full = new LinkedHashMap<>(values.get(i));
                    full.put("basket", basket);
                    withoutBodies.add(JSON.writeValueAsString(Map.of("inputs", full)));
                }
                String with = server.url() + "/api/v1/deployments/with/predict";
                String without = server.url() + "/api/v1/deployments/without/predict";
                HttpLoad.drive("warm-up", without, withoutBodies, clients, seconds);
                HttpLoad.drive("warm-up", with, withBodies, clients, seconds);
                for (int round = 1; round <= 2; round++) {
                    report(storeName, round, HttpLoad.drive("without", without, withoutBodies, clients, seconds));
                    report(storeName, round, HttpLoad.drive("with", with, withBodies, clients, seconds));
                }
            }
        }
    }

    private static void report(String store, int round, HttpLoad.Round r) {
        out("| %s | %d | %s | %.0f | %.2f | %.2f | %.2f | %d%s |", store, round, r.name(), r.rate(), r.p50(), r.p99(), r.p999(), r.errors(),
                r.firstError() == null ? "" : " (" + r.firstError().replace('|', '/').lines().findFirst().orElse("") + ")");
    }

    private static void put(String url, String name, String model, String service) throws Exception {
        String body = "{\"targets\": [{\"model\": \"" + model + "\", \"weight\": 100}]" + (service == null ? "" : ", \"feature_service\": \""
                + service + "\"") + "}";
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/deployments/" + name))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("deploying " + name + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
