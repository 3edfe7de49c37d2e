package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment's feature service over its life: refused where it cannot be served, shown by /api/v1/features beside the
 * definitions it reads, re-resolved when the definitions change, kept through weight changes, and restored with its
 * features after a restart.
 */
@DisplayName("Deployments with a feature service: where they are refused, what the API shows, refresh and restart")
class FeatureDeploymentTest {

    @TempDir
    Path dir;

    @Test
    void a_server_without_an_online_store_refuses_a_feature_service_and_says_how_to_give_it_one() throws Exception {
        try (FeatureServer server = new FeatureServer(dir, null)) {
            Http.Response put = server.http.put("/api/v1/deployments/credit",
                    "{\"targets\": [{\"model\": \"models:/credit-risk/1\", \"weight\": 100}], \"feature_service\": \"credit\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(400);
            assertThat(put.json().get("message").asText()).contains("'credit'").contains("--online-store");
            assertThat(server.http.get("/api/v1/deployments").json().get("deployments")).isEmpty();
        }
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--online-store", "mysql://db/features")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("--online-store").contains("mysql://db/features"));
        assertThat(ServerOptions.parse(List.of("--online-store", "redis://127.0.0.1:6379")).onlineStore()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void an_unknown_service_or_another_kind_of_definition_is_refused_naming_it() throws Exception {
        try (FeatureServer server = new FeatureServer(dir, "sqlite:" + dir.resolve("online.db"))) {
            Http.Response unknown = server.http.put("/api/v1/deployments/credit",
                    "{\"targets\": [{\"model\": \"models:/credit-risk/1\", \"weight\": 100}], \"feature_service\": \"churn\"}");
            assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
            assertThat(unknown.json().get("message").asText()).contains("'churn'").contains("credit");
            Http.Response view = server.http.put("/api/v1/deployments/credit",
                    "{\"targets\": [{\"model\": \"models:/credit-risk/1\", \"weight\": 100}], \"feature_service\": \"customer_profile\"}");
            assertThat(view.status()).as(view.body()).isEqualTo(400);
            assertThat(view.json().get("message").asText()).contains("feature_service").contains("a feature view");
            Http.Response bad = server.http.put("/api/v1/deployments/credit",
                    "{\"targets\": [{\"model\": \"models:/credit-risk/1\", \"weight\": 100}], \"feature_service\": \"../etc\"}");
            assertThat(bad.status()).as(bad.body()).isEqualTo(400);
            assertThat(bad.json().get("message").asText()).contains("feature_service");
        }
    }

    @Test
    void the_features_api_lists_and_shows_definitions_and_which_deployments_read_them() throws Exception {
        try (FeatureServer server = new FeatureServer(dir, "sqlite:" + dir.resolve("online.db"))) {
            server.deploy("credit", "credit");
            JsonNode all = server.http.get("/api/v1/features").json().get("definitions");
            assertThat(all.findValuesAsText("name")).containsExactlyInAnyOrder("customer", "profiles", "orders", "customer_profile",
                    "customer_orders", "credit");
            assertThat(server.http.get("/api/v1/features?kind=feature_view").json().get("definitions").findValuesAsText("name"))
                    .containsExactlyInAnyOrder("customer_profile", "customer_orders");
            assertThat(server.http.get("/api/v1/features?kind=colour").status()).isEqualTo(400);
            JsonNode view = server.http.get("/api/v1/features/customer_profile").json();
            assertThat(view.get("kind").asText()).isEqualTo("feature_view");
            assertThat(view.get("version").asLong()).isEqualTo(1);
            assertThat(view.get("definition").get("source").asText()).isEqualTo("profiles");
            assertThat(view.get("deployments")).hasSize(1);
            assertThat(view.get("deployments").get(0).get("deployment").asText()).isEqualTo("credit");
            assertThat(view.get("deployments").get(0).get("view_version").asLong()).isEqualTo(1);
            assertThat(server.http.get("/api/v1/features/credit").json().get("deployments").get(0).get("service_version").asLong()).isEqualTo(1);
            assertThat(server.http.get("/api/v1/features/customer_profile/versions").json().get("versions")).hasSize(1);
            assertThat(server.http.get("/api/v1/features/nope").status()).isEqualTo(404);
            assertThat(server.http.get("/api/v1/features/customer_profile?version=7").status()).isEqualTo(400);
            String openApi = server.http.get("/api/v1/openapi.json").body();
            assertThat(openApi).contains("/api/v1/features/{name}/versions").contains("feature_service");
        }
    }

    @Test
    void a_new_version_of_a_definition_reaches_the_deployment_on_refresh_and_the_feature_service_survives_changes_and_restarts()
            throws Exception {
        String online = "sqlite:" + dir.resolve("online.db");
        try (FeatureServer server = new FeatureServer(dir, online)) {
            String etag = server.deploy("credit", "credit").header("ETag");
            // A TTL on the profiles: the view's version 2. The deployment serves version 1 until it is refreshed.
            server.write("features.yaml", FeatureServer.DEFINITIONS.replace("features: [age, purpose]", "ttl: 3650d\n    features: [age, purpose]"));
            server.features.apply(dir.resolve("defs"), "alice");
            assertThat(server.http.get("/api/v1/deployments/credit").json().get("features").get("views").get(0).get("version").asLong()).isEqualTo(1);
            Http.Response refreshed = server.http.post("/api/v1/deployments/credit/refresh", "");
            assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
            assertThat(refreshed.json().get("changed").asBoolean()).isTrue();
            assertThat(refreshed.json().get("features").get("views").get(0).get("version").asLong()).isEqualTo(2);
            assertThat(refreshed.json().get("etag").asText()).isNotEqualTo(etag);
            assertThat(server.http.post("/api/v1/deployments/credit/refresh", "").json().get("changed").asBoolean()).isFalse();
            // A weight change keeps the service.
            Http.Response weights = server.http.post("/api/v1/deployments/credit/weights", "{\"weights\": {\"models:/credit-risk/1\": 50}}");
            assertThat(weights.status()).as(weights.body()).isEqualTo(200);
            assertThat(weights.json().get("features").get("service").asText()).isEqualTo("credit");
            assertThat(Files.readString(dir.resolve("serving/deployments.json"))).contains("\"feature_service\" : \"credit\"");
        }
        try (FeatureServer restarted = new FeatureServer(dir, online, false)) {
            JsonNode credit = restarted.http.get("/api/v1/deployments/credit").json();
            assertThat(credit.get("features").get("views").get(0).get("version").asLong()).isEqualTo(2);
            Http.Response predicted = restarted.http.post("/api/v1/deployments/credit/predict", "{\"inputs\": {\"customer_id\": 1, \"amount\": 10}}");
            assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        }
    }
}
