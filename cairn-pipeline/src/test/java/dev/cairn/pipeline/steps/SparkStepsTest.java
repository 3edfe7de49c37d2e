package dev.cairn.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.data.engine.DataEngine;
import dev.cairn.pipeline.engine.PipelineEngine;
import dev.cairn.pipeline.engine.RunListener;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.engine.StepRunners;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.spark.SparkEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engine: spark} on validate and profile steps: a pipeline whose steps validate and profile one snapshot on
 * DuckDB and on Spark {@code local[2]} gets the same check results and the same exact profile statistics; an unknown
 * engine is a spec error naming the field and line; a runner without Spark refuses {@code engine: spark}.
 */
class SparkStepsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static StepFixture fixture;
    private static SparkEngine spark;
    private static final List<String> masters = new ArrayList<>();

    @BeforeAll
    static void open() {
        fixture = new StepFixture(dir);
        // One session for the test JVM; the steps' engines share it (their close leaves it running).
        System.setProperty("spark.sql.shuffle.partitions", "2");
        spark = SparkEngine.start("local[2]");
        // Tiny data: compiling generated code and re-planning adaptively cost more than they save (as cairn-spark's tests).
        spark.session().conf().set("spark.sql.codegen.wholeStage", "false");
        spark.session().conf().set("spark.sql.adaptive.enabled", "false");
    }

    @AfterAll
    static void close() {
        spark.close();
        fixture.close();
    }

    /** What the CLI injects, over the test's one session; records the master each step asked for. */
    private static DataEngine shared(String master) {
        synchronized (masters) {
            masters.add(master);
        }
        return DataEngine.shared(spark, () -> { });
    }

    @Test
    void validateAndProfileStepsOnSparkGiveTheDuckDbResults() throws Exception {
        Files.copy(StepFixture.CREDIT, fixture.workspaceDir.resolve("credit-g.csv"));
        Files.copy(StepFixture.SCHEMA, fixture.workspaceDir.resolve("schema.yaml"));
        Path specFile = Files.writeString(fixture.workspaceDir.resolve("spark.yaml"), """
                name: spark-steps
                steps:
                  - {id: read, type: read, with: {source: credit-g.csv}}
                  - id: duck
                    type: validate
                    needs: read
                    with: {data: "${steps.read.outputs.table}", schema: schema.yaml, env: TRAINING, fail_on: never}
                  - id: on-spark
                    type: validate
                    needs: read
                    with: {data: "${steps.read.outputs.table}", schema: schema.yaml, env: TRAINING, fail_on: never,
                           engine: spark, spark_master: "local[2]"}
                  - {id: profile-duck, type: profile, needs: read, with: {data: "${steps.read.outputs.table}", engine: duckdb}}
                  - {id: profile-spark, type: profile, needs: read, with: {data: "${steps.read.outputs.table}", engine: spark}}
                """);
        PipelineRun run;
        try (PipelineEngine engine = new PipelineEngine(fixture.store.pipelines(), fixture.services(),
                new StepRunners().addAll(StandardSteps.all(SparkStepsTest::shared)), "test")) {
            run = engine.run(PipelineSpec.read(specFile), RunRequest.manual("tester"), RunListener.NONE);
        }
        Map<String, StepRun> steps = fixture.store.pipelines().steps(run.runId()).stream().collect(Collectors.toMap(StepRun::stepId, s -> s));
        assertThat(run.state()).as(run.message() + " " + steps).isEqualTo(PipelineRunState.SUCCEEDED);
        assertThat(masters).containsExactlyInAnyOrder("local[2]", null);

        JsonNode duck = JSON.readTree(steps.get("duck").outputsJson());
        JsonNode onSpark = JSON.readTree(steps.get("on-spark").outputsJson());
        for (String output : List.of("passed", "errors", "warnings")) assertThat(onSpark.get(output)).as(output).isEqualTo(duck.get(output));
        JsonNode duckReport = JSON.readTree(fixture.artifact(duck.get("report").asText()));
        JsonNode sparkReport = JSON.readTree(fixture.artifact(onSpark.get("report").asText()));
        assertThat(sparkReport.get("rowCount")).isEqualTo(duckReport.get("rowCount"));
        assertThat(results(sparkReport)).isEqualTo(results(duckReport)).isNotEmpty();

        JsonNode duckProfile = JSON.readTree(fixture.artifact(JSON.readTree(steps.get("profile-duck").outputsJson()).get("profile").asText()));
        JsonNode sparkProfile = JSON.readTree(fixture.artifact(JSON.readTree(steps.get("profile-spark").outputsJson()).get("profile").asText()));
        assertThat(sparkProfile.get("rowCount")).isEqualTo(duckProfile.get("rowCount"));
        assertThat(exact(sparkProfile)).isEqualTo(exact(duckProfile)).isNotEmpty();
    }

    /** Each check's name, whether it passed and how many rows failed it. */
    private static List<String> results(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : report.get("results")) {
            out.add(r.path("name").asText() + " " + r.path("passed").asText() + " " + r.path("failingRows").asText());
        }
        return out;
    }

    /** Per column: its name, counts and extremes (exact on both engines; quantiles are sketches). */
    private static List<String> exact(JsonNode profile) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : profile.get("columns")) {
            out.add(c.path("name").asText() + " " + c.path("count") + " " + c.path("missing") + " " + c.path("numeric").path("min")
                    + " " + c.path("numeric").path("max"));
        }
        return out;
    }

    @Test
    void anUnknownEngineIsASpecErrorNamingTheFieldAndLine() {
        assertThatThrownBy(() -> PipelineSpec.parse("""
                name: bad
                steps:
                  - id: v
                    type: validate
                    with: {data: d.csv, schema: s.yaml, engine: flink}
                """, "bad.yaml"))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("bad.yaml line 5").hasMessageContaining("steps.v.with.engine")
                .hasMessageContaining("'flink' is not one of: duckdb, spark");
    }

    @Test
    void aRunnerWithoutSparkOrAMasterWithoutSparkIsRefusedNamingTheField() throws Exception {
        String snapshot = (String) new ReadStep().run(fixture.attempt(StepType.READ, "read",
                Map.of("source", StepFixture.CREDIT.toString())).context()).outputs().get("table");
        assertThatThrownBy(() -> new ProfileStep().run(fixture.attempt(StepType.PROFILE, "p",
                Map.of("data", snapshot, "engine", "spark")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "steps.p.with.engine"))
                .hasMessageContaining("spark cannot run here");
        assertThatThrownBy(() -> new ValidateStep(SparkStepsTest::shared).run(fixture.attempt(StepType.VALIDATE, "v",
                Map.of("data", snapshot, "schema", StepFixture.SCHEMA.toString(), "spark_master", "local[2]")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "steps.v.with.spark_master"))
                .hasMessageContaining("engine: spark as well");
    }
}
