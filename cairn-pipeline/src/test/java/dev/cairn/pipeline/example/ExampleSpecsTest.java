package dev.cairn.pipeline.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.DataValidation;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.FieldSpec;
import dev.cairn.data.schema.Severity;
import dev.cairn.data.schema.SpecYaml;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.pipeline.schedule.CatchUp;
import dev.cairn.pipeline.schedule.Trigger;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.tune.Candidates;
import dev.cairn.train.tune.SearchSpace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's pipeline specs parse; the schema and the search space they name load with cairn-data's and
 * cairn-train's own readers; the schema fits the master data's views, and its channel-mix check warns once the
 * data drifts; every query the specs run works on the master data.
 */
class ExampleSpecsTest {
    static final LocalDate START = LocalDate.of(2024, 3, 1);

    @TempDir
    static Path dir;
    static String url;

    @BeforeAll
    static void makeTheShop() {
        url = "jdbc:sqlite:" + dir.resolve("master.db");
        MasterData data = MasterData.create(url, MasterData.Settings.of(42, START).withHistoryDays(90));
        data.addCustomers(START, 10);
        data.advanceDay(START.plusDays(14)); // their labels are known now
    }

    static String resource(String name) {
        try (InputStream in = MasterData.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static PipelineSpec spec(String name) {
        return PipelineSpec.parse(resource(name), name);
    }

    /** The SQL every read step of a spec runs: its query and its fingerprint. */
    static List<String> queries(PipelineSpec spec) {
        List<String> queries = new ArrayList<>();
        for (Step step : spec.steps()) {
            if (step.with().get("query") instanceof String q) queries.add(q);
            if (step.with().get("fingerprint") instanceof String f) queries.add(f);
        }
        for (Trigger.DataChange data : spec.triggers(Trigger.DataChange.class)) {
            if (data.fingerprint() != null) queries.add(data.fingerprint());
        }
        return queries;
    }

    @Test
    void theNightlyPipelineReadsValidatesAndScoresEveryCustomerWithTheChampion() {
        PipelineSpec spec = spec("nightly.yaml");
        assertThat(spec.name()).isEqualTo("nightly");
        assertThat(spec.parameters()).containsExactly(Map.entry("database", MasterData.DEFAULT_URL),
                Map.entry("model", "models:/credit-risk@champion"));
        assertThat(spec.triggers()).containsExactly(
                new Trigger.Schedule("0 2 * * *", ZoneId.of("Europe/Berlin"), CatchUp.LATEST), new Trigger.Manual());
        assertThat(spec.order().stream().map(Step::id)).containsExactly("read", "validate", "score");
        assertThat(spec.step("read").with()).containsEntry("source", "${params.database}")
                .containsEntry("query", "SELECT * FROM " + MasterData.FEATURE_VIEW);
        assertThat(spec.step("validate").with()).containsEntry("schema", "schema.yaml").containsEntry("env", "SERVING");
        assertThat(spec.step("score").with()).containsEntry("model", "${params.model}")
                .containsEntry("output", "${params.database}").containsEntry("table", "customer_scores")
                .containsEntry("id", "customer_id").containsEntry("deployment", "credit-risk");
    }

    @Test
    void theRetrainPipelineTunesEvaluatesAgainstTheChampionAndShipsACanaryOrTheFirstRelease() {
        PipelineSpec spec = spec("retrain.yaml");
        assertThat(spec.parameters()).containsEntry("database", MasterData.DEFAULT_URL).containsEntry("min_precision", 0.6);
        assertThat(spec.triggers()).containsExactly(
                new Trigger.Schedule("0 3 * * SUN", ZoneId.of("Europe/Berlin"), CatchUp.NONE),
                new Trigger.Alert("credit-risk", List.of("input-drift", "channel-drift", "estimated-precision-low")),
                new Trigger.DataChange("read", Duration.ofHours(1), "SELECT count(class) / 500 AS labelled_500s FROM customers"),
                new Trigger.Manual());
        assertThat(spec.order().stream().map(Step::id)).containsExactly("read", "holdout", "validate", "tune", "evaluate",
                "register", "canary", "promote", "first-release", "first-deploy", "tell-canary", "tell-first-release",
                "tell-not-blessed");
        assertThat((String) spec.step("read").with().get("fingerprint")).contains("FROM master_clock").contains("count(class) FROM customers")
                .contains("max(sold_at) FROM sales").isEqualTo(spec.step("holdout").with().get("fingerprint"));
        assertThat(spec.step("tune").with()).containsEntry("space", "space.yaml").containsEntry("label", "class")
                .containsEntry("drop", List.of("customer_id"));
        assertThat(spec.step("evaluate").with()).containsEntry("business_metric", "precision")
                .containsEntry("against", "champion").containsEntry("data", "${steps.holdout.outputs.table}");
        assertThat(spec.step("canary").condition().text()).isEqualTo("${steps.evaluate.outputs.has_champion}");
        assertThat(spec.step("first-release").condition().text()).isEqualTo("!${steps.evaluate.outputs.has_champion}");
        assertThat(spec.step("promote").condition().text()).isEqualTo("${steps.canary.outputs.promoted}");
        assertThat(spec.downstream("evaluate")).contains("register", "canary", "first-release", "tell-not-blessed");
    }

    @Test
    void theSchemaAndTheSearchSpaceLoadWithTheProjectsReaders() {
        DataSpec schema = SpecYaml.read(resource("schema.yaml"), "schema.yaml");
        List<String> columns = Db.rows(url, "SELECT * FROM training_examples LIMIT 1").getFirst().keySet().stream().toList();
        assertThat(schema.fields().stream().map(FieldSpec::name)).containsExactlyElementsOf(columns);
        assertThat(schema.field("class").orElseThrow().environments()).containsExactly("TRAINING");

        SearchSpace space = SearchSpace.parse(resource("space.yaml"), "space.yaml");
        assertThat(space.algorithm()).isEqualTo(Algorithm.XGBOOST);
        assertThat(Candidates.of(space)).hasSize(4);

        // Every file a spec names is next to it.
        for (String name : List.of("nightly.yaml", "retrain.yaml")) {
            for (Step step : spec(name).steps()) {
                for (String key : List.of("schema", "space")) {
                    if (step.with().get(key) instanceof String file) assertThat(resource(file)).as(name + " " + key).isNotBlank();
                }
            }
        }
    }

    @Test
    void theMasterDataPassesTheSchemaForServingAndForTraining() {
        DataSpec schema = SpecYaml.read(resource("schema.yaml"), "schema.yaml");
        DataValidation data = new DataValidation();
        ValidationResult serving = data.validate(new JdbcSource(url, null, null, "SELECT * FROM customer_features"),
                schema, "SERVING", MetricsHistory.NONE);
        assertThat(serving.failures()).isEmpty();
        assertThat(serving.rowCount()).isEqualTo(1010);
        ValidationResult training = data.validate(new JdbcSource(url, null, null, "SELECT * FROM training_examples"),
                schema, "TRAINING", MetricsHistory.NONE);
        assertThat(training.failures()).isEmpty();
        assertThat(training.rowCount()).isEqualTo(1010);
    }

    @Test
    void onceTheShopDriftsTheChannelMixCheckWarnsWithoutFailingTheNight(@TempDir Path other) {
        String drifting = "jdbc:sqlite:" + other.resolve("drifting.db");
        MasterData data = MasterData.create(drifting, MasterData.Settings.of(42, START).withHistoryDays(90));
        data.switchDrift(START);
        data.advanceDay(START.plusDays(19));
        ValidationResult serving = new DataValidation().validate(new JdbcSource(drifting, null, null,
                "SELECT * FROM customer_features"), SpecYaml.read(resource("schema.yaml"), "schema.yaml"), "SERVING",
                MetricsHistory.NONE);
        assertThat(serving.success()).isTrue();
        assertThat(serving.failures(Severity.WARNING)).extracting(CheckResult::name)
                .containsExactly("the channel mix the model was trained on (a third of purchases online)");
    }

    @Test
    void theTablesReadWithCairnDataTimestampsAsTimestampsAndAmountsAsNumbers() {
        DatasetProfile sales = new DataValidation().profile(new JdbcSource(url, null, null, "sales"));
        assertThat(sales.column("sold_at").orElseThrow().kind()).isEqualTo(ColumnKind.TEMPORAL);
        assertThat(sales.column("sold_at").orElseThrow().missing()).isZero();
        assertThat(sales.column("amount").orElseThrow().kind()).isEqualTo(ColumnKind.NUMERIC);
        assertThat(sales.rowCount()).isEqualTo((long) Db.number(url, "SELECT COUNT(*) FROM sales"));
        DatasetProfile customers = new DataValidation().profile(new JdbcSource(url, null, null, "customers"));
        assertThat(customers.column("registered_at").orElseThrow().kind()).isEqualTo(ColumnKind.TEMPORAL);
    }

    @Test
    void everyQueryOfTheSpecsRunsOnTheMasterData() {
        for (String name : List.of("nightly.yaml", "retrain.yaml")) {
            for (String query : queries(spec(name))) assertThat(Db.rows(url, query)).as(name + ": " + query).isNotEmpty();
        }
        double held = Db.number(url, "SELECT COUNT(*) FROM training_examples WHERE customer_id % 5 = 0");
        assertThat(held).isBetween(150.0, 260.0);
    }
}
