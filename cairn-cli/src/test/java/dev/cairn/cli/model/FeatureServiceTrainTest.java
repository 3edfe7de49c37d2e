package dev.cairn.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn train} and {@code cairn tune} on a feature service: the training set is built for the entity rows, kept
 * where asked, trained on without the join keys and the time, and the run records the service and views at their
 * versions; {@code --data} and {@code --feature-service} exclude each other.
 */
class FeatureServiceTrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFINITIONS = """
            entities:
              - name: customer
                join_keys: [customer_id]
            sources:
              - name: orders
                path: orders.csv
                event_timestamp: ordered_at
            feature_views:
              - name: customer_orders
                entities: [customer]
                source: orders
                features:
                  - {name: orders_30d, aggregation: count, window: 30d}
                  - {name: spend_90d, aggregation: sum, column: amount, window: 90d}
                  - {name: last_amount, column: amount}
            feature_services:
              - name: churn
                features: [customer_orders]
            """;

    @TempDir Path dir;
    String store;
    String artifacts;

    @BeforeEach
    void data() throws Exception {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("features.yaml"), DEFINITIONS);
        // 200 customers; those who churn (label 1) buy less and less often. Seeded.
        Random random = new Random(7);
        StringBuilder orders = new StringBuilder("customer_id,ordered_at,amount\n");
        StringBuilder labels = new StringBuilder("customer_id,event_timestamp,label\n");
        LocalDate asOf = LocalDate.of(2024, 6, 1);
        for (int c = 1; c <= 200; c++) {
            int label = random.nextDouble() < 0.4 ? 1 : 0;
            int n = label == 1 ? random.nextInt(4) : 2 + random.nextInt(8);
            for (int i = 0; i < n; i++) {
                orders.append(c).append(',').append(asOf.minusDays(1 + random.nextInt(120))).append(',')
                        .append(label == 1 ? 5 + random.nextInt(20) : 10 + random.nextInt(90)).append('\n');
            }
            labels.append(c).append(',').append(asOf).append(',').append(label).append('\n');
        }
        Files.writeString(defs.resolve("orders.csv"), orders);
        Files.writeString(dir.resolve("labels.csv"), labels);
        assertThat(cairn("features", "apply", defs.toString()).exitCode()).isZero();
    }

    private CliRunner.Result cairn(String... args) {
        return CliRunner.runOn(store, artifacts, args);
    }

    @Test
    void trainOnAFeatureServiceRecordsTheSetAsTheDatasetAndTheViewsAtTheirVersions() throws Exception {
        Path set = dir.resolve("sets/churn.parquet");
        var result = cairn("train", "--feature-service", "churn", "--entities", dir.resolve("labels.csv").toString(), "--label", "label",
                "--training-set", set.toString(), "-p", "num_boost_round=10", "--experiment", "churn", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode json = JSON.readTree(result.out());
        JsonNode trainingSet = json.get("training_set");
        assertThat(trainingSet.get("path").asText()).isEqualTo(set.toString());
        assertThat(trainingSet.get("rows").asLong()).isEqualTo(200);
        assertThat(trainingSet.get("sha256").asText()).isEqualTo(Sha256.of(set, "set"));

        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            Run run = s.runs().getRun(json.get("run_id").asText());
            assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
            Map<String, String> tags = run.data().tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
            assertThat(tags).containsEntry("cairn.features.service", "churn").containsEntry("cairn.features.views", "customer_orders:1")
                    .containsEntry("cairn.features.training_set.sha256", trainingSet.get("sha256").asText());
            DatasetInput training = run.inputs().stream().filter(i -> i.tags().contains(new Tag("mlflow.data.context", "training")))
                    .findFirst().orElseThrow();
            assertThat(training.tags()).contains(new Tag("cairn.data.sha256", trainingSet.get("sha256").asText()));
            assertThat(training.dataset().source()).contains(set.toUri().toString());
            List<String> columns = new ArrayList<>();
            JSON.readTree(training.dataset().schema()).get("columns").forEach(c -> columns.add(c.get("name").asText()));
            assertThat(columns).containsExactly("orders_30d", "spend_90d", "last_amount", "label");
            assertThat(run.inputs()).extracting(i -> i.dataset().name()).contains("customer_orders v1");
            assertThat(run.data().params()).anySatisfy(p -> {
                assertThat(p.key()).isEqualTo("drop_columns");
                assertThat(p.value()).isEqualTo("customer_id,event_timestamp");
            });
            // Which runs were trained on version 1 of the view: a search by the view's dataset input.
            String experiment = s.experiments().getExperimentByName("churn").orElseThrow().experimentId();
            assertThat(s.runs().searchRuns(List.of(experiment), "datasets.name = 'customer_orders v1'", ViewType.ACTIVE_ONLY, List.of(),
                    10, null).items()).extracting(r -> r.info().runId()).containsExactly(run.info().runId());
        }
        // The recorded set is where the run says: the training reproduces from it.
        var reproduced = cairn("reproduce", json.get("run_id").asText());
        assertThat(reproduced.exitCode()).as(reproduced.out() + reproduced.err()).isZero();
    }

    @Test
    void tuneOnAFeatureServiceRecordsTheViewsOnTheTuningRun() throws Exception {
        Path space = Files.writeString(dir.resolve("space.yaml"), """
                algorithm: xgboost
                strategy: grid
                metric: roc_auc
                folds: 2
                parallelism: 1
                seed: 7
                fixed: {num_boost_round: 10}
                params:
                  max_depth: [2, 3]
                """);
        var result = cairn("tune", "--feature-service", "churn", "--entities", dir.resolve("labels.csv").toString(), "--label", "label",
                "--training-set", dir.resolve("tune.parquet").toString(), "--space", space.toString(), "--experiment", "churn-tune", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode json = JSON.readTree(result.out());
        assertThat(json.get("training_set").get("versions").get("customer_orders").asLong()).isEqualTo(1);
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            Run parent = s.runs().getRun(json.get("parent_run_id").asText());
            assertThat(parent.data().tags()).contains(new Tag("cairn.features.service", "churn"));
            assertThat(parent.inputs()).extracting(i -> i.dataset().sourceType()).contains("feature_view");
        }
    }

    @Test
    void dataAndAFeatureServiceExcludeEachOtherAndNeitherIsRefusedBeforeAnyRun() {
        var both = cairn("train", "--data", dir.resolve("labels.csv").toString(), "--feature-service", "churn", "--entities",
                dir.resolve("labels.csv").toString(), "--label", "label", "--experiment", "refused");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--data").contains("--feature-service");
        var neither = cairn("train", "--label", "label", "--experiment", "refused");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("--data").contains("--feature-service with --entities");
        var noEntities = cairn("tune", "--feature-service", "churn", "--label", "label", "--space", "none.yaml", "--experiment", "refused");
        assertThat(noEntities.exitCode()).isEqualTo(2);
        var unknown = cairn("train", "--feature-service", "chrun", "--entities", dir.resolve("labels.csv").toString(), "--label", "label",
                "--training-set", dir.resolve("x.parquet").toString(), "--experiment", "refused");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("chrun").contains("churn");
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            assertThat(s.experiments().getExperimentByName("refused")).isEmpty();
            var experiments = s.experiments().searchExperiments(ViewType.ALL, null, List.of(), 100, null).items().stream()
                    .map(e -> e.experimentId()).toList();
            assertThat(s.runs().searchRuns(experiments, null, ViewType.ALL, List.of(), 100, null).items()).isEmpty();
        }
    }
}
