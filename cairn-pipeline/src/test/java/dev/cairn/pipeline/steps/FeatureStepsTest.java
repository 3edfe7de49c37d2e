package dev.cairn.pipeline.steps;

import static dev.cairn.core.pipeline.LineageEdge.Direction.INPUT;
import static dev.cairn.core.pipeline.LineageEdge.Direction.OUTPUT;
import static dev.cairn.pipeline.steps.StepFixture.assertDeclaredOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.online.OnlineStore;
import dev.cairn.features.online.OnlineStores;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Edge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps on the feature store with real components: a tune step on a feature service (the credit data as a view of
 * application attributes), its cache key following the training set's content, and the materialize step.
 */
class FeatureStepsTest {
    static final String DEFINITIONS = """
            entities:
              - name: customer
                join_keys: [customer_id]
            sources:
              - name: applications
                path: applications.csv
                event_timestamp: applied_at
            feature_views:
              - name: application
                entities: [customer]
                source: applications
                features: [checking_status, duration, credit_history, credit_amount, savings_status, age]
            feature_services:
              - name: credit
                features: [application]
            """;

    @TempDir
    Path dir;
    StepFixture fixture;
    FeatureStore features;

    @BeforeEach
    void open() throws Exception {
        fixture = new StepFixture(dir);
        List<String> lines = Files.readAllLines(StepFixture.CREDIT);
        List<String> applications = new ArrayList<>(List.of(lines.getFirst().replace(",class", "") + ",applied_at"));
        List<String> labels = new ArrayList<>(List.of("customer_id,labelled_at,class"));
        for (String line : lines.subList(1, 401)) {
            int cut = line.lastIndexOf(',');
            applications.add(line.substring(0, cut) + ",2024-01-01T00:00:00");
            labels.add(line.substring(0, line.indexOf(',')) + ",2024-03-01T00:00:00," + line.substring(cut + 1));
        }
        Files.write(fixture.workspaceDir.resolve("applications.csv"), applications);
        Files.write(fixture.workspaceDir.resolve("labels.csv"), labels);
        Files.writeString(fixture.workspaceDir.resolve("features.yaml"), DEFINITIONS);
        Files.writeString(fixture.workspaceDir.resolve("space.yaml"), TrainAndTuneStepTest.SPACE);
        features = new FeatureStore(fixture.store.features(), FeatureStore.unconfined(), Map.<String, String>of()::get);
        features.apply(fixture.workspaceDir.resolve("features.yaml"), "test");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private static Map<String, Object> tuneOnTheService() {
        return Map.of("feature_service", "credit", "entities", "labels.csv", "timestamp_column", "labelled_at", "label", "class",
                "positive_class", "bad", "space", "space.yaml", "experiment", "credit-features", "seed", 3);
    }

    @Test
    void tuningOnAFeatureServiceRecordsTheServiceAndItsViewsOnTheRunAndInTheLineage() throws Exception {
        Attempt a = fixture.attempt(StepType.TUNE, "tune", tuneOnTheService());
        StepResult result = new TuneStep().run(a.context());

        assertDeclaredOutputs(StepType.TUNE, result);
        String runId = (String) result.outputs().get("run_id");
        String set = (String) result.outputs().get("training_set");
        assertThat(set).startsWith("snapshot:");
        assertThat(fixture.tags(runId)).containsEntry("cairn.features.service", "credit").containsEntry("cairn.features.views", "application:1")
                .containsEntry(StepRuns.TAG_DATA, set).containsEntry(SystemTags.PARENT_RUN_ID, a.stepRunId());
        assertThat(fixture.tracking.runs().getRun(runId).inputs()).extracting(i -> i.dataset().name()).contains("application v1");
        assertThat(fixture.tracking.runs().getRun(runId).data().params())
                .anySatisfy(p -> assertThat(p.key() + "=" + p.value()).isEqualTo("drop_columns=customer_id,labelled_at"));
        FeatureDefinition service = features.show("credit", 1L);
        FeatureDefinition view = features.show("application", 1L);
        assertThat(a.sink().inputs()).contains(new Edge(INPUT, "feature_service", "feature_service:credit/1", service.sha256()),
                new Edge(INPUT, "feature_view", "feature_view:application/1", view.sha256()),
                new Edge(INPUT, "file", fixture.workspaceDir.resolve("labels.csv").toUri().toString(), null));
        assertThat(a.sink().outputs()).contains(new Edge(OUTPUT, "snapshot", set, set.substring("snapshot:".length())),
                new Edge(OUTPUT, "run", "runs:/" + runId, null));
    }

    @Test
    void evaluateOnTheFeatureServiceJudgesTheModelOnTheSetTrainBuildsForTheSameRows() throws Exception {
        Map<String, Object> onTheService = Map.of("feature_service", "credit", "entities", "labels.csv", "timestamp_column", "labelled_at",
                "label", "class", "positive_class", "bad");
        Map<String, Object> train = new java.util.HashMap<>(onTheService);
        train.putAll(Map.of("algorithm", "logistic_regression", "experiment", "credit-features", "seed", 3));
        StepResult trained = new TrainStep().run(fixture.attempt(StepType.TRAIN, "train", train).context());
        Map<String, Object> evaluate = new java.util.HashMap<>(onTheService);
        evaluate.put("model", trained.outputs().get("model"));

        Attempt a = fixture.attempt(StepType.EVALUATE, "evaluate", evaluate);
        StepResult result = new EvaluateStep().run(a.context());
        assertDeclaredOutputs(StepType.EVALUATE, result);
        // The same service, rows and time column: the same point-in-time set, built by the train step's code.
        assertThat(result.outputs().get("evaluation_set")).isEqualTo(trained.outputs().get("training_set"));
        assertThat((Double) result.outputs().get("metric")).isNotNull().isBetween(0.0, 1.0);
        assertThat(a.sink().inputs()).contains(new Edge(INPUT, "feature_view", "feature_view:application/1",
                features.show("application", 1L).sha256()));
        // Its cache key follows the set's content too (beside the champion's version: none here).
        List<String> key = new EvaluateStep().cacheKeyParts(fixture.attempt(StepType.EVALUATE, "evaluate", evaluate).context());
        assertThat(key).hasSize(4).contains("none").containsAll(new TrainStep().cacheKeyParts(
                fixture.attempt(StepType.TRAIN, "train", train).context()));

        evaluate.put("feature_service", "credt");
        assertThatThrownBy(() -> new EvaluateStep().run(fixture.attempt(StepType.EVALUATE, "evaluate", evaluate).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.evaluate.with.feature_service").hasMessageContaining("credit");
    }

    @Test
    void theCacheKeyFollowsTheTrainingSetsContentNotJustTheSpec() throws Exception {
        List<String> first = new TuneStep().cacheKeyParts(fixture.attempt(StepType.TUNE, "tune", tuneOnTheService()).context());
        List<String> again = new TrainStep().cacheKeyParts(fixture.attempt(StepType.TRAIN, "train", tuneOnTheService()).context());
        assertThat(first).hasSize(3).isEqualTo(again);

        // The source changes (the spec does not name it): an application row with another age.
        Path source = fixture.workspaceDir.resolve("applications.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(source));
        lines.set(1, lines.get(1).replace(",67,", ",68,"));
        Files.write(source, lines);
        assertThat(new TuneStep().cacheKeyParts(fixture.attempt(StepType.TUNE, "tune", tuneOnTheService()).context())).isNotEqualTo(first);
        // A step on data adds nothing: its data is in its with.
        assertThat(new TrainStep().cacheKeyParts(fixture.attempt(StepType.TRAIN, "t", Map.of("data", "x.csv", "label", "y")).context()))
                .isEmpty();
    }

    @Test
    void materializeWritesTheViewsAsOfTheRunIntoAnEmbeddedStoreBesideTheSpec() throws Exception {
        Attempt a = fixture.attempt(StepType.MATERIALIZE, "materialize", Map.of("online", "sqlite:online.db"));
        StepResult result = new MaterializeStep().run(a.context());

        assertDeclaredOutputs(StepType.MATERIALIZE, result);
        assertThat(result.outputs()).containsEntry("views", 1L).containsEntry("entities", 400L)
                .containsEntry("as_of", StepFixture.NOW.toString());
        Path file = fixture.workspaceDir.resolve("online.db");
        assertThat(a.sink().inputs()).containsExactly(new Edge(INPUT, "feature_view", "feature_view:application/1",
                features.show("application", 1L).sha256()));
        assertThat(a.sink().outputs()).hasSize(1).first().satisfies(e -> assertThat(e.uri()).contains(file.toString()));
        try (OnlineStore online = OnlineStores.open("sqlite:" + file)) {
            Map<String, Object> row = features.online(online, "credit", List.of(Map.of("customer_id", 100001)), StepFixture.NOW).getFirst();
            assertThat(row).containsEntry("checking_status", "<0");
            assertThat(((Number) row.get("credit_amount")).longValue()).isEqualTo(1169);
        }
        // Again: nothing new since the watermark.
        StepResult again = new MaterializeStep().run(fixture.attempt(StepType.MATERIALIZE, "materialize",
                Map.of("online", "sqlite:online.db", "as_of", "2026-03-02")).context());
        assertThat(again.outputs()).containsEntry("entities", 0L).containsEntry("as_of", Instant.parse("2026-03-02T00:00:00Z").toString());
    }

    @Test
    void inTheServersConfinedWorkspaceMaterializeWritesOnlyToStoresTheServerAllows() throws Exception {
        fixture.workspace(new Workspace(fixture.workspaceDir, true, List.of(), List.of(), false));
        assertThatThrownBy(() -> new MaterializeStep().run(fixture.attempt(StepType.MATERIALIZE, "m",
                Map.of("online", "redis://attacker.example:6379")).context())).isInstanceOf(CairnException.class)
                .hasMessageContaining("steps.m.with.online").hasMessageContaining("--pipeline-jdbc-prefix");
        assertThatThrownBy(() -> new MaterializeStep().run(fixture.attempt(StepType.MATERIALIZE, "m",
                Map.of("online", "sqlite:/tmp/elsewhere/online.db")).context())).isInstanceOf(CairnException.class)
                .hasMessageContaining("steps.m.with.online");
        // Allowed by prefix: the step goes on to open the store (none listens there, so it fails opening, not on the check).
        fixture.workspace(new Workspace(fixture.workspaceDir, true, List.of(), List.of("redis://127.0.0.1:1/"), false));
        assertThatThrownBy(() -> new MaterializeStep().run(fixture.attempt(StepType.MATERIALIZE, "m",
                Map.of("online", "redis://127.0.0.1:1/")).context())).isInstanceOf(CairnException.class)
                .hasMessageNotContaining("--pipeline-jdbc-prefix");
        fixture.workspace(new Workspace(fixture.workspaceDir, true, List.of(), List.of(), false));
        StepResult embedded = new MaterializeStep().run(fixture.attempt(StepType.MATERIALIZE, "m", Map.of("online", "sqlite:online.db")).context());
        assertThat(embedded.outputs()).containsEntry("entities", 400L);
    }

    @Test
    void withoutARegistryOrWithBadInputTheStepsSaySoNamingTheField() throws Exception {
        StepContext noRegistry = new StepContext(fixture.attempt(StepType.MATERIALIZE, "m", Map.of()).context().run(),
                StepFixture.step(StepType.MATERIALIZE, "m", Map.of("online", "sqlite:online.db")), Map.of("online", "sqlite:online.db"),
                null, 1, fixture.services().withFeatures(null), dir.resolve("scratch/m"), new StepFixture.Sink(), () -> false);
        assertThatThrownBy(() -> new MaterializeStep().run(noRegistry)).isInstanceOf(CairnException.class)
                .hasMessageContaining("steps.m.with.online").hasMessageContaining("no feature registry");
        assertThatThrownBy(() -> new TuneStep().run(fixture.attempt(StepType.TUNE, "tune", Map.of("feature_service", "credt",
                "entities", "labels.csv", "timestamp_column", "labelled_at", "label", "class", "space", "space.yaml")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.tune.with.feature_service").hasMessageContaining("credit");
        assertThatThrownBy(() -> new TrainStep().run(fixture.attempt(StepType.TRAIN, "train", Map.of("feature_service", "credit",
                "entities", "labels.csv", "label", "class")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.train.with.timestamp_column").hasMessageContaining("labelled_at");
        assertThatThrownBy(() -> new MaterializeStep().run(fixture.attempt(StepType.MATERIALIZE, "m", Map.of("online", "sqlite:online.db",
                "as_of", "yesterday")).context())).isInstanceOf(CairnException.class).hasMessageContaining("steps.m.with.as_of");
    }
}
