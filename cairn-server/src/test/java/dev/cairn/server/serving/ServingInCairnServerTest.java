package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.CairnServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The serving routes run inside the full Cairn server beside its other APIs")
class ServingInCairnServerTest {

    @TempDir
    Path dir;

    @Test
    void a_deployment_is_created_over_http_and_answers_all_three_protocols_with_metrics() throws Exception {
        RegistryFixture registry = new RegistryFixture(dir, RegistryFixture.config(dir));
        Serving serving = Serving.forStore(registry.store, registry.artifacts, dir.resolve("serving"));
        CairnServer server = CairnServer.withDefaultRoutes(registry.store, registry.artifacts, "127.0.0.1", 0,
                List.of(serving.api(), serving.metricsRoutes()));
        try {
            server.start();
            Http http = new Http(server.url());
            assertThat(http.get("/v2/health/ready").status()).isEqualTo(503);
            Http.Response put = http.put("/api/v1/deployments/credit-risk", """
                    {"targets": [{"model": "models:/credit-risk@champion", "weight": 90}, {"model": "models:/credit-risk/2", "weight": 10}],
                     "sticky_key": "customer_id", "rollback": {"max_error_rate_increase": 0.05, "max_latency_ratio": 3.0,
                     "window_seconds": 60, "min_requests": 100}, "comment": "canary of version 2"}""");
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            assertThat(put.json().get("routes").get(1).get("model_version").asText()).isEqualTo("2");
            assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
            String row = "{\"customer_id\": 7, \"age\": 35, \"amount\": 2500.0, \"purpose\": \"car\"}";
            assertThat(http.post("/invocations", "{\"dataframe_records\": [" + row + "]}").status()).isEqualTo(200);
            assertThat(http.post("/api/v1/deployments/credit-risk/predict", "{\"inputs\": " + row + "}").status()).isEqualTo(200);
            assertThat(http.post("/v2/models/credit-risk/infer", """
                    {"inputs": [{"name": "x", "shape": [1, 3], "datatype": "BYTES", "data": [35, 2500.0, "car"]}]}""").status())
                    .isEqualTo(200);
            Http.Response bad = http.put("/api/v1/deployments/credit-risk", "{\"targets\": [], \"colour\": 1}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(http.get("/api/v1/deployments").json().get("deployments")).hasSize(1);
            assertThat(http.get("/metrics").body()).contains("cairn_serving_request_seconds_count{deployment=\"credit-risk\"");
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
            assertThat(dir.resolve("serving/deployments.json")).content().contains("models:/credit-risk/2");
        } finally {
            server.stop();
            serving.close();
            registry.close();
        }
    }
}
