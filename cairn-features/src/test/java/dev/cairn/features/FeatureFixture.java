package dev.cairn.features;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A feature store over a real SQLite metadata store in a test's temporary directory, with the example data and
 * definitions of the tests: customers' profiles (a TTL view with a column and an expression) and orders (window
 * aggregations over 30 and 90 days), and a service using both.
 */
public final class FeatureFixture implements AutoCloseable {
    public static final String DEFINITIONS = """
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
                ttl: 180d
                features:
                  - age
                  - name: income_k
                    sql: income / 1000.0
              - name: customer_orders
                entities: customer
                source: orders
                features:
                  - {name: orders_30d, aggregation: count, window: 30d}
                  - {name: spend_30d, aggregation: sum, column: amount, window: 30d}
                  - {name: spend_90d, aggregation: sum, column: amount, window: 90d}
                  - {name: avg_90d, aggregation: mean, column: amount, window: 90d}
                  - {name: max_amount_90d, aggregation: max, column: amount, window: 90d}
            feature_services:
              - name: churn
                features:
                  - customer_profile
                  - customer_orders:orders_30d
                  - customer_orders:spend_30d
                  - customer_orders:spend_90d
                  - customer_orders:avg_90d
                  - customer_orders:max_amount_90d
            """;

    public static final String PROFILES = """
            customer_id,updated_at,age,income
            1,2024-01-01,30,50000
            1,2024-02-20,31,52000
            1,2024-03-02,32,99999
            2,2023-01-01,40,70000
            3,2024-03-01T00:00:00,25,30000
            """;

    public static final String ORDERS = """
            customer_id,ordered_at,amount
            1,2024-01-01,100
            1,2024-01-31,50
            1,2024-02-15,20
            1,2024-03-01,5
            1,2024-03-05,1000
            2,2023-11-01,7
            """;

    public static final String ENTITIES = """
            customer_id,event_timestamp,label
            1,2024-03-01T00:00:00,1
            1,2024-04-15T00:00:00,0
            2,2024-03-01T00:00:00,1
            3,2024-03-01T00:00:00,0
            """;

    public final Path dir;
    public final MetadataStore metadata;
    public final FeatureStore features;

    public FeatureFixture(Path dir) {
        this(dir, Map.of());
    }

    public FeatureFixture(Path dir, Map<String, String> environment) {
        this.dir = dir;
        this.metadata = Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
        this.features = new FeatureStore(metadata.features(), FeatureStore.unconfined(), environment::get);
    }

    /** Writes the example's data and definitions (defs/features.yaml, data beside it) and applies them. */
    public FeatureFixture example() {
        write("defs/profiles.csv", PROFILES);
        write("defs/orders.csv", ORDERS);
        write("entities.csv", ENTITIES);
        write("defs/features.yaml", DEFINITIONS);
        features.apply(dir.resolve("defs"), "test");
        return this;
    }

    public Path write(String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        metadata.close();
    }
}
