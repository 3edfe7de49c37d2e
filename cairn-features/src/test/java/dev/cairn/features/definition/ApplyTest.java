package dev.cairn.features.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.AppliedFeatureDefinition;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.features.FeatureKind;
import dev.cairn.core.hash.Sha256;
import dev.cairn.features.FeatureFixture;
import dev.cairn.features.FeatureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code apply}: definition files into the registry, versioned, every problem with its file, line and path. */
class ApplyTest {
    @TempDir
    Path dir;
    FeatureFixture fixture;
    FeatureStore features;

    @BeforeEach
    void open() {
        fixture = new FeatureFixture(dir);
        features = fixture.features;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private CairnException applyFails(String yaml) {
        fixture.write("bad/defs.yaml", yaml);
        try {
            features.apply(dir.resolve("bad"), "test");
        } catch (CairnException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            return e;
        }
        throw new AssertionError("apply succeeded");
    }

    @Test
    void theExampleAppliesAsVersionOneOfEveryDefinitionAndAgainChangesNothing() {
        fixture.write("defs/profiles.csv", FeatureFixture.PROFILES);
        fixture.write("defs/orders.csv", FeatureFixture.ORDERS);
        fixture.write("defs/features.yaml", FeatureFixture.DEFINITIONS);

        FeatureStore.Applied first = features.apply(dir.resolve("defs"), "ana");
        assertThat(first.definitions()).extracting(a -> a.definition().name()).containsExactly("customer", "profiles", "orders",
                "customer_profile", "customer_orders", "churn");
        assertThat(first.created()).isEqualTo(6);
        assertThat(first.definitions()).allSatisfy(a -> {
            assertThat(a.definition().version()).isEqualTo(1);
            assertThat(a.definition().sha256()).isEqualTo(Sha256.of(a.definition().body().getBytes(StandardCharsets.UTF_8)));
        });

        FeatureStore.Applied again = features.apply(dir.resolve("defs"), "bob");
        assertThat(again.created()).isZero();
        assertThat(features.list()).extracting(FeatureDefinition::version).containsOnly(1L);
        assertThat(features.list()).extracting(FeatureDefinition::kind).containsExactly(FeatureKind.ENTITY, FeatureKind.SOURCE,
                FeatureKind.SOURCE, FeatureKind.FEATURE_VIEW, FeatureKind.FEATURE_VIEW, FeatureKind.FEATURE_SERVICE);
    }

    @Test
    void reformattingAndCommentsChangeNoVersionButATtlDoes() {
        fixture.example();
        // The same definitions in another layout: flow style, keys reordered, comments, the short forms written out.
        fixture.write("defs/features.yaml", FeatureFixture.DEFINITIONS.replace("""
                  - name: customer
                    join_keys: [customer_id]
                """, """
                  # the customers
                  - join_keys:
                      - customer_id
                    name: customer
                """).replace("      - age\n", "      - {name: age, column: age}\n"));
        assertThat(features.apply(dir.resolve("defs"), "test").created()).isZero();

        fixture.write("defs/features.yaml", FeatureFixture.DEFINITIONS.replace("ttl: 180d", "ttl: 90d"));
        List<AppliedFeatureDefinition> applied = features.apply(dir.resolve("defs"), "test").definitions();
        assertThat(applied).filteredOn(AppliedFeatureDefinition::created).extracting(a -> a.definition().name() + " v" + a.definition().version())
                .containsExactly("customer_profile v2");
        FeatureView view = (FeatureView) features.definition(features.show("customer_profile", null));
        assertThat(view.ttl()).isEqualTo(Duration.ofDays(90));
        FeatureView first = (FeatureView) features.definition(features.show("customer_profile", 1L));
        assertThat(first.ttl()).isEqualTo(Duration.ofDays(180));
        assertThatThrownBy(() -> features.show("customer_profile", 3L))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("from 1 to 2"));
        assertThatThrownBy(() -> features.show("nobody", null))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void pathsAreStoredResolvedAgainstTheDefinitionFilesDirectory() {
        fixture.example();
        SourceDefinition orders = (SourceDefinition) features.definition(features.show("orders", null));
        assertThat(((SourceDefinition.FileLocation) orders.location()).path()).isEqualTo(dir.resolve("defs/orders.csv").toString());
        assertThat(features.show("orders", null).body()).isEqualTo("{\"event_timestamp\":\"ordered_at\",\"name\":\"orders\",\"path\":\""
                + dir.resolve("defs/orders.csv") + "\"}");
    }

    @Test
    void definitionsInOtherFilesAndInTheRegistryCanBeUsed() {
        fixture.example();
        fixture.write("more/service.yaml", """
                feature_services:
                  - name: spend
                    features: [customer_orders:spend_90d]
                """);
        FeatureStore.Applied applied = features.apply(dir.resolve("more"), "test");
        assertThat(applied.definitions()).extracting(a -> a.definition().name()).containsExactly("spend");
    }

    @Test
    void everyProblemIsReportedWithItsLinePathValueAndWhatWasExpected() {
        CairnException e = applyFails("""
                entities:
                  - name: customer
                    join_keys: []
                sources:
                  - name: orders
                    path: orders.csv
                    event_timstamp: ordered_at
                feature_views:
                  - name: spend
                    entities: [custmer]
                    source: orders
                    ttl: 30 days
                    features:
                      - {name: total, aggregation: summ, column: amount, window: 30d}
                      - {name: n, aggregation: count}
                      - {name: bad name, column: x}
                feature_services:
                  - name: churn
                    features: [spend:nothing]
                """);
        String file = dir.resolve("bad/defs.yaml").toString();
        assertThat(e.getMessage().lines().toList()).containsExactly(
                file + " line 3, entities.customer.join_keys: expected at least one: the columns that identify one customer",
                file + " line 5, sources.orders: missing key 'event_timestamp': the column that says when each row's values became true",
                file + " line 7, sources.orders.event_timstamp: unknown key 'event_timstamp' of a source (allowed: name, description, "
                        + "path, format, delimiter, jdbc, table, query, user, password_env, event_timestamp, created_timestamp)",
                file + " line 12, feature_views.spend.ttl: expected a duration such as PT30M, P1D, 90s, 30m, 2h or 1h30m, found a text "
                        + "('30 days')",
                file + " line 14, feature_views.spend.features.total.aggregation: unknown aggregation 'summ'; expected one of count, sum, "
                        + "mean, min, max",
                file + " line 15, feature_views.spend.features.n: missing key 'window': an aggregation is over a window such as 30d or 90d",
                file + " line 16, feature_views.spend.features[2].name: 'bad name' is not a valid feature name: letters, digits and '_', "
                        + "not starting with a digit, at most 64 characters");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) e.details().get("errors");
        assertThat(errors).first().satisfies(error -> {
            assertThat(error).containsEntry("file", file).containsEntry("line", 3).containsEntry("path", "entities.customer.join_keys");
        });
    }

