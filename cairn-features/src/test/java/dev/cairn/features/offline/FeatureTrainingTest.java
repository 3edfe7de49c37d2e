package dev.cairn.features.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a training from a feature service records: the service and views at their definition versions (tags, dataset
 * inputs, lineage URIs), and the columns a model must not learn (join keys and the time; the label stays).
 */
class FeatureTrainingTest {
    @TempDir
    Path dir;
    FeatureFixture fixture;

    @BeforeEach
    void open() {
        fixture = new FeatureFixture(dir).example();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private FeatureTraining build() {
        return fixture.features.forTraining("churn", FileSource.of(dir.resolve("entities.csv")), "event_timestamp",
                dir.resolve("sets/churn.parquet"), Progress.NONE);
    }

    @Test
    void namesTheServiceAndEveryViewAtTheVersionsTheSetWasBuiltFrom() {
        FeatureTraining training = build();

        assertThat(training.set().versions()).containsEntry("churn", 1L).containsEntry("customer_orders", 1L);
        assertThat(training.tags())
                .containsEntry(FeatureTraining.TAG_SERVICE, "churn")
                .containsEntry(FeatureTraining.TAG_SERVICE_VERSION, "1")
                .containsEntry(FeatureTraining.TAG_VIEWS, "customer_profile:1,customer_orders:1")
                .containsEntry(FeatureTraining.TAG_ENTITY_KEYS, "customer_id")
                .containsEntry(FeatureTraining.TAG_TIMESTAMP_COLUMN, "event_timestamp")
                .containsEntry(FeatureTraining.TAG_TRAINING_SET, training.set().sha256());
        assertThat(training.used()).extracting(FeatureTraining.Used::uri)
                .containsExactly("feature_service:churn/1", "feature_view:customer_profile/1", "feature_view:customer_orders/1");
        assertThat(training.used()).allSatisfy(u -> assertThat(u.sha256()).hasSize(64));

        assertThat(training.inputs()).hasSize(2);
        DatasetInput orders = training.inputs().get(1);
        assertThat(orders.dataset().name()).isEqualTo("customer_orders v1");
        assertThat(orders.dataset().sourceType()).isEqualTo("feature_view");
        assertThat(orders.dataset().digest()).isEqualTo(fixture.features.show("customer_orders", 1L).sha256().substring(0, 32));
        assertThat(orders.dataset().source()).contains("\"uri\":\"feature_view:customer_orders/1\"").contains("\"source\":\"orders\"");
        assertThat(orders.dataset().schema()).contains("orders_30d").contains("max_amount_90d");
        assertThat(orders.tags()).containsExactly(new Tag(SystemTags.DATASET_CONTEXT, FeatureTraining.CONTEXT_VIEW));
    }

    @Test
    void theJoinKeysAndTheTimeAreNotFeaturesTheLabelIs() {
        FeatureTraining training = build();
        assertThat(training.notFeatures()).containsExactly("customer_id", "event_timestamp");
        assertThat(training.drop(List.of("label_note", "customer_id"))).containsExactly("label_note", "customer_id", "event_timestamp");
        assertThat(training.drop(null)).doesNotContain("label");
    }

    @Test
    void aChangedViewIsANewVersionAndTheNextTrainingSaysSo() {
        FeatureTraining first = build();
        fixture.write("defs/features.yaml", FeatureFixture.DEFINITIONS.replace("ttl: 180d", "ttl: 90d"));
        fixture.features.apply(dir.resolve("defs"), "test");

        FeatureTraining second = build();
        assertThat(second.tags()).containsEntry(FeatureTraining.TAG_VIEWS, "customer_profile:2,customer_orders:1");
        assertThat(second.inputs().get(0).dataset().digest()).isNotEqualTo(first.inputs().get(0).dataset().digest());
        assertThat(second.inputs().get(1).dataset().digest()).isEqualTo(first.inputs().get(1).dataset().digest());
    }
}
