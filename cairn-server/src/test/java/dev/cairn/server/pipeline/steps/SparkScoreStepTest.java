package dev.cairn.server.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.hash.Sha256;
import dev.cairn.data.engine.DataEngine;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.spark.SparkEngine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score step with {@code engine: spark}: the same model version, resolved from the registry, scores the same customers
 * on Spark {@code local[2]} and on DuckDB with the same rows, bits and run time; what only DuckDB does (JDBC, CSV output, a
 * deployment's prediction log) is refused naming the field, and a runner without Spark (the server's) refuses the engine.
 */
@DisplayName("score step on Spark")
class SparkScoreStepTest {
    @TempDir
    static Path dir;
    static ServerStack stack;
    static SparkEngine spark;

    @BeforeAll
    static void start() throws Exception {
        stack = ServerStack.start(dir.resolve("server"));
        System.setProperty("spark.sql.shuffle.partitions", "2");
        spark = SparkEngine.start("local[2]");
        // Tiny data: compiling generated code and re-planning adaptively cost more than they save (as cairn-spark's tests).
        spark.session().conf().set("spark.sql.codegen.wholeStage", "false");
        spark.session().conf().set("spark.sql.adaptive.enabled", "false");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.close();
        if (stack != null) stack.close();
    }

    /** What the CLI injects (SparkData.engines()), over the test's one session, which a step's close leaves running. */
    private static DataEngine shared(String master) {
        return DataEngine.shared(spark, () -> { });
    }

    private static ScoreRunner score(DataEngine.Factory engines) {
        return new ScoreRunner(stack.deployments().loader(), ServerSteps.predictionLog(stack.servingHome), engines);
    }

    private static Map<String, Object> with(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    private static List<String> rows(String sql) throws Exception {
        return DeployAndScoreStepsTest.rows("jdbc:duckdb:", sql);
    }

    private static String scores(Path parquet) throws Exception {
        String glob = parquet.toString().replace("'", "''") + (parquet.toFile().isDirectory() ? "/*.parquet" : "");
        // The probability's shortest round-trip text: equal texts are equal doubles. The id's type follows the engine's
        // reading of the CSV (text on DuckDB's path, an integer on Spark's), so rows are ordered by its value.
        return String.join("\n", rows("SELECT customer_id, label, CAST(probability AS VARCHAR), model_version, scored_at FROM read_parquet('"
                + glob + "') ORDER BY CAST(customer_id AS BIGINT)"));
    }

    @Test
    void aRegisteredModelScoresTheSameRowsOnSparkAsOnDuckDb() throws Exception {
        stack.register("credit-spark", stack.plainRun);
        ServerStack.scoringFile(stack.workspace.resolve("data/customers.csv"), 240, 11, -1);

        ServerStack.Run onDuck = stack.context(StepType.SCORE, "duck", with("model", "models:/credit-spark@champion",
                "input", "data/customers.csv", "output", "out/duck.parquet", "id", "customer_id", "batch_rows", 50));
        StepResult duck = score(null).run(onDuck.context());
        ServerStack.Run onSpark = stack.context(StepType.SCORE, "spark", with("model", "models:/credit-spark@champion",
                "input", "data/customers.csv", "output", "out/spark.parquet", "id", "customer_id", "batch_rows", 50,
                "engine", "spark", "spark_master", "local[2]"));
        StepResult scored = score(SparkScoreStepTest::shared).run(onSpark.context());

        Path out = stack.workspace.resolve("out/spark.parquet");
        // The output's URI as the step named it before writing (a directory's URI, once it exists, ends with '/').
        String where = out.toUri().toString().replaceAll("/$", "");
        assertThat(scored.outputs()).containsEntry("rows", 240L).containsEntry("model", "models:/credit-spark/1")
                .containsEntry("table", where);
        assertThat(duck.outputs()).containsEntry("rows", 240L);
        String expected = scores(stack.workspace.resolve("out/duck.parquet"));
        assertThat(expected.lines()).hasSize(240).allSatisfy(l -> assertThat(l).endsWith("|1|2026-11-03T02:00:00Z"));
        assertThat(scores(out)).isEqualTo(expected);
        assertThat(onSpark.recorded().lineage).containsExactly(
                "INPUT file " + stack.workspace.resolve("data/customers.csv").toUri(),
                "INPUT model_version models:/credit-spark/1",
                "OUTPUT file " + where);
        assertThat(Sha256.ofDirectory(out, "output")).matches("[0-9a-f]{64}");
        assertThat(onSpark.recorded().logs).anySatisfy(l -> assertThat(l).contains("On Spark (local[2])"))
                .anySatisfy(l -> assertThat(l).contains("Scored 240 rows on Spark"));
    }

    @Test
    void whatOnlyDuckDbDoesIsRefusedNamingTheFieldAndARunnerWithoutSparkRefusesTheEngine() throws Exception {
        stack.register("credit-spark-refusals", stack.plainRun);
        ServerStack.scoringFile(stack.workspace.resolve("data/few.csv"), 20, 12, -1);
        Map<String, String> refused = Map.of(
                "output", "out/few.csv",
                "deployment", "out/few.parquet");
        for (var entry : refused.entrySet()) {
            Map<String, Object> args = with("model", "models:/credit-spark-refusals/1", "input", "data/few.csv",
                    "output", entry.getValue(), "engine", "spark");
            if (entry.getKey().equals("deployment")) args.put("deployment", "credit-spark-refusals");
            assertThatThrownBy(() -> score(SparkScoreStepTest::shared).run(stack.context(StepType.SCORE, "s", args).context()))
                    .isInstanceOfSatisfying(CairnException.class, e -> {
                        assertThat(e.details()).containsEntry("field", "steps.s.with." + entry.getKey());
                        assertThat(e.getMessage()).contains("engine: spark");
                    });
        }
        assertThatThrownBy(() -> score(SparkScoreStepTest::shared).run(stack.context(StepType.SCORE, "s", with(
                "model", "models:/credit-spark-refusals/1", "input", "jdbc:sqlite:nothing.db", "input_table", "customers",
                "output", "out/few.parquet", "engine", "spark")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "steps.s.with.input"));
        // The server's runner has no Spark engine: refused naming the field, nothing written.
        assertThatThrownBy(() -> score(null).run(stack.context(StepType.SCORE, "s", with("model", "models:/credit-spark-refusals/1",
                "input", "data/few.csv", "output", "out/few.parquet", "engine", "spark")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.details()).containsEntry("field", "steps.s.with.engine");
                    assertThat(e.getMessage()).contains("no Spark engine");
                });
        assertThat(stack.workspace.resolve("out/few.parquet")).doesNotExist();
    }
}
