package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grants are keyed by a resource's name, so they must not outlive it: a user granted MANAGE on a model that was then
 * deleted must have nothing on a new model of that name created by someone else (on Cairn's API and MLflow's), a
 * renamed model's grants go with it to its new name, and a pipeline whose spec was removed loses its grants.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrantsFollowResourcesTest {

    private AuthFixture fixture;

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new AuthFixture(dir);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void aModelDeletedAndCreatedAgainBySomeoneElseGivesTheOldGranteeNothing() {
        assertThat(send("POST", "/api/v1/registered-models", "admin", "{\"name\": \"churn\"}")).isEqualTo(201);
        grant(ResourceKind.REGISTERED_MODEL, "churn", "reader", Permission.MANAGE);
        assertThat(send("GET", "/api/v1/registered-models/churn", "reader", null)).isEqualTo(200);
        assertThat(send("DELETE", "/api/v1/registered-models/churn", "reader", null)).isEqualTo(204);
        assertThat(fixture.running.store().auth().grants(ResourceKind.REGISTERED_MODEL, "churn")).isEmpty();

        assertThat(send("POST", "/api/v1/registered-models", "other", "{\"name\": \"churn\"}")).isEqualTo(201);
        assertThat(send("GET", "/api/v1/registered-models/churn", "reader", null)).isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/registered-models/churn", "reader", null)).isEqualTo(403);
        assertThat(send("GET", "/api/v1/registered-models/churn", "other", null)).as("its creator manages the new one").isEqualTo(200);
    }

    @Test
    void theSameThroughMlflowsApi() {
        String mlflow = "/api/2.0/mlflow/registered-models/";
        assertThat(send("POST", mlflow + "create", "admin", "{\"name\": \"fraud\"}")).isEqualTo(200);
        grant(ResourceKind.REGISTERED_MODEL, "fraud", "reader", Permission.MANAGE);
        assertThat(send("DELETE", mlflow + "delete", "reader", "{\"name\": \"fraud\"}")).isEqualTo(200);
        assertThat(send("POST", mlflow + "create", "other", "{\"name\": \"fraud\"}")).isEqualTo(200);
        assertThat(send("GET", mlflow + "get?name=fraud", "reader", null)).isEqualTo(403);
    }

    @Test
    void aRenamedModelsGrantsMoveToItsNewNameAndTheOldNameKeepsNone() {
        assertThat(send("POST", "/api/v1/registered-models", "admin", "{\"name\": \"scoring\"}")).isEqualTo(201);
        grant(ResourceKind.REGISTERED_MODEL, "scoring", "reader", Permission.MANAGE);
        assertThat(send("PATCH", "/api/v1/registered-models/scoring", "reader", "{\"new_name\": \"scoring-v2\"}")).isEqualTo(200);
        assertThat(send("GET", "/api/v1/registered-models/scoring-v2", "reader", null)).isEqualTo(200);
        assertThat(send("POST", "/api/v1/registered-models", "other", "{\"name\": \"scoring\"}")).isEqualTo(201);
        assertThat(send("GET", "/api/v1/registered-models/scoring", "reader", null)).isEqualTo(403);

        // MLflow's rename likewise.
        assertThat(send("POST", "/api/2.0/mlflow/registered-models/rename", "reader",
                "{\"name\": \"scoring-v2\", \"new_name\": \"scoring-v3\"}")).isEqualTo(200);
        assertThat(send("GET", "/api/v1/registered-models/scoring-v3", "reader", null)).isEqualTo(200);
        assertThat(fixture.running.store().auth().grants(ResourceKind.REGISTERED_MODEL, "scoring-v2")).isEmpty();
    }

    @Test
    void aPipelineWhoseSpecIsRemovedLosesItsGrants() throws Exception {
        Path spec = fixture.running.pipelines().directory().resolve("nightly.yaml");
        Files.createDirectories(spec.getParent());
        Files.writeString(spec, "name: nightly\nsteps:\n  - id: tell\n    type: notify\n    with: {message: hi}\n");
        assertThat(send("POST", "/api/v1/pipelines/sync", "admin", null)).isEqualTo(200);
        grant(ResourceKind.PIPELINE, "nightly", "reader", Permission.MANAGE);
        assertThat(send("GET", "/api/v1/pipelines/nightly", "reader", null)).isEqualTo(200);

        Files.delete(spec);
        assertThat(send("POST", "/api/v1/pipelines/sync", "admin", null)).isEqualTo(200);
        assertThat(fixture.running.store().auth().grants(ResourceKind.PIPELINE, "nightly")).isEmpty();
        Files.writeString(spec, "name: nightly\nsteps:\n  - id: tell\n    type: notify\n    with: {message: again}\n");
        assertThat(send("POST", "/api/v1/pipelines/sync", "admin", null)).isEqualTo(200);
        assertThat(send("GET", "/api/v1/pipelines/nightly", "reader", null)).isEqualTo(403);
    }

    private void grant(ResourceKind kind, String resource, String user, Permission permission) {
        fixture.running.store().auth().putGrant(new Grant(kind, resource, Grantee.user(user), permission));
    }

    private int send(String method, String path, String role, String body) {
        var response = fixture.send(method, path, fixture.authorization(role), body);
        return response.statusCode();
    }
}
