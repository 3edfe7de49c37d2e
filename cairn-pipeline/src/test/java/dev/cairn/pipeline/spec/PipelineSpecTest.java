package dev.cairn.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.pipeline.schedule.CatchUp;
import dev.cairn.pipeline.schedule.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Good specs: the example pipelines of issue 12, order, upstream, references, hashes, reading files. */
class PipelineSpecTest {

    static String resource(String name) {
        try (InputStream in = PipelineSpecTest.class.getResourceAsStream("/pipelines/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Path resourcePath(String name) {
        try {
            return Path.of(PipelineSpecTest.class.getResource("/pipelines/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> ids(List<Step> steps) {
        return steps.stream().map(Step::id).toList();
    }

    @Test
    void theNightlyPipelineReadsValidatesAndScores() {
        PipelineSpec spec = PipelineSpec.parse(resource("nightly.yaml"), "nightly.yaml");
        assertThat(spec.name()).isEqualTo("nightly");
        assertThat(spec.source()).isEqualTo("nightly.yaml");
        assertThat(spec.parameters()).containsExactly(Map.entry("data", "jdbc:sqlite:master.db"),
                Map.entry("model", "models:/credit-risk@champion"));
        assertThat(spec.triggers()).containsExactly(
                new Trigger.Schedule("0 2 * * *", ZoneId.of("Europe/Berlin"), CatchUp.LATEST), new Trigger.Manual());
        assertThat(spec.concurrency()).isEqualTo(new Concurrency(1, Concurrency.OnConflict.SKIP));
        assertThat(ids(spec.order())).containsExactly("read", "validate", "score");

        Step read = spec.step("read");
        assertThat(read.type()).isEqualTo(StepType.READ);
        assertThat(read.with()).containsEntry("source", "${params.data}");
        assertThat((String) read.with().get("query")).startsWith("SELECT c.*, s.purchases_90d").doesNotContain("\n");
        assertThat(read.cache()).isFalse();
        assertThat(read.retry()).isEqualTo(Retry.NONE);
        assertThat(read.timeout()).isNull();
        assertThat(read.line()).isEqualTo(12);

        Step validate = spec.step("validate");
        assertThat(validate.cache()).isTrue();
        assertThat(validate.references()).containsExactly(Reference.output("read", "table"));

        Step score = spec.step("score");
        assertThat(score.needs()).containsExactly("validate", "read");
        assertThat(score.condition().text()).isEqualTo("${steps.validate.outputs.passed}");
        assertThat(score.retry()).isEqualTo(new Retry(3, Duration.ofSeconds(30), 2.0, Duration.ofMinutes(10)));
        assertThat(score.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(score.cache()).isFalse();
        assertThat(score.with()).containsEntry("table", "customer_scores").containsEntry("id", "customer_id");
        assertThat(spec.references("score")).containsExactly(Reference.param("model"), Reference.output("read", "table"),
                Reference.param("data"), Reference.run("time"), Reference.output("validate", "passed"));
        assertThat(spec.upstream("score")).containsExactly("read", "validate");
        assertThat(spec.downstream("read")).containsExactly("validate", "score");
        assertThat(spec.userCodeSteps()).isEmpty();
    }

    @Test
    void theRetrainPipelineTunesEvaluatesAndShipsACanary() {
        PipelineSpec spec = PipelineSpec.parse(resource("retrain.yaml"), "retrain.yaml");
        assertThat(spec.triggers()).containsExactly(
                new Trigger.Schedule("0 3 * * SUN", ZoneId.of("Europe/Berlin"), CatchUp.NONE),
                new Trigger.DataChange("read", Duration.ofMinutes(15)),
                new Trigger.Alert("credit-risk", List.of("input-drift", "estimated-precision-low")),
                new Trigger.Manual());
        assertThat(spec.triggers(Trigger.Schedule.class)).hasSize(1);
        assertThat(spec.parameters()).containsEntry("min_precision", 0.6);
        assertThat(ids(spec.order()))
                .containsExactly("read", "validate", "tune", "evaluate", "register", "canary", "first-release", "tell");

        Step tune = spec.step("tune");
        assertThat(tune.needs()).containsExactly("validate");
        assertThat(tune.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(tune.with()).containsEntry("seed", 42L).containsEntry("drop", List.of("customer_id"))
                .containsEntry("label", "class").containsEntry("positive_class", "${params.positive_class}");

        Step evaluate = spec.step("evaluate");
        assertThat(evaluate.with().get("thresholds")).isEqualTo(List.of("precision>=${params.min_precision}", "change:precision>=-0.01"));
        assertThat(evaluate.with().get("sensitive")).isEqualTo(List.of("personal_status", "foreign_worker", "age:25,40,60"));
        assertThat(evaluate.references()).containsExactly(Reference.output("tune", "model"), Reference.output("read", "table"),
                Reference.param("positive_class"), Reference.param("min_precision"));

        Step canary = spec.step("canary");
        assertThat(canary.with()).containsEntry("weights", List.of(0.1, 0.5)).containsEntry("window", Duration.ofHours(1))
                .containsEntry("max_latency_ms", 200L).containsEntry("min_precision", "${params.min_precision}");
        assertThat(canary.timeout()).isEqualTo(Duration.ofDays(1));

        Step register = spec.step("register");
        assertThat(register.condition().references()).containsExactly(
                Reference.output("evaluate", "blessed"), Reference.output("evaluate", "has_champion"));
        assertThat(register.retry().attempts()).isEqualTo(3);

        assertThat(spec.upstream("tell")).containsExactly("read", "validate", "tune", "evaluate", "register", "canary");
        assertThat(spec.downstream("register")).containsExactly("canary", "first-release", "tell");
        assertThat(spec.downstream("tell")).isEmpty();
        assertThat(spec.upstream("read")).isEmpty();
    }

    @Test
    void theOrderRunsNeedsFirstAndOtherwiseKeepsDeclarationOrder() {
        PipelineSpec spec = PipelineSpec.parse("""
                name: order
                steps:
                  - {id: c, type: notify, needs: [a, b], with: {message: c}}
                  - {id: b, type: notify, needs: a, with: {message: b}}
                  - {id: a, type: notify, with: {message: a}}
                  - {id: d, type: notify, with: {message: d}}
                  - {id: e, type: notify, needs: [d, c], with: {message: e}}
                """, "order.yaml");
        assertThat(ids(spec.order())).containsExactly("a", "b", "c", "d", "e");
        assertThat(spec.upstream("e")).containsExactly("c", "b", "a", "d");
        assertThat(spec.downstream("a")).containsExactly("c", "b", "e");
        // The same graph declared differently orders differently, but always the same way for the same text.
        PipelineSpec again = PipelineSpec.parse(spec.text(), "order.yaml");
        assertThat(ids(again.order())).isEqualTo(ids(spec.order()));
    }

    @Test
    void diamondsAndIndependentBranches() {
        PipelineSpec spec = PipelineSpec.parse("""
                name: diamond
                steps:
                  - {id: top, type: notify, with: {message: x}}
                  - {id: other, type: notify, with: {message: x}}
                  - {id: left, type: notify, needs: top, with: {message: x}}
                  - {id: right, type: notify, needs: top, with: {message: x}}
                  - {id: bottom, type: notify, needs: [right, left], with: {message: x}}
                """, "d.yaml");
        assertThat(ids(spec.order())).containsExactly("top", "other", "left", "right", "bottom");
        assertThat(spec.upstream("bottom")).containsExactly("top", "left", "right");
    }

    @Test
    void theHashIsOfTheExactTextStableAndChangedByAnyEdit() {
        String text = resource("nightly.yaml");
        PipelineSpec spec = PipelineSpec.parse(text, "nightly.yaml");
        assertThat(spec.sha256()).isEqualTo(Sha256.of(text.getBytes(StandardCharsets.UTF_8))).hasSize(64);
        assertThat(PipelineSpec.parse(text, "elsewhere.yaml").sha256()).isEqualTo(spec.sha256());
        assertThat(PipelineSpec.parse(text + "\n", "nightly.yaml").sha256()).isNotEqualTo(spec.sha256());
        assertThat(PipelineSpec.parse(text.replace("# The exercise", "# the exercise"), "nightly.yaml").sha256())
                .isNotEqualTo(spec.sha256());
        assertThat(spec.text()).isEqualTo(text);
    }

    @Test
    void readingAFileNamesItAndHashesItsBytes() throws IOException {
        Path file = resourcePath("retrain.yaml");
        PipelineSpec spec = PipelineSpec.read(file);
        assertThat(spec.source()).isEqualTo(file.toString());
        assertThat(spec.sha256()).isEqualTo(Sha256.of(Files.readAllBytes(file)));
    }

    @Test
    void aMissingFileIsNotFoundAndANonUtf8FileIsRefused(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> PipelineSpec.read(dir.resolve("nope.yaml")))
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> PipelineSpec.read(latin1)).isInstanceOf(CairnException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void stepsAreFoundById() {
        PipelineSpec spec = PipelineSpec.parse(resource("nightly.yaml"), "nightly.yaml");
        assertThat(spec.findStep("score")).isPresent();
        assertThat(spec.findStep("train")).isEmpty();
        assertThatThrownBy(() -> spec.step("train")).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> spec.upstream("train")).isInstanceOf(CairnException.class);
    }

    @Test
    void withValuesResolveOnceUpstreamOutputsAreKnown() {
        PipelineSpec spec = PipelineSpec.parse(resource("nightly.yaml"), "nightly.yaml");
        Map<Reference, Object> values = new HashMap<>();
        values.put(Reference.param("model"), "models:/credit-risk@champion");
        values.put(Reference.param("data"), "jdbc:sqlite:/tmp/master.db");
        values.put(Reference.output("read", "table"), "/store/snapshots/ab12.parquet");
        values.put(Reference.run("time"), "2024-01-16T01:00:00Z");
        Map<String, Object> with = spec.step("score").resolveWith(values::get);
        assertThat(with).containsEntry("model", "models:/credit-risk@champion")
                .containsEntry("input", "/store/snapshots/ab12.parquet")
                .containsEntry("output", "jdbc:sqlite:/tmp/master.db")
                .containsEntry("prediction_time", "2024-01-16T01:00:00Z")
                .containsEntry("table", "customer_scores");
        values.put(Reference.output("validate", "passed"), true);
        assertThat(spec.step("score").condition().evaluate(values::get)).isTrue();
        values.put(Reference.output("validate", "passed"), false);
        assertThat(spec.step("score").condition().evaluate(values::get)).isFalse();
    }

    @Test
    void aCommandStepIsParsedAndMarkedAsUserCode() {
        PipelineSpec spec = PipelineSpec.parse("""
                name: with-code
                steps:
                  - id: prepare
                    type: command
                    with: {run: [python, prepare.py, --fast], env: {SEED: 1}, outputs: [features, rows]}
                  - id: tell
                    type: notify
                    needs: prepare
                    with: {message: "prepared ${steps.prepare.outputs.rows} rows into ${steps.prepare.outputs.features}"}
                """, "code.yaml");
        Step prepare = spec.step("prepare");
        assertThat(prepare.userCode()).isTrue();
        assertThat(prepare.cache()).isFalse();
        assertThat(prepare.outputs()).containsExactly("exit_code", "features", "rows");
        assertThat(prepare.with()).containsEntry("run", List.of("python", "prepare.py", "--fast"))
                .containsEntry("env", Map.of("SEED", 1L));
        assertThat(spec.userCodeSteps()).containsExactly(prepare);
    }

    @Test
    void defaultsApplyWhereTheSpecIsSilent() {
        PipelineSpec spec = PipelineSpec.parse("""
                name: minimal
                steps:
                  - id: hello
                    type: notify
                    with: {message: hello}
                """, "minimal.yaml");
        assertThat(spec.description()).isNull();
        assertThat(spec.parameters()).isEmpty();
        assertThat(spec.triggers()).isEmpty();
        assertThat(spec.concurrency()).isEqualTo(Concurrency.DEFAULT);
        Step hello = spec.step("hello");
        assertThat(hello.needs()).isEmpty();
        assertThat(hello.condition()).isNull();
        assertThat(hello.retry()).isEqualTo(Retry.NONE);
        assertThat(hello.description()).isNull();
    }

    @Test
    void shortFormsOfTriggersRetryAndNeeds() {
        PipelineSpec spec = PipelineSpec.parse("""
                name: short
                parameters: {source: data.csv, optional: null}
                triggers:
                  - schedule: "@daily"
                  - data: read
                  - alert: {deployment: credit-risk}
                  - manual:
                steps:
                  - {id: read, type: read, with: {source: "${params.source}"}}
                  - {id: train, type: train, needs: read, retry: 2, cache: false,
                     with: {data: "${steps.read.outputs.table}", label: class, params: {max_depth: 4, eta: 0.1}}}
                """, "short.yaml");
        assertThat(spec.triggers()).containsExactly(
                new Trigger.Schedule("@daily", ZoneId.of("UTC"), CatchUp.LATEST),
                new Trigger.DataChange("read", Trigger.DataChange.DEFAULT_POLL),
                new Trigger.Alert("credit-risk", List.of()),
                new Trigger.Manual());
        assertThat(spec.parameters()).containsEntry("optional", null);
        Step train = spec.step("train");
        assertThat(train.needs()).containsExactly("read");
        assertThat(train.retry().attempts()).isEqualTo(2);
        assertThat(train.cache()).isFalse();
        assertThat(train.with().get("params")).isEqualTo(Map.of("max_depth", 4L, "eta", 0.1));
    }

    @Test
    void durationsInIsoAndShortForms() {
        for (Map.Entry<String, Duration> e : Map.of("PT30M", Duration.ofMinutes(30), "30m", Duration.ofMinutes(30),
                "1h30m", Duration.ofMinutes(90), "P1D", Duration.ofDays(1), "P1W", Duration.ofDays(7),
                "90s", Duration.ofSeconds(90), "500ms", Duration.ofMillis(500), "pt2h", Duration.ofHours(2)).entrySet()) {
            PipelineSpec spec = PipelineSpec.parse("""
                    name: d
                    steps:
                      - {id: a, type: notify, timeout: %s, with: {message: x}}
                    """.formatted(e.getKey()), "d.yaml");
            assertThat(spec.step("a").timeout()).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void theSpecIsJsonForTheApiAndTheWebUi() throws IOException {
        ObjectMapper json = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new SimpleModule()
                        .addSerializer(ZoneId.class, ToStringSerializer.instance)
                        .addSerializer(Duration.class, ToStringSerializer.instance))
                .build();
        PipelineSpec spec = PipelineSpec.parse(resource("retrain.yaml"), "retrain.yaml");
        JsonNode tree = json.readTree(json.writeValueAsString(spec));
        assertThat(tree.has("text")).isFalse();
        assertThat(tree.path("sha256").asText()).isEqualTo(spec.sha256());
        assertThat(tree.path("concurrency").path("on_conflict").asText()).isEqualTo("queue");
        assertThat(tree.path("triggers").get(0).path("schedule").path("catch_up").asText()).isEqualTo("none");
        JsonNode register = tree.path("steps").get(4);
        assertThat(register.path("id").asText()).isEqualTo("register");
        assertThat(register.path("type").asText()).isEqualTo("register");
        assertThat(register.path("condition").asText()).startsWith("${steps.evaluate.outputs.blessed} ||");
        assertThat(register.path("references").get(0).path("kind").asText()).isEqualTo("output");
        assertThat(register.path("retry").path("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void everyStepTypeDeclaresItsInputsAndOutputs() {
        assertThat(StepType.labels()).isEqualTo("read, validate, profile, drift, train, tune, evaluate, register, "
                + "deploy, canary, promote, score, materialize, notify, command");
        for (StepType t : StepType.values()) {
            assertThat(t.inputs()).as(t.label()).isNotEmpty();
            assertThat(t.inputs().stream().filter(StepType.Input::required)).as(t.label()).isNotEmpty();
            assertThat(StepType.fromLabel(t.label().toUpperCase())).isEqualTo(t);
        }
        assertThat(StepType.EVALUATE.output("blessed").kind()).isEqualTo(ValueKind.BOOLEAN);
        assertThat(StepType.COMMAND.userCode()).isTrue();
        assertThat(StepType.READ.caching()).isEqualTo(StepType.Caching.NEVER);
        assertThat(StepType.fromLabel("trian")).isNull();
    }
}
