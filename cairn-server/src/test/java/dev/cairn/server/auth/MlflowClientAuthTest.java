package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * MLflow's own Java client against a Cairn server with authentication on, as against MLflow's auth app: Basic
 * credentials ({@code MLFLOW_TRACKING_USERNAME}/{@code _PASSWORD}) and a Bearer token ({@code MLFLOW_TRACKING_TOKEN})
 * log runs; no credentials or wrong ones are refused; and MLflow's auth endpoints create a user and give it a
 * permission that then decides what it may do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowClientAuthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private AuthFixture fixture;

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new AuthFixture(dir);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private MlflowClient basic(String user, String password) {
        return new MlflowClient(new BasicMlflowHostCreds(fixture.running.url(), user, password));
    }

    @Test
    void basicCredentialsAndATokenLogRunsAndNoneOrWrongOnesAreRefused() {
        try (MlflowClient editor = basic("editor", AuthFixture.PASSWORD)) {
            Service.RunInfo run = editor.createRun(fixture.experimentId);
            editor.logMetric(run.getRunId(), "auc", 0.91);
            editor.logParam(run.getRunId(), "depth", "6");
            assertThat(editor.getRun(run.getRunId()).getData().getMetrics(0).getValue()).isEqualTo(0.91);
            // The run records who logged it: the authenticated principal.
            assertThat(editor.getRun(run.getRunId()).getInfo().getUserId()).isEqualTo("editor");
        }
        try (MlflowClient token = new MlflowClient(new BasicMlflowHostCreds(fixture.running.url(), fixture.tokens.get("editor")))) {
            Service.RunInfo run = token.createRun(fixture.experimentId);
            token.logMetric(run.getRunId(), "auc", 0.92);
            assertThat(token.getRun(run.getRunId()).getInfo().getUserId()).isEqualTo("editor");
        }
        try (MlflowClient nobody = new MlflowClient(fixture.running.url())) {
            assertThatThrownBy(() -> nobody.createRun(fixture.experimentId)).isInstanceOfSatisfying(MlflowHttpException.class,
                    e -> assertThat(e.getStatusCode()).isEqualTo(401));
        }
        try (MlflowClient wrong = basic("editor", "not the password")) {
            assertThatThrownBy(() -> wrong.createRun(fixture.experimentId)).isInstanceOfSatisfying(MlflowHttpException.class,
                    e -> assertThat(e.getStatusCode()).isEqualTo(401));
        }
        try (MlflowClient reader = basic("reader", AuthFixture.PASSWORD)) {
            assertThat(reader.getExperiment(fixture.experimentId).getName()).isEqualTo(AuthFixture.EXPERIMENT_NAME);
            assertThatThrownBy(() -> reader.createRun(fixture.experimentId)).isInstanceOfSatisfying(MlflowHttpException.class,
                    e -> assertThat(e.getStatusCode()).isEqualTo(403));
        }
    }

    @Test
    void mlflowsAuthEndpointsCreateAUserAndGiveItAPermission() throws Exception {
        try (MlflowClient admin = basic("admin", AuthFixture.PASSWORD)) {
            JsonNode created = JSON.readTree(admin.sendPost("users/create", "{\"username\":\"carol\",\"password\":\"carol-password\"}"));
            assertThat(created.path("user").path("username").asText()).isEqualTo("carol");
            assertThat(created.path("user").path("is_admin").asBoolean()).isFalse();
            assertThat(created.path("user").path("id").asInt()).isPositive();
            assertThat(created.toString()).doesNotContain("carol-password");

            try (MlflowClient carol = basic("carol", "carol-password")) {
                assertThatThrownBy(() -> carol.createRun(fixture.experimentId)).isInstanceOfSatisfying(MlflowHttpException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
                // A user may read itself, not others, and may not create users.
                assertThat(JSON.readTree(carol.sendGet("users/get?username=carol")).path("user").path("username").asText()).isEqualTo("carol");
                assertThatThrownBy(() -> carol.sendGet("users/get?username=editor")).isInstanceOfSatisfying(MlflowHttpException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
                assertThatThrownBy(() -> carol.sendPost("users/create", "{\"username\":\"dave\",\"password\":\"dave-password\"}"))
                        .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(403));

                JsonNode permission = JSON.readTree(admin.sendPost("experiments/permissions/create", "{\"experiment_id\":\""
                        + fixture.experimentId + "\",\"username\":\"carol\",\"permission\":\"EDIT\"}"));
                assertThat(permission.path("experiment_permission").path("permission").asText()).isEqualTo("EDIT");
                assertThat(permission.path("experiment_permission").path("experiment_id").asText()).isEqualTo(fixture.experimentId);
                Service.RunInfo run = carol.createRun(fixture.experimentId);
                carol.logMetric(run.getRunId(), "loss", 0.3);

                JsonNode got = JSON.readTree(admin.sendGet("experiments/permissions/get?experiment_id=" + fixture.experimentId
                        + "&username=carol"));
                assertThat(got.path("experiment_permission").path("permission").asText()).isEqualTo("EDIT");
                assertThat(JSON.readTree(admin.sendGet("users/get?username=carol")).path("user").path("experiment_permissions")
                        .get(0).path("permission").asText()).isEqualTo("EDIT");
                admin.sendPatch("experiments/permissions/update", "{\"experiment_id\":\"" + fixture.experimentId
                        + "\",\"username\":\"carol\",\"permission\":\"READ\"}");
                assertThatThrownBy(() -> carol.createRun(fixture.experimentId)).isInstanceOfSatisfying(MlflowHttpException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
                assertThatThrownBy(() -> admin.sendPost("experiments/permissions/create", "{\"experiment_id\":\"" + fixture.experimentId
                        + "\",\"username\":\"carol\",\"permission\":\"OWNER\"}"))
                        .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                            assertThat(e.getStatusCode()).isEqualTo(400);
                            assertThat(e.getBodyMessage()).contains("permission");
                        });

                // A user changes its own password; the old one stops working at once.
                carol.sendPatch("users/update-password", "{\"username\":\"carol\",\"password\":\"carol-password-2\"}");
                assertThatThrownBy(() -> carol.getExperiment(fixture.experimentId)).isInstanceOfSatisfying(MlflowHttpException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(401));
            }
            admin.sendPatch("users/update-admin", "{\"username\":\"carol\",\"is_admin\":\"true\"}");
            assertThat(JSON.readTree(admin.sendGet("users/get?username=carol")).path("user").path("is_admin").asBoolean()).isTrue();
        }
        // MLflow's DELETE endpoints (the Java client has no sendDelete), also under /ajax-api.
        String admin = AuthFixture.basic("admin", AuthFixture.PASSWORD);
        HttpResponse<String> deletedPermission = fixture.send("DELETE", "/ajax-api/2.0/mlflow/experiments/permissions/delete", admin,
                "{\"experiment_id\":\"" + fixture.experimentId + "\",\"username\":\"carol\"}");
        assertThat(deletedPermission.statusCode()).isEqualTo(200);
        assertThat(fixture.send("DELETE", "/api/2.0/mlflow/users/delete", admin, "{\"username\":\"carol\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> gone = fixture.get("/api/2.0/mlflow/users/get?username=carol", admin);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void registeredModelPermissionsNeedManageOnTheModel() throws Exception {
        try (MlflowClient manager = basic("manager", AuthFixture.PASSWORD); MlflowClient editor = basic("editor", AuthFixture.PASSWORD)) {
            manager.sendPost("registered-models/create", "{\"name\":\"mlflow-shared-model\"}");
            JsonNode created = JSON.readTree(manager.sendPost("registered-models/permissions/create",
                    "{\"name\":\"mlflow-shared-model\",\"username\":\"reader\",\"permission\":\"READ\"}"));
            assertThat(created.path("registered_model_permission").path("name").asText()).isEqualTo("mlflow-shared-model");
            assertThat(JSON.readTree(manager.sendGet("registered-models/permissions/get?name=mlflow-shared-model&username=reader"))
                    .path("registered_model_permission").path("permission").asText()).isEqualTo("READ");
            assertThatThrownBy(() -> editor.sendPost("registered-models/permissions/create",
                    "{\"name\":\"mlflow-shared-model\",\"username\":\"editor\",\"permission\":\"MANAGE\"}"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(403));
        }
    }
}
