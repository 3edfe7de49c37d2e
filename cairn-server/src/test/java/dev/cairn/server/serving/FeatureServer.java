package dev.cairn.server.serving;

import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.online.OnlineStore;
import dev.cairn.features.online.OnlineStores;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A full Cairn server ({@link ServerMain}) reading features from an online store, over a real SQLite metadata store in a
 * test's directory: the credit-risk model registered (its inputs age, amount and purpose), feature definitions applied
 * (customers' profiles give age and purpose, their orders a 90-day count) and materialized as of {@link #AS_OF}.
 * Requests then send a customer id and the amount asked for (a request-time value).
 *
 * <p>The data plants the cases serving must handle: customer 1 has two profiles (the later one, age 32 and car, is
 * served); customer 3's purpose is outside the model's domain (the completed row fails the signature); customer 4 has
 * orders but no profile (known to one view: its age is null, which the signature refuses); customer 999 is unknown.
 */
final class FeatureServer implements AutoCloseable {
    static final Instant AS_OF = Instant.parse("2024-03-01T00:00:00Z");

    static final String DEFINITIONS = """
            entities:
              - name: customer
                join_keys: [customer_id]
            sources:
              - name: profiles
                path: profiles.csv
                event_timestamp: updated_at
              - name: orders
                path: orders.csv
                event_timestamp: ordered_at
            feature_views:
              - name: customer_profile
                entities: [customer]
                source: profiles
                features: [age, purpose]
              - name: customer_orders
                entities: [customer]
                source: orders
                features:
                  - {name: orders_90d, aggregation: count, window: 90d}
            feature_services:
              - name: credit
                features: [customer_profile, customer_orders]
            """;

    static final String PROFILES = """
            customer_id,updated_at,age,purpose
            1,2024-01-01,30,education
            1,2024-02-20,32,car
            2,2023-06-01,45,radio/tv
            3,2024-01-10,28,yacht
            """;

    static final String ORDERS = """
            customer_id,ordered_at,amount
            1,2024-02-01,100
            1,2024-02-11,40
            2,2024-02-02,50
            4,2024-02-03,70
            """;

    final Path dir;
    final ServerMain.RunningServer running;
    final Http http;
    final FeatureStore features;

    /** @param onlineStore the server's {@code --online-store}; null for a server without one */
    FeatureServer(Path dir, String onlineStore) throws Exception {
        this(dir, onlineStore, true);
    }

    /**
     * @param setUp whether to write, register, apply and materialize everything (a first start) or only to start the
     *              server again over what an earlier one left in {@code dir} (a restart)
     */
    FeatureServer(Path dir, String onlineStore, boolean setUp) throws Exception {
        this.dir = dir;
        if (setUp) {
            Files.createDirectories(dir.resolve("defs"));
            Files.writeString(dir.resolve("defs/profiles.csv"), PROFILES);
            Files.writeString(dir.resolve("defs/orders.csv"), ORDERS);
            Files.writeString(dir.resolve("defs/features.yaml"), DEFINITIONS);
        }
        ServerOptions options = new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0).withOnlineStore(onlineStore);
        running = ServerMain.start(options, java.time.Clock.systemUTC(), false);
        try {
            features = new FeatureStore(running.store().features(), FeatureStore.unconfined(), name -> null);
            if (setUp) {
                var registry = running.store().registry();
                registry.createRegisteredModel("credit-risk", "test model", List.of(), "alice");
                registry.createModelVersion("credit-risk", RegistryFixture.inStore(dir, CreditModels.shared(5, false), "v1").toString(),
                        null, "5 trees", List.of(), "alice");
                features.apply(dir.resolve("defs"), "alice");
                if (onlineStore != null) materialize(onlineStore);
            }
            http = new Http(running.url());
        } catch (Exception | Error e) {
            running.close();
            throw e;
        }
    }

    /** Every view into {@code onlineStore}, as of {@link #AS_OF}, as {@code cairn features materialize} does. */
    void materialize(String onlineStore) {
        try (OnlineStore store = OnlineStores.open(onlineStore)) {
            features.materialize(store, null, AS_OF, true, Progress.NONE);
        }
    }

    void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve("defs").resolve(file), text);
    }

    /** Deploys version 1 as {@code name}, with {@code service}'s features (null: none); the answer's status must be 200. */
    Http.Response deploy(String name, String service) {
        Http.Response put = http.put("/api/v1/deployments/" + name, "{\"targets\": [{\"model\": \"models:/credit-risk/1\", \"weight\": 100}]"
                + (service == null ? "" : ", \"feature_service\": \"" + service + "\"") + "}");
        if (put.status() != 200) throw new AssertionError("deploying " + name + ": " + put.status() + " " + put.body());
        return put;
    }

    @Override
    public void close() {
        running.close();
    }
}