    @Test
    void referencesAreCheckedOnceEveryFileIsRead() {
        fixture.write("bad/a.yaml", """
                entities:
                  - name: customer
                    join_keys: [customer_id]
                sources:
                  - name: orders
                    path: orders.csv
                    event_timestamp: ordered_at
                """);
        CairnException e = applyFails("""
                entities:
                  - name: customer
                    join_keys: [id]
                feature_views:
                  - name: spend
                    entities: [custmer]
                    source: customer
                    features:
                      - {name: customer_id, aggregation: count, window: 30d}
                      - {name: total, aggregation: sum, column: amount, window: 30d}
                  - name: other
                    entities: customer
                    source: orders
                    features: [total]
                feature_services:
                  - name: churn
                    features: [spend:nothing, spend, other]
                """);
        String a = dir.resolve("bad/a.yaml").toString();
        String defs = dir.resolve("bad/defs.yaml").toString();
        assertThat(e.getMessage().lines().toList()).containsExactly(
                defs + " line 2, entities.customer: 'customer' is defined twice (first at " + a + " line 2); expected one definition per name",
                defs + " line 6, feature_views.spend.entities: unknown entity 'custmer'; expected the name of an entity in these files or in "
                        + "the registry (customer)",
                defs + " line 7, feature_views.spend.source: 'customer' is an entity; expected a source",
                defs + " line 16, feature_services.churn: feature 'total' of feature service 'churn' comes from both feature views 'spend' and "
                        + "'other'; the features "
                        + "of a service are the columns of its training sets, so expected distinct names (rename one in its view)",
                defs + " line 17, feature_services.churn.features[0]: feature view 'spend' has no feature 'nothing'; expected one of "
                        + "customer_id, total");
    }

