package dev.cairn.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving with features, the same on every online store: a deployment of the credit model with feature service
 * {@code credit} takes customer ids (and the amount, a request-time value) and answers as the same model deployed
 * without features answers the row completed by hand; what the request may not do is refused naming the field and
 * value; the completed row meets the model's signature; and the prediction log records the features served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FeatureServingContract {

    FeatureServer server;

    /** The server's {@code --online-store} for a test whose files go under {@code dir}. */
    abstract String onlineStore(Path dir) throws Exception;

    /** Stops what {@link #onlineStore} started. */
    void stopOnlineStore() {}

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new FeatureServer(dir, onlineStore(dir));
        server.deploy("credit", "credit");
        server.deploy("plain", null);
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        stopOnlineStore();
    }

    private Http.Response predict(String deployment, String inputs) {
        return server.http.post("/api/v1/deployments/" + deployment + "/predict", "{\"inputs\": " + inputs + "}");
    }

    private JsonNode predictions(String deployment, String inputs) {
        Http.Response r = predict(deployment, inputs);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("predictions");
    }

    private static JsonNode onlyError(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("details").get("errors")).as(r.body()).hasSize(1);
        return r.json().get("details").get("errors").get(0);
    }

    @Test
    void the_deployment_says_which_service_and_which_versions_of_its_views_it_reads() {
        JsonNode features = server.http.get("/api/v1/deployments/credit").json().get("features");
        assertThat(features.get("service").asText()).isEqualTo("credit");
        assertThat(features.get("version").asLong()).isEqualTo(1);
        assertThat(features.get("join_keys").toString()).isEqualTo("[\"customer_id\"]");
        assertThat(features.get("views").get(0).get("name").asText()).isEqualTo("customer_profile");
        assertThat(features.get("views").get(0).get("version").asLong()).isEqualTo(1);
        assertThat(features.get("views").get(0).get("features").toString()).isEqualTo("[\"age\",\"purpose\"]");
        assertThat(features.get("views").get(1).get("features").toString()).isEqualTo("[\"orders_90d\"]");
        assertThat(server.http.get("/api/v1/deployments/plain").json().has("features")).isFalse();
        assertThat(features.toString()).doesNotContain(server.dir.toString()); // the store's location is the server's own
    }

    @Test
    void an_id_and_a_request_value_predict_as_the_model_predicts_the_row_completed_by_hand() {
        assertThat(predictions("credit", "{\"customer_id\": 1, \"amount\": 2500.0}"))
                .isEqualTo(predictions("plain", "{\"age\": 32, \"amount\": 2500.0, \"purpose\": \"car\"}"));
        // A batch: one read per view for all rows, each row its own entity's features, in the request's order; ids as text too.
        assertThat(predictions("credit", "[{\"customer_id\": 2, \"amount\": 900}, {\"customer_id\": \"1\", \"amount\": 12000},"
                + " {\"customer_id\": 2, \"amount\": null}]"))
                .isEqualTo(predictions("plain", "[{\"age\": 45, \"amount\": 900, \"purpose\": \"radio/tv\"},"
                        + " {\"age\": 32, \"amount\": 12000, \"purpose\": \"car\"}, {\"age\": 45, \"amount\": null, \"purpose\": \"radio/tv\"}]"));
        // MLflow's protocol on the same deployment.
        Http.Response mlflow = server.http.post("/invocations?deployment=credit", "{\"dataframe_records\": [{\"customer_id\": 1, \"amount\": 2500.0}]}");
        assertThat(mlflow.status()).as(mlflow.body()).isEqualTo(200);
        Http.Response plain = server.http.post("/invocations?deployment=plain",
                "{\"dataframe_records\": [{\"age\": 32, \"amount\": 2500.0, \"purpose\": \"car\"}]}");
        assertThat(mlflow.json()).isEqualTo(plain.json());
    }

    @Test
    void an_unknown_entity_is_refused_naming_the_field_the_value_and_the_row() {
        JsonNode error = onlyError(predict("credit", "{\"customer_id\": 999, \"amount\": 100}"));
        assertThat(error.get("field").asText()).isEqualTo("customer_id");
        assertThat(error.get("value").asText()).isEqualTo("999");
        assertThat(error.get("expected").asText()).contains("customer_profile").contains("customer_orders");
        JsonNode second = onlyError(predict("credit", "[{\"customer_id\": 1, \"amount\": 100}, {\"customer_id\": \"x'; DROP TABLE online_features\", \"amount\": 1}]"));
        assertThat(second.get("row").asInt()).isEqualTo(2);
        assertThat(second.get("value").asText()).isEqualTo("x'; DROP TABLE online_features");
        // The store is intact, and answers the next request.
        assertThat(predict("credit", "{\"customer_id\": 1, \"amount\": 100}").status()).isEqualTo(200);
    }

    @Test
    void a_request_may_not_bring_its_own_value_for_a_served_feature_nor_leave_out_the_id() {
        JsonNode override = onlyError(predict("credit", "{\"customer_id\": 1, \"age\": 99, \"amount\": 100}"));
        assertThat(override.get("field").asText()).isEqualTo("age");
        assertThat(override.get("value").asText()).isEqualTo("99");
        assertThat(override.get("expected").asText()).contains("feature of service 'credit'");
        JsonNode missing = onlyError(predict("credit", "{\"amount\": 100}"));
        assertThat(missing.get("field").asText()).isEqualTo("customer_id");
        assertThat(missing.get("value").isNull()).isTrue();
        // The Open Inference Protocol's positional tensors have no field to find an id by.
        Http.Response oip = server.http.post("/v2/models/credit/infer",
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"BYTES\", \"data\": [1, 100]}]}");
        assertThat(oip.status()).as(oip.body()).isEqualTo(400);
        assertThat(oip.body()).contains("named fields");
    }

    @Test
    void the_completed_row_meets_the_models_signature_which_names_the_served_feature_it_refuses() {
        JsonNode outOfDomain = onlyError(predict("credit", "{\"customer_id\": 3, \"amount\": 100}"));
        assertThat(outOfDomain.get("field").asText()).isEqualTo("purpose");
        assertThat(outOfDomain.get("value").asText()).isEqualTo("yacht");
        // Customer 4 has orders but no profile: known, so served as a training set would have it (age null), and the
        // signature, which requires age, refuses that.
        Http.Response noProfile = predict("credit", "{\"customer_id\": 4, \"amount\": 100}");
        assertThat(noProfile.status()).as(noProfile.body()).isEqualTo(400);
        assertThat(noProfile.json().get("details").get("errors").findValuesAsText("field")).containsExactly("age", "purpose");
    }

    @Test
    void the_prediction_log_records_the_features_served_beside_the_id_and_the_request_value() throws Exception {
        Http.Response r = server.http.post("/api/v1/deployments/credit/predict", "{\"inputs\": {\"customer_id\": 2, \"amount\": 777.0}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String id = r.json().get("request_id").asText();
        server.running.serving().log().flush();
        Path log = server.running.serving().log().root().resolve("predictions");
        List<String> inputs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT inputs FROM read_parquet('" + log + "/*.parquet') WHERE request_id = '" + id + "'")) {
            while (rs.next()) inputs.add(rs.getString(1));
        }
        assertThat(inputs).hasSize(1);
        JsonNode row = Http.JSON.readTree(inputs.getFirst()).get(0);
        assertThat(row.get("customer_id").asLong()).isEqualTo(2);
        assertThat(row.get("amount").asDouble()).isEqualTo(777.0);
        assertThat(row.get("age").asLong()).isEqualTo(45);
        assertThat(row.get("purpose").asText()).isEqualTo("radio/tv");
        assertThat(row.get("orders_90d").asLong()).isEqualTo(1);
    }
}
