package dev.cairn.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.serving.BatchScorer;
import dev.cairn.server.serving.ServingLauncher;
import dev.cairn.store.CairnHome;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * Serves the champion as deployment {@code credit-risk} in the running server, sends it a few
 * requests in the protocols clients use (Cairn's, MLflow's scoring protocol, a bad one to show
 * its 400), then scores every customer of the file into the SQLite table
 * {@code customer_scores(customer_id, label, probability, model_version, scored_at)} — the
 * nightly batch of the exercise.
 */
final class ServeStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "credit-risk";

    private static final String CUSTOMER = """
            {"checking_status": "<0", "duration": 6, "credit_history": "critical/other existing credit",
             "purpose": "radio/tv", "credit_amount": 1169, "savings_status": "no known savings",
             "employment": ">=7", "installment_commitment": 4, "personal_status": "male single",
             "other_parties": "none", "residence_since": 4, "property_magnitude": "real estate", "age": 67,
             "other_payment_plans": "none", "housing": "own", "existing_credits": 2, "job": "skilled",
             "num_dependents": 1, "own_telephone": "yes", "foreign_worker": "yes", "customer_id": 100001}""";

    @Override
    public String title() {
        return "Serve: deploy the champion, send requests, score every customer into a table";
    }

    @Override
    public void run(Example example) throws IOException, InterruptedException {
        if (example.championVersion == null) {
            example.say("no champion to serve: no candidate has been blessed yet");
            return;
        }
        String url = example.server.url();
        Example.Requests http = example.requests();

        send(http, "PUT", url + "/api/v1/deployments/" + DEPLOYMENT, """
                {"targets": [{"model": "models:/credit-risk@champion", "weight": 100}],
                 "sticky_key": "customer_id", "comment": "cairn quickstart"}""", 200);
        example.say("deployment " + DEPLOYMENT + " -> models:/credit-risk@champion (version " + example.championVersion + ")");

        JsonNode answer = send(http, "POST", url + "/api/v1/deployments/" + DEPLOYMENT + "/predict",
                "{\"inputs\": " + CUSTOMER + ", \"explain\": true}", 200);
        example.say("POST /api/v1/deployments/credit-risk/predict -> " + summary(answer));

        JsonNode mlflow = send(http, "POST", url + "/invocations",
                "{\"dataframe_records\": [" + CUSTOMER + "]}", 200);
        example.say("POST /invocations (MLflow scoring protocol) -> " + mlflow.get("predictions"));

        String bad = CUSTOMER.replace("\"duration\": 6", "\"duration\": \"six\"").replace("\"age\": 67", "\"age\": -3")
                .replace("\"purpose\": \"radio/tv\",", "");
        JsonNode refused = send(http, "POST", url + "/api/v1/deployments/" + DEPLOYMENT + "/predict", "{\"inputs\": " + bad + "}", 400);
        example.say("a bad request -> 400 " + refused.path("error_code").asText() + ": " + refused.path("message").asText());
        for (JsonNode problem : refused.path("details").path("errors")) {
            example.say("    " + problem);
        }

        String scores = "jdbc:sqlite:" + example.home.resolve("scores.db");
        BatchScorer.Result result = ServingLauncher.score("models:/credit-risk@champion",
                CairnHome.defaultMetadataUri(), CairnHome.defaultArtifactRoot(),
                new BatchScorer.Options(example.data.toString(), null, scores, "customer_scores", Example.ID_COLUMN, 10_000),
                (done, total) -> { });
        example.say(String.format(Locale.ROOT, "scored %d customers with version %s into %s table customer_scores in %d ms"
                        + " (probability = P(%s))", result.rows(), result.modelVersion(), scores, result.millis(), result.probabilityOf()));
        example.pointTo("customer scores", "sqlite3 " + example.home.resolve("scores.db") + " 'select * from customer_scores limit 5'");
        example.pointTo("the deployment", url + "/api/v1/deployments/" + DEPLOYMENT + "  (metrics: " + url + "/metrics)");
    }

    private static JsonNode send(Example.Requests http, String method, String url, String body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest request = http.to(url)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request);
        if (response.statusCode() != expectedStatus) {
            throw new CairnException(ErrorCode.INVALID_STATE, method + " " + url + " answered " + response.statusCode()
                    + " where " + expectedStatus + " was expected: " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String summary(JsonNode answer) {
        JsonNode first = answer.has("predictions") ? answer.get("predictions").get(0) : answer;
        return "label " + first.path("label").asText() + ", probabilities " + first.path("probabilities")
                + ", model version " + answer.path("model_version").asText(first.path("model_version").asText())
                + ", request " + answer.path("request_id").asText(first.path("request_id").asText());
    }
}
