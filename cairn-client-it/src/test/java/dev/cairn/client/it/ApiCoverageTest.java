package dev.cairn.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /api/v1 routes the remote stores call, checked against the OpenAPI document the server
 * generates from its own route table: a route renamed or removed on the server fails here, by name.
 */
class ApiCoverageTest {

    /** Method and OpenAPI path of every /api/v1 call in dev.cairn.client.remote. */
    private static final List<String> CALLS = List.of(
            "post /api/v1/experiments", "get /api/v1/experiments", "get /api/v1/experiments/{experiment_id}",
            "get /api/v1/experiments/by-name/{experiment_name}", "patch /api/v1/experiments/{experiment_id}",
            "delete /api/v1/experiments/{experiment_id}", "post /api/v1/experiments/{experiment_id}/restore",
            "post /api/v1/experiments/{experiment_id}/tags",
            "post /api/v1/runs", "get /api/v1/runs/{run_id}", "patch /api/v1/runs/{run_id}", "delete /api/v1/runs/{run_id}",
            "post /api/v1/runs/{run_id}/restore", "post /api/v1/runs/search", "post /api/v1/runs/{run_id}/batch",
            "get /api/v1/runs/{run_id}/metrics/history", "delete /api/v1/runs/{run_id}/tags/{key}",
            "post /api/v1/runs/{run_id}/inputs",
            "put /api/v1/runs/{run_id}/artifacts/{path}", "get /api/v1/runs/{run_id}/artifacts/{path}",
            "get /api/v1/runs/{run_id}/artifacts",
            "post /api/v1/registered-models", "get /api/v1/registered-models", "get /api/v1/registered-models/{name}",
            "patch /api/v1/registered-models/{name}", "delete /api/v1/registered-models/{name}",
            "post /api/v1/registered-models/{name}/tags", "delete /api/v1/registered-models/{name}/tags/{key}",
            "get /api/v1/registered-models/{name}/latest-versions",
            "post /api/v1/registered-models/{name}/versions", "get /api/v1/registered-models/{name}/versions/{version}",
            "patch /api/v1/registered-models/{name}/versions/{version}",
            "delete /api/v1/registered-models/{name}/versions/{version}",
            "post /api/v1/registered-models/{name}/versions/{version}/tags",
            "delete /api/v1/registered-models/{name}/versions/{version}/tags/{key}",
            "post /api/v1/registered-models/{name}/versions/{version}/stage",
            "get /api/v1/model-versions", "get /api/v1/model-versions/resolve",
            "put /api/v1/registered-models/{name}/aliases/{alias}", "get /api/v1/registered-models/{name}/aliases/{alias}",
            "delete /api/v1/registered-models/{name}/aliases/{alias}", "get /api/v1/audit");

    @TempDir
    Path dir;

    @Test
    @DisplayName("every /api/v1 route the remote stores call is in the server's OpenAPI document")
    void everyCallIsARoute() throws Exception {
        try (LiveServer server = LiveServer.start(dir)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url() + "/api/v1/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode paths = new ObjectMapper().readTree(response.body()).path("paths");
            for (String call : CALLS) {
                String[] parts = call.split(" ");
                assertThat(paths.path(parts[1]).has(parts[0].toLowerCase(Locale.ROOT))).as(call).isTrue();
            }
        }
    }
}