    @Test
    void aViewThatDropsAFeatureAServiceInTheRegistryUsesIsRefused() {
        fixture.example();
        fixture.write("defs/features.yaml", FeatureFixture.DEFINITIONS.replace(
                "      - {name: spend_30d, aggregation: sum, column: amount, window: 30d}\n", "")
                .replace("      - customer_orders:spend_30d\n", ""));
        fixture.write("views/orders.yaml", """
                feature_views:
                  - name: customer_orders
                    entities: customer
                    source: orders
                    features:
                      - {name: orders_30d, aggregation: count, window: 30d}
                """);
        CairnException e = null;
        try {
            features.apply(dir.resolve("views"), "test");
        } catch (CairnException thrown) {
            e = thrown;
        }
        assertThat(e).isNotNull();
        String file = dir.resolve("views/orders.yaml").toString();
        assertThat(e.getMessage().lines().toList()).startsWith(
                file + " line 2, feature_views.customer_orders: feature service 'churn' in the registry uses 'customer_orders:spend_30d', "
                        + "which this version of feature view 'customer_orders' does not have; expected the feature kept, or the service "
                        + "applied without it");
        // Applied together with the service that no longer uses it, the view is fine.
        assertThat(features.apply(dir.resolve("defs"), "test").created()).isEqualTo(2);
    }

    @Test
    void aFeatureNamedLikeAJoinKeyAndANameOfAnotherKindInTheRegistryAreRefused() {
        fixture.example();
        CairnException e = applyFails("""
                sources:
                  - name: customer
                    path: orders.csv
                    event_timestamp: ordered_at
                feature_views:
                  - name: ids
                    entities: [customer]
                    source: orders
                    features: [customer_id, ordered_at]
                """);
        String defs = dir.resolve("bad/defs.yaml").toString();
        assertThat(e.getMessage().lines().toList()).containsExactly(
                defs + " line 2, sources.customer: 'customer' is the name of an entity in the registry; expected a name no other kind "
                        + "of definition has",
                defs + " line 6, feature_views.ids: feature 'customer_id' of feature view 'ids' has the name of a join key of entity "
                        + "'customer'; expected another name (name: customer_id_value, column: customer_id)",
                defs + " line 6, feature_views.ids: feature 'ordered_at' of feature view 'ids' has the name of the event timestamp; "
                        + "expected another name (name: ordered_at_value, column: ordered_at)");
    }

    @Test
    void jdbcSourcesKeepTheirPasswordOutAndRelativeSqliteFilesResolve() {
        fixture.example();
        fixture.write("db/defs.yaml", """
                sources:
                  - name: shop
                    jdbc: jdbc:sqlite:shop.db
                    query: SELECT * FROM orders;
                    user: reader
                    password_env: SHOP_PASSWORD
                    event_timestamp: ordered_at
                    created_timestamp: loaded_at
                """);
        features.apply(dir.resolve("db"), "test");
        SourceDefinition shop = (SourceDefinition) features.definition(features.show("shop", null));
        assertThat(shop.location()).isEqualTo(new SourceDefinition.JdbcLocation("jdbc:sqlite:" + dir.resolve("db/shop.db"), null,
                "SELECT * FROM orders", "reader", "SHOP_PASSWORD"));
        assertThat(shop.createdTimestamp()).isEqualTo("loaded_at");

        CairnException e = applyFails("""
                sources:
                  - name: bad
                    jdbc: jdbc:sqlite:x.db
                    table: t
                    query: DELETE FROM t
                    format: csv
                    password_env: "not a variable"
                    event_timestamp: t
                """);
        assertThat(e.getMessage()).contains("line 5, sources.bad: a JDBC source has a table or a query, not both")
                .contains("line 6, sources.bad.format: 'format' is for a file source; this source is a database (jdbc)");
    }

    @Test
    void anEmptyOrMissingPathIsAClearError() {
        assertThatThrownBy(() -> features.apply(dir.resolve("nothing"), "test"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        fixture.write("empty/readme.txt", "no yaml here");
        assertThatThrownBy(() -> features.apply(dir.resolve("empty"), "test"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("definition files (.yaml or .yml)"));
        CairnException e = applyFails("# nothing\n");
        assertThat(e.getMessage()).endsWith("line 1: the definition file is empty; expected a mapping with entities, sources, "
                + "feature_views, feature_services");
    }
}
