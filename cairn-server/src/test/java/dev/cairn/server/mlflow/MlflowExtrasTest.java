package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.BadInputTest.assertError;
import static dev.cairn.server.mlflow.MlflowTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What MLflow users asked for and Cairn adds without changing MLflow's paths: OR and parentheses
 * in run filters, and reusing an experiment's name once the deleted experiment is purged (purge
 * itself is Cairn's own API and CLI; here it is done through the store).
 */
class MlflowExtrasTest {

    @TempDir
    static Path dir;

    private static MlflowTestServer server;

    @BeforeAll
    static void start() {
        server = MlflowTestServer.sqlite(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    @DisplayName("runs/search filters may use OR and parentheses")
    void orAndParenthesesInRunFilters() {
        String experimentId = server.ok("/api/2.0/mlflow/experiments/create", "{\"name\": \"filters\"}")
                .get("experiment_id").asText();
        String deep = run(server, experimentId, 0.9, "6", "risk");
        String shallowRisk = run(server, experimentId, 0.85, "3", "risk");
        String shallowOther = run(server, experimentId, 0.95, "3", "growth");
        String weak = run(server, experimentId, 0.5, "6", "risk");

        assertThat(search(server, experimentId, "metrics.auc > 0.8 and (params.max_depth = '6' or tags.team = 'growth')"))
                .containsExactlyInAnyOrder(deep, shallowOther);
        assertThat(search(server, experimentId, "params.max_depth = '3' or metrics.auc < 0.6"))
                .containsExactlyInAnyOrder(shallowRisk, shallowOther, weak);
        assertThat(search(server, experimentId, "(tags.team = 'growth' or params.max_depth = '6') and metrics.auc >= 0.9"))
                .containsExactlyInAnyOrder(deep, shallowOther);
        assertThat(search(server, experimentId, "metrics.auc > 0.8 and params.max_depth = '3' and tags.team = 'risk'"))
                .containsExactly(shallowRisk);
    }

    @Test
    @DisplayName("experiments/delete-experiment-tag removes a tag, and a missing one is RESOURCE_DOES_NOT_EXIST")
    void deleteExperimentTag() {
        String id = server.ok("/api/2.0/mlflow/experiments/create", "{\"name\": \"tagged\"}").get("experiment_id").asText();
        server.ok("/api/2.0/mlflow/experiments/set-experiment-tag", "{\"experiment_id\": " + q(id) + ", \"key\": \"team\", \"value\": \"risk\"}");
        assertThat(server.okGet("/api/2.0/mlflow/experiments/get?experiment_id=" + id).at("/experiment/tags/0/key").asText()).isEqualTo("team");
        server.ok("/api/2.0/mlflow/experiments/delete-experiment-tag", "{\"experiment_id\": " + q(id) + ", \"key\": \"team\"}");
        assertThat(server.okGet("/api/2.0/mlflow/experiments/get?experiment_id=" + id).at("/experiment/tags").isMissingNode()).isTrue();
        assertError(server.post("/api/2.0/mlflow/experiments/delete-experiment-tag", "{\"experiment_id\": " + q(id) + ", \"key\": \"team\"}"),
                404, "RESOURCE_DOES_NOT_EXIST", null);
    }

    @Test
    @DisplayName("An experiment's name can be reused once the deleted experiment is purged, and not before")
    void experimentNameReuseAfterPurge() {
        String first = server.ok("/api/2.0/mlflow/experiments/create", "{\"name\": \"churn\"}").get("experiment_id").asText();
        String runId = server.ok("/api/2.0/mlflow/runs/create", "{\"experiment_id\": " + q(first) + "}").at("/run/info/run_id").asText();
        server.ok("/api/2.0/mlflow/experiments/delete", "{\"experiment_id\": " + q(first) + "}");
        assertThat(server.okGet("/api/2.0/mlflow/experiments/get?experiment_id=" + first).at("/experiment/lifecycle_stage").asText())
                .isEqualTo("deleted");
        assertThat(server.okGet("/api/2.0/mlflow/runs/get?run_id=" + runId).at("/run/info/lifecycle_stage").asText())
                .isEqualTo("deleted");

        assertError(server.post("/api/2.0/mlflow/experiments/create", "{\"name\": \"churn\"}"), 400, "RESOURCE_ALREADY_EXISTS", null);

        server.store.experiments().purgeExperiment(first);
        assertError(server.get("/api/2.0/mlflow/experiments/get?experiment_id=" + first), 404, "RESOURCE_DOES_NOT_EXIST", null);
        assertError(server.get("/api/2.0/mlflow/runs/get?run_id=" + runId), 404, "RESOURCE_DOES_NOT_EXIST", null);

        String second = server.ok("/api/2.0/mlflow/experiments/create", "{\"name\": \"churn\"}").get("experiment_id").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(server.okGet("/api/2.0/mlflow/experiments/get-by-name?experiment_name=churn").at("/experiment/experiment_id").asText())
                .isEqualTo(second);
    }

    @Test
    @DisplayName("Deleted experiments are found with view_type DELETED_ONLY and come back on restore")
    void deleteAndRestoreExperiment() {
        String id = server.ok("/api/2.0/mlflow/experiments/create", "{\"name\": \"archive\"}").get("experiment_id").asText();
        server.ok("/api/2.0/mlflow/experiments/delete", "{\"experiment_id\": " + q(id) + "}");
        assertThat(names(server.okGet("/api/2.0/mlflow/experiments/search?view_type=DELETED_ONLY"))).containsExactly("archive");
        assertThat(names(server.ok("/api/2.0/mlflow/experiments/search", "{\"max_results\": 10}"))).doesNotContain("archive");
        server.ok("/api/2.0/mlflow/experiments/restore", "{\"experiment_id\": " + q(id) + "}");
        assertThat(names(server.ok("/api/2.0/mlflow/experiments/search", "{\"view_type\": \"ACTIVE_ONLY\"}"))).contains("archive");
        assertThat(names(server.okGet("/ajax-api/2.0/mlflow/experiments/search?filter=name%20%3D%20'archive'")))
                .containsExactly("archive");
    }

    private static String run(MlflowTestServer server, String experimentId, double auc, String depth, String team) {
        String runId = server.ok("/api/2.0/mlflow/runs/create", "{\"experiment_id\": " + q(experimentId) + "}")
                .at("/run/info/run_id").asText();
        server.ok("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": " + q(runId)
                + ", \"metrics\": [{\"key\": \"auc\", \"value\": " + auc + ", \"timestamp\": 1}]"
                + ", \"params\": [{\"key\": \"max_depth\", \"value\": " + q(depth) + "}]"
                + ", \"tags\": [{\"key\": \"team\", \"value\": " + q(team) + "}]}");
        return runId;
    }

    private static List<String> search(MlflowTestServer server, String experimentId, String filter) {
        JsonNode result = server.ok("/api/2.0/mlflow/runs/search",
                "{\"experiment_ids\": [" + q(experimentId) + "], \"filter\": " + q(filter) + "}");
        List<String> ids = new ArrayList<>();
        if (result.has("runs")) result.get("runs").forEach(r -> ids.add(r.at("/info/run_id").asText()));
        return ids;
    }

    private static List<String> names(JsonNode result) {
        List<String> names = new ArrayList<>();
        if (result.has("experiments")) result.get("experiments").forEach(e -> names.add(e.get("name").asText()));
        return names;
    }
}
