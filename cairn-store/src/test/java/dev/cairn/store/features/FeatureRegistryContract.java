package dev.cairn.store.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.AppliedFeatureDefinition;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.features.FeatureDefinitionDraft;
import dev.cairn.core.features.FeatureKind;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link FeatureRegistry} does, run against SQLite and PostgreSQL. */
abstract class FeatureRegistryContract {

    static final String ARTIFACT_ROOT = "file:///tmp/cairn-features-contract-artifacts";

    private MetadataStore metadata;
    FeatureRegistry registry;

    protected abstract String newStoreUri();

    @BeforeEach
    void open() {
        metadata = Stores.openMetadata(newStoreUri(), ARTIFACT_ROOT);
        registry = metadata.features();
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    private static FeatureDefinitionDraft draft(String name, FeatureKind kind, String body) {
        return new FeatureDefinitionDraft(name, kind, body, "defs/" + name + ".yaml");
    }

    @Test
    void aFirstApplyStoresVersionOneWithTheBodysSha256() {
        List<AppliedFeatureDefinition> applied = registry.apply(List.of(
                draft("customer", FeatureKind.ENTITY, "{\"join_keys\":[\"customer_id\"]}"),
                draft("spend", FeatureKind.FEATURE_VIEW, "{\"source\":\"sales\"}")), "ana");

        assertThat(applied).extracting(AppliedFeatureDefinition::created).containsExactly(true, true);
        FeatureDefinition customer = applied.getFirst().definition();
        assertThat(customer.version()).isEqualTo(1);
        assertThat(customer.kind()).isEqualTo(FeatureKind.ENTITY);
        assertThat(customer.sha256()).isEqualTo(Sha256.of("{\"join_keys\":[\"customer_id\"]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(customer.body()).isEqualTo("{\"join_keys\":[\"customer_id\"]}");
        assertThat(customer.source()).isEqualTo("defs/customer.yaml");
        assertThat(customer.createdBy()).isEqualTo("ana");
        assertThat(registry.get("customer")).contains(customer);
        assertThat(registry.get("customer", 1)).contains(customer);
        assertThat(registry.get("nobody")).isEmpty();
        assertThat(registry.get("customer", 2)).isEmpty();
        assertThat(registry.versions("nobody")).isEmpty();
    }

    @Test
    void applyingAnUnchangedDefinitionCreatesNoVersionAndAChangedOneTheNext() {
        registry.apply(List.of(draft("customer", FeatureKind.ENTITY, "{\"a\":1}")), "ana");

        AppliedFeatureDefinition again = registry.apply(List.of(draft("customer", FeatureKind.ENTITY, "{\"a\":1}")), "bob").getFirst();
        assertThat(again.created()).isFalse();
        assertThat(again.definition().version()).isEqualTo(1);
        assertThat(again.definition().createdBy()).isEqualTo("ana");
        assertThat(registry.versions("customer")).hasSize(1);

        AppliedFeatureDefinition changed = registry.apply(List.of(draft("customer", FeatureKind.ENTITY, "{\"a\":2}")), "bob").getFirst();
        assertThat(changed.created()).isTrue();
        assertThat(changed.definition().version()).isEqualTo(2);
        assertThat(registry.get("customer")).map(FeatureDefinition::body).contains("{\"a\":2}");
        assertThat(registry.get("customer", 1)).map(FeatureDefinition::body).contains("{\"a\":1}");

        // Back to the first body: a new version (3), not version 1 again; versions only grow.
        AppliedFeatureDefinition back = registry.apply(List.of(draft("customer", FeatureKind.ENTITY, "{\"a\":1}")), "ana").getFirst();
        assertThat(back.definition().version()).isEqualTo(3);
        assertThat(registry.versions("customer")).extracting(FeatureDefinition::version).containsExactly(1L, 2L, 3L);
    }

    @Test
    void listGivesTheLatestVersionOfEveryNameByKindThenName() {
        registry.apply(List.of(
                draft("churn", FeatureKind.FEATURE_SERVICE, "{}"),
                draft("spend", FeatureKind.FEATURE_VIEW, "{\"v\":1}"),
                draft("sales", FeatureKind.SOURCE, "{}"),
                draft("store", FeatureKind.ENTITY, "{}"),
                draft("customer", FeatureKind.ENTITY, "{}")), "ana");
        registry.apply(List.of(draft("spend", FeatureKind.FEATURE_VIEW, "{\"v\":2}")), "ana");

        assertThat(registry.list()).extracting(FeatureDefinition::name)
                .containsExactly("customer", "store", "sales", "spend", "churn");
        assertThat(registry.list()).filteredOn(d -> d.name().equals("spend")).extracting(FeatureDefinition::version).containsExactly(2L);
    }

    @Test
    void aNameOfAnotherKindRefusesTheWholeApply() {
        registry.apply(List.of(draft("customer", FeatureKind.ENTITY, "{}")), "ana");

        assertThatThrownBy(() -> registry.apply(List.of(
                draft("orders", FeatureKind.SOURCE, "{}"),
                draft("customer", FeatureKind.FEATURE_VIEW, "{}")), "ana"))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("'customer'").contains("entity");
                });
        assertThat(registry.get("orders")).as("nothing of a refused apply is stored").isEmpty();
        assertThat(registry.versions("customer")).hasSize(1);
    }

    @Test
    void aNameTwiceInOneApplyOrAMalformedNameIsRefused() {
        assertThatThrownBy(() -> registry.apply(List.of(
                draft("customer", FeatureKind.ENTITY, "{}"), draft("customer", FeatureKind.ENTITY, "{\"b\":1}")), "ana"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "definitions[1].name"));
        for (String bad : List.of("", " spaced", "-leading", "new\nline", "x".repeat(129))) {
            assertThatThrownBy(() -> registry.apply(List.of(draft(bad, FeatureKind.ENTITY, "{}")), "ana"))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        }
        assertThatThrownBy(() -> registry.get("customer", 0))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "version"));
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void concurrentAppliesOfOneNameNumberTheirVersionsOneAfterTheOther() throws Exception {
        int threads = 4;
        int appliesEach = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(42 + thread);
                    List<Long> versions = new ArrayList<>();
                    for (int i = 0; i < appliesEach; i++) {
                        String body = "{\"thread\":" + thread + ",\"i\":" + i + ",\"r\":" + random.nextInt() + "}";
                        versions.add(registry.apply(List.of(draft("spend", FeatureKind.FEATURE_VIEW, body)), "t" + thread)
                                .getFirst().definition().version());
                    }
                    return versions;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) all.addAll(f.get());
            Collections.sort(all);
            List<Long> expected = new ArrayList<>();
            for (long v = 1; v <= threads * appliesEach; v++) expected.add(v);
            assertThat(all).isEqualTo(expected);
            assertThat(registry.versions("spend")).hasSize(threads * appliesEach);
        } finally {
            pool.shutdownNow();
        }
    }
}
