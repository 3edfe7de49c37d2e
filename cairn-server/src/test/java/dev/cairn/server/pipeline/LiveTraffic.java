package dev.cairn.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

/**
 * Live requests to a deployment over the server's REST API, each for a simulated time ({@code X-Cairn-Prediction-Time})
 * with its own request id: what the shop's application sends when a customer applies.
 */
final class LiveTraffic {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;

    LiveTraffic(String serverUrl, String deployment) {
        this.url = serverUrl + "/api/v1/deployments/" + deployment + "/predict";
    }

    /** One answer: the version that answered and the predicted label. */
    record Answer(String version, String label) {}

    /** Scores one customer's row at {@code time}; answers the version that answered it. */
    Answer predict(Map<String, Object> row, Instant time, String requestId) {
        ObjectNode body = JSON.createObjectNode();
        body.set("inputs", JSON.valueToTree(row));
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .header("X-Cairn-Prediction-Time", time.toString()).header("X-Request-Id", requestId)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("predict answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode answer = JSON.readTree(response.body());
            return new Answer(answer.path("model_version").asText(), answer.path("predictions").path(0).path("label").asText());
        } catch (IOException e) {
            throw new AssertionError("predict failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
