package dev.cairn.server.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.runtime.InvalidInputException;
import dev.cairn.server.serving.DeploymentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy and score steps on a real server: a model deployed to an environment (its deployment named by the
 * environment), then customers scored with it into a SQLite table at the run's logical time, logged to the deployment's
 * prediction log; a score that fails or is cancelled half-way leaves no table, no rows and no log behind.
 */
@DisplayName("deploy and score steps")
class DeployAndScoreStepsTest {
    @TempDir
    static Path dir;
    static ServerStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = ServerStack.start(dir.resolve("server"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    private DeployRunner deploy() {
        return new DeployRunner(stack.deployments());
    }

    private ScoreRunner score() {
        return new ScoreRunner(stack.deployments().loader(), ServerSteps.predictionLog(stack.servingHome));
    }

    private static Map<String, Object> with(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    /** Every row of {@code sql} on {@code url}, its columns joined by {@code |} (also for the other score-step tests). */
    static List<String> rows(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) b.append(i > 1 ? "|" : "").append(rs.getString(i));
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    @DisplayName("deploy with sticky_key routes a canary's share by customer: one customer meets one version, reproducibly")
    void deployWithAStickyKey() throws Exception {
        stack.register("credit-sticky", stack.plainRun, stack.plainRun);
        deploy().run(stack.context(StepType.DEPLOY, "ship", with("model", "models:/credit-sticky/1", "environment", "production",
                "sticky_key", "customer_id")).context());
        assertThat(stack.deployments().get("credit-sticky").spec().stickyKey()).isEqualTo("customer_id");
        // A later deploy without the key keeps it, as it keeps the deployment's shadow and rollback policy.
        deploy().run(stack.context(StepType.DEPLOY, "ship", with("model", "models:/credit-sticky/2", "environment", "production"))
                .context());
        assertThat(stack.deployments().get("credit-sticky").spec().stickyKey()).isEqualTo("customer_id");

        // A canary's split: each customer id always meets the same version, and both versions get customers.
        DeploymentSpec split = stack.deployments().get("credit-sticky").spec().withTargets(List.of(
                new DeploymentSpec.Target("models:/credit-sticky/2", 50), new DeploymentSpec.Target("models:/credit-sticky/1", 50)));
        var d = stack.deployments().apply(split, "alice", "a canary");
        Set<String> versions = new HashSet<>();
        for (int customer = 0; customer < 40; customer++) {
            String first = d.choose(customer).model().version();
            for (int again = 0; again < 5; again++) assertThat(d.choose(customer).model().version()).isEqualTo(first);
            versions.add(first);
        }
        assertThat(versions).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    @DisplayName("deploy with feature_service serves the service's features, checked against the registry first, and keeps it")
    void deployWithAFeatureService() throws Exception {
        Path defs = Files.createDirectories(dir.resolve("features"));
        Files.writeString(defs.resolve("profiles.csv"), "customer_id,updated_at,age,purpose\n7,2024-01-01,33,car\n");
        Files.writeString(defs.resolve("features.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: profiles, path: profiles.csv, event_timestamp: updated_at}
                feature_views:
                  - {name: profile, entities: [customer], source: profiles, features: [age, purpose]}
                feature_services:
                  - {name: applicant, features: [profile]}
                """);
        new dev.cairn.features.FeatureStore(stack.store().features(), dev.cairn.features.FeatureStore.unconfined(), name -> null)
                .apply(defs, "alice");
        stack.register("credit-features", stack.plainRun, stack.plainRun);

        // Unknown: refused naming the step's field, before anything is deployed.
        assertThatThrownBy(() -> deploy().run(stack.context(StepType.DEPLOY, "ship", with("model", "models:/credit-features/1",
                "environment", "production", "feature_service", "applicants")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.getMessage()).startsWith("steps.ship.with.feature_service").contains("'applicants'");
                    assertThat(e.details()).containsEntry("field", "steps.ship.with.feature_service");
                });
        assertThatThrownBy(() -> deploy().run(stack.context(StepType.DEPLOY, "ship", with("model", "models:/credit-features/1",
                "environment", "production", "feature_service", "profile")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage())
                        .startsWith("steps.ship.with.feature_service").contains("feature view"));
        assertThat(stack.deployments().find("credit-features")).isNull();

        ServerStack.Run run = stack.context(StepType.DEPLOY, "ship", with("model", "models:/credit-features/1", "environment", "production",
                "feature_service", "applicant"));
        deploy().run(run.context());
        assertThat(stack.deployments().get("credit-features").spec().featureService()).isEqualTo("applicant");
        assertThat(stack.deployments().get("credit-features").features()).isNotNull();
        assertThat(run.recorded().lineage).contains("INPUT feature_view feature_view:profile/1");
        // A later deploy without it keeps it, as it keeps the sticky key.
        deploy().run(stack.context(StepType.DEPLOY, "ship", with("model", "models:/credit-features/2", "environment", "production"))
                .context());
        assertThat(stack.deployments().get("credit-features").spec().featureService()).isEqualTo("applicant");
    }

    @Test
    @DisplayName("deploy names the deployment by environment, records it, and changes nothing when it already serves the model")
    void deployToEnvironments() throws Exception {
        String model = stack.register("credit-deploy", stack.plainRun, stack.plainRun);

        ServerStack.Run staging = stack.context(StepType.DEPLOY, "stage", with("model", "models:/credit-deploy@champion",
                "environment", "staging"));
        StepResult s = deploy().run(staging.context());
        assertThat(s.outputs()).containsEntry("deployment", "credit-deploy-staging").containsEntry("model", "models:/credit-deploy@champion");
        assertThat(staging.recorded().lineage).containsExactly("INPUT model_version models:/credit-deploy/1",
                "OUTPUT deployment deployment:credit-deploy-staging?environment=staging");

        ServerStack.Run production = stack.context(StepType.DEPLOY, "ship", with("model", "models:/credit-deploy/2",
                "environment", "Production"));
        assertThat(deploy().run(production.context()).outputs()).containsEntry("deployment", "credit-deploy");
        assertThat(stack.deployments().get("credit-deploy").stable().model().uri()).isEqualTo("models:/credit-deploy/2");
        assertThat(stack.deployments().get("credit-deploy-staging").stable().model().uri()).isEqualTo("models:/credit-deploy/1");

        // The audit log says which pipeline run deployed what to which environment.
        assertThat(stack.audit(model, AuditAction.DEPLOYMENT_CHANGED)).extracting(e -> e.subject() + " " + e.comment()).containsExactly(
                "deployment:credit-deploy-staging pipeline nightly run run-stage step stage: deploy models:/credit-deploy@champion to environment staging",
                "deployment:credit-deploy pipeline nightly run run-ship step ship: deploy models:/credit-deploy/2 to environment production");
        assertThat(stack.audit(model, AuditAction.DEPLOYMENT_CHANGED)).allSatisfy(e -> assertThat(e.actor()).isEqualTo("alice"));

        // Again: nothing changes, nothing is audited.
        long generation = stack.deployments().get("credit-deploy").generation();
        ServerStack.Run again = stack.context(StepType.DEPLOY, "ship", with("model", "models:/credit-deploy/2", "environment", "production"));
        deploy().run(again.context());
        assertThat(stack.deployments().get("credit-deploy").generation()).isEqualTo(generation);
        assertThat(again.recorded().logs).anySatisfy(l -> assertThat(l).contains("already serves"));
        assertThat(stack.audit(model, AuditAction.DEPLOYMENT_CHANGED)).hasSize(2);

        // An explicit name wins; a run's model has no registered name to default to; a bad environment is named.
        assertThat(deploy().run(stack.context(StepType.DEPLOY, "d", with("model", "runs:/" + stack.plainRun + "/model",
                "environment", "qa", "deployment", "credit-qa")).context()).outputs()).containsEntry("deployment", "credit-qa");
        assertThatThrownBy(() -> deploy().run(stack.context(StepType.DEPLOY, "d", with("model", "runs:/" + stack.plainRun + "/model",
                "environment", "qa")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.d.with.deployment");
        assertThatThrownBy(() -> deploy().run(stack.context(StepType.DEPLOY, "d", with("model", "models:/credit-deploy/1",
                "environment", "pre prod")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.d.with.environment");
        assertThatThrownBy(() -> deploy().run(stack.context(StepType.DEPLOY, "d", with("model", "models:/credit-deploy/9",
                "environment", "qa")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.d.with.model");
        // A package path outside the confined workspace is refused before anything is loaded.
        assertThatThrownBy(() -> deploy().run(stack.context(StepType.DEPLOY, "d", with("model", "/etc", "environment", "qa",
                "deployment", "x")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.d.with.model");
    }

    @Test
    @DisplayName("deploy, then score customers into a SQLite table at the run's logical time, logged to the deployment")
    void deployThenScore() throws Exception {
        stack.register("credit-score", stack.plainRun);
        StepResult deployed = deploy().run(stack.context(StepType.DEPLOY, "deploy", with("model", "models:/credit-score@champion",
                "environment", "production")).context());
        Path customers = ServerStack.scoringFile(stack.workspace.resolve("data/customers.csv"), 250, 3, -1);

        ServerStack.Run run = stack.context(StepType.SCORE, "score", with("model", deployed.outputs().get("model"),
                "input", "data/customers.csv", "output", "jdbc:sqlite:scores.db", "table", "customer_scores", "id", "customer_id",
                "batch_rows", 60, "deployment", deployed.outputs().get("deployment")));
        StepResult scored = score().run(run.context());

        String url = "jdbc:sqlite:" + stack.workspace.resolve("scores.db");
        assertThat(scored.outputs()).containsEntry("rows", 250L).containsEntry("model", "models:/credit-score/1")
                .containsEntry("table", url + "#customer_scores");
        assertThat(rows(url, "SELECT name FROM pragma_table_info('customer_scores') ORDER BY cid"))
                .containsExactly("customer_id", "label", "probability", "model_version", "scored_at");
        assertThat(rows(url, "SELECT count(*), count(DISTINCT customer_id), min(customer_id), max(customer_id), "
                + "sum(label IN ('good', 'bad')), sum(probability BETWEEN 0 AND 1), min(model_version), max(model_version), "
                + "min(scored_at), max(scored_at) FROM customer_scores"))
                .containsExactly("250|250|1|250|250|250|1|1|2026-11-03T02:00:00Z|2026-11-03T02:00:00Z");
        assertThat(run.recorded().lineage).containsExactly(
                "INPUT file " + customers.toUri(),
                "INPUT model_version models:/credit-score/1",
                "OUTPUT table " + url + "#customer_scores");
        assertThat(run.recorded().logs).anySatisfy(l -> assertThat(l).contains("of 250 rows scored"));

        // The rows are in the prediction log for monitoring, at the run's logical time.
        String segments = ServerSteps.predictionLog(stack.servingHome).resolve("predictions").toString().replace("'", "''") + "/*.parquet";
        assertThat(rows("jdbc:duckdb:", "SELECT count(*), CAST(min(time) AS VARCHAR), CAST(max(time) AS VARCHAR), min(model_version) FROM read_parquet('" + segments
                + "') WHERE deployment = 'credit-score'"))
                .containsExactly("250|2026-11-03 02:00:00|2026-11-03 02:00:00|1");

        // A JDBC input read by query scores into a file of the workspace.
        ServerStack.Run fromTable = stack.context(StepType.SCORE, "rescore", with("model", "models:/credit-score/1",
                "input", "jdbc:sqlite:scores.db", "query", "SELECT customer_id, 30 AS age, 1000.0 AS amount, 'car' AS purpose "
                        + "FROM customer_scores WHERE customer_id <= 10", "output", "out/rescored.csv", "id", "customer_id"));
        StepResult rescored = score().run(fromTable.context());
        Path csv = stack.workspace.resolve("out/rescored.csv");
        assertThat(rescored.outputs()).containsEntry("rows", 10L).containsEntry("table", csv.toUri().toString());
        assertThat(Files.readAllLines(csv)).hasSize(11).first().isEqualTo("customer_id,label,probability,model_version,scored_at");
        assertThat(fromTable.recorded().lineage).contains("INPUT source " + url + "#SELECT customer_id, 30 AS age, 1000.0 AS amount, "
                + "'car' AS purpose FROM customer_scores WHERE customer_id <= 10");
    }

    @Test
    @DisplayName("a score that fails or is cancelled half-way leaves no table, no staging table and no logged rows; an earlier table stays")
    void failedScoreLeavesNothing() throws Exception {
        stack.register("credit-atomic", stack.plainRun);
        ServerStack.scoringFile(stack.workspace.resolve("data/bad.csv"), 300, 4, 250);
        ServerStack.scoringFile(stack.workspace.resolve("data/good.csv"), 300, 4, -1);
        String url = "jdbc:sqlite:" + stack.workspace.resolve("atomic.db");
        Path log = ServerSteps.predictionLog(stack.servingHome);

        // Rows 1-240 were scored (four batches) before row 251 is refused: none of them is anywhere.
        assertThatThrownBy(() -> score().run(stack.context(StepType.SCORE, "score", with("model", "models:/credit-atomic/1",
                "input", "data/bad.csv", "output", "jdbc:sqlite:atomic.db", "table", "customer_scores", "id", "customer_id",
                "batch_rows", 60, "deployment", "credit-atomic")).context()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("purpose");
        assertThat(rows(url, "SELECT name FROM sqlite_master")).isEmpty();
        assertThat(loggedRows(log, "credit-atomic")).isZero();

        // Cancelled after its second batch: the same.
        AtomicInteger asked = new AtomicInteger();
        ServerStack.Run cancelled = stack.context(StepType.SCORE, "score", with("model", "models:/credit-atomic/1",
                "input", "data/good.csv", "output", "jdbc:sqlite:atomic.db", "table", "customer_scores", "id", "customer_id",
                "batch_rows", 60, "deployment", "credit-atomic"), null, () -> asked.incrementAndGet() > 2);
        assertThatThrownBy(() -> score().run(cancelled.context())).isInstanceOf(StepContext.Cancelled.class);
        assertThat(rows(url, "SELECT name FROM sqlite_master")).isEmpty();
        assertThat(loggedRows(log, "credit-atomic")).isZero();

        // With a table there already, a failed run leaves it exactly as it was.
        score().run(stack.context(StepType.SCORE, "score", with("model", "models:/credit-atomic/1", "input", "data/good.csv",
                "output", "jdbc:sqlite:atomic.db", "table", "customer_scores", "id", "customer_id")).context());
        List<String> before = rows(url, "SELECT customer_id, label, probability, scored_at FROM customer_scores ORDER BY customer_id");
        assertThat(before).hasSize(300);
        stack.clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> score().run(stack.context(StepType.SCORE, "score", with("model", "models:/credit-atomic/1",
                "input", "data/bad.csv", "output", "jdbc:sqlite:atomic.db", "table", "customer_scores", "id", "customer_id",
                "batch_rows", 60)).context()))
                .isInstanceOf(InvalidInputException.class);
        assertThat(rows(url, "SELECT customer_id, label, probability, scored_at FROM customer_scores ORDER BY customer_id"))
                .isEqualTo(before);
        assertThat(rows(url, "SELECT name FROM sqlite_master")).containsExactly("customer_scores");
    }

    @Test
    @DisplayName("score's inputs are checked before anything is read, each error naming its field")
    void scoreInputsNameTheirField() throws Exception {
        stack.register("credit-inputs", stack.plainRun);
        ServerStack.scoringFile(stack.workspace.resolve("data/few.csv"), 5, 5, -1);
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("steps.s.with.output", with("output", "jdbc:postgresql://db/x"));
        cases.put("steps.s.with.table", with("output", "jdbc:sqlite:x.db", "table", "drop table"));
        cases.put("steps.s.with.input", with("input", "../../outside.csv"));
        cases.put("steps.s.with.input_table", with("input", "jdbc:sqlite:x.db"));
        cases.put("steps.s.with.query", with("input", "jdbc:sqlite:x.db", "query", "DELETE FROM x"));
        cases.put("steps.s.with.prediction_time", with("deployment", "credit-inputs", "prediction_time", "tonight"));
        cases.put("steps.s.with.deployment", with("deployment", "no/such"));
        cases.put("steps.s.with.id", with("id", "client_id"));
        for (Map.Entry<String, Map<String, Object>> c : cases.entrySet()) {
            Map<String, Object> w = with("model", "models:/credit-inputs/1", "input", "data/few.csv", "output", "jdbc:sqlite:inputs.db");
            w.putAll(c.getValue());
            assertThatThrownBy(() -> score().run(stack.context(StepType.SCORE, "s", w).context()))
                    .as(c.getKey()).isInstanceOf(CairnException.class).hasMessageContaining(c.getKey());
        }
        assertThat(Files.exists(stack.workspace.resolve("inputs.db")) ? rows("jdbc:sqlite:" + stack.workspace.resolve("inputs.db"),
                "SELECT name FROM sqlite_master") : List.of()).isEmpty();
    }

    private static long loggedRows(Path log, String deployment) throws Exception {
        Path predictions = log.resolve("predictions");
        try (var files = Files.list(predictions)) {
            if (files.noneMatch(p -> p.getFileName().toString().endsWith(".parquet"))) return 0;
        }
        return Long.parseLong(rows("jdbc:duckdb:", "SELECT count(*) FROM read_parquet('" + predictions.toString().replace("'", "''")
                + "/*.parquet', union_by_name = true) WHERE deployment = '" + deployment + "'").getFirst());
    }
}
