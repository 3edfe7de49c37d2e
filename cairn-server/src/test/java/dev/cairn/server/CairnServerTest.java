package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.http.HandlerType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CairnServerTest {

    /** An extra route for what the real API never does on purpose: fail internally. */
    private final ApiRoutes testRoutes = ApiRoutes.of(List.of(
            new RouteAccess(HandlerType.GET, "/test/boom", Access.open()),
            new RouteAccess(HandlerType.GET, "/test/store-failure", Access.open()),
            new RouteAccess(HandlerType.POST, "/test/path", Access.open())), config -> {
        config.routes.get("/test/boom", ctx -> {
            throw new IllegalStateException("secret detail of the database password");
        });
        // A handler that turns client text into a Path without checking it first.
        config.routes.get("/test/store-failure", ctx -> {
            throw new dev.cairn.core.error.CairnException(dev.cairn.core.error.ErrorCode.INTERNAL_ERROR,
                    "Could not write artifact 'x': java.nio.file.FileSystemException: /srv/cairn/secret/x: File name too long");
        });
        config.routes.post("/test/path", ctx -> ctx.result(java.nio.file.Path.of(ctx.body()).toString()));
    });

    private TestServer server;
    private Http http;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.sqlite(dir, testRoutes);
        http = new Http(server.url);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void startOnPortZeroReturnsTheBoundPort() {
        assertThat(server.port).isPositive();
        assertThat(server.server.port()).isEqualTo(server.port);
        assertThat(server.server.url()).isEqualTo("http://127.0.0.1:" + server.port);
    }

    @Test
    void anUnknownRouteIsA404WithAJsonErrorBody() {
        Http.Response response = http.get("/api/v1/no-such-thing");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(response.json().path("message").asText()).contains("GET /api/v1/no-such-thing");
        assertThat(response.json().has("details")).isTrue();
    }

    @Test
    void anUnknownRunIdIsA404NamingTheRun() {
        Http.Response response = http.get("/api/v1/runs/0123456789abcdef0123456789abcdef");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(response.json().path("message").asText()).contains("0123456789abcdef0123456789abcdef");
    }

    @Test
    void malformedJsonIsA400MalformedRequest() {
        Http.Response response = http.post("/api/v1/experiments", "{\"name\": \"credit\"");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("MALFORMED_REQUEST");
        assertThat(response.json().path("message").asText()).contains("line 1");
    }

    @Test
    void anEmptyBodyIsA400MalformedRequest() {
        Http.Response response = http.post("/api/v1/experiments", "");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("MALFORMED_REQUEST");
    }

    @Test
    void aWrongTypeIsA400NamingTheFieldAndTheExpectedType() {
        Http.Response response = http.post("/api/v1/experiments", "{\"name\": 42}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(response.json().path("details").path("field").asText()).isEqualTo("name");
        assertThat(response.json().path("details").path("expected").asText()).isEqualTo("a string");
    }

    @Test
    void aWrongTypeInsideAListNamesTheElement() {
        String experimentId = http.post("/api/v1/experiments", "{\"name\": \"typed\"}").json().path("experiment_id").asText();
        String runId = http.post("/api/v1/runs", "{\"experiment_id\": \"" + experimentId + "\"}")
                .json().path("info").path("run_id").asText();
        Http.Response response = http.post("/api/v1/runs/" + runId + "/batch",
                "{\"metrics\": [{\"key\": \"auc\", \"value\": 0.8}, {\"key\": \"loss\", \"value\": \"low\"}]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("details").path("field").asText()).isEqualTo("metrics[1].value");
        assertThat(response.json().path("details").path("expected").asText()).isEqualTo("a number");
        // Nothing of the refused batch was stored.
        assertThat(http.get("/api/v1/runs/" + runId).json().path("data").path("metrics")).isEmpty();
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        Http.Response response = http.post("/api/v1/experiments", "{\"name\": \"x\", \"artifact_locaton\": \"/tmp\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(response.json().path("message").asText()).contains("artifact_locaton").contains("artifact_location");
    }

    @Test
    void aMissingRequiredFieldIsA400NamingIt() {
        Http.Response response = http.post("/api/v1/experiments", "{}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("details").path("field").asText()).isEqualTo("name");
    }

    @Test
    void anInternalErrorIsA500WithAGenericMessageAndNoDetailsOfTheCause() {
        Http.Response response = http.get("/test/boom");
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.errorCode()).isEqualTo("INTERNAL_ERROR");
        assertThat(response.body()).doesNotContain("secret").doesNotContain("IllegalStateException").doesNotContain("at dev.");
        Http.Response store = http.get("/test/store-failure");
        assertThat(store.status()).isEqualTo(500);
        assertThat(store.errorCode()).isEqualTo("INTERNAL_ERROR");
        assertThat(store.body()).doesNotContain("/srv/cairn").doesNotContain("FileSystemException");
    }

    @Test
    void healthEndpointsReportLiveAndReady() {
        assertThat(http.get("/health/live").status()).isEqualTo(200);
        Http.Response ready = http.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("UP");
        assertThat(ready.json().path("checks").path("metadata_store").asText()).isEqualTo("UP");
    }

    @Test
    void aRequestJettyRefusesItselfStillGetsAJsonErrorBody() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port)) {
            socket.getOutputStream().write("GET /api/v1/runs/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).containsIgnoringCase("content-type: application/json");
            assertThat(response).contains("\"error_code\"").doesNotContain("<html>");
        }
    }

    @Test
    void cairnServeAnswersWhatJettyRefusesWithTheSameJsonErrorBody(@TempDir Path dir) throws Exception {
        var config = dev.cairn.server.serving.ServingConfig.defaults(dir.resolve("predictions"))
                .withAliasRefreshInterval(java.time.Duration.ZERO);
        try (var serving = new dev.cairn.server.serving.ServingServer(new dev.cairn.server.serving.Serving(config, null, null),
                "127.0.0.1", 0)) {
            int port = serving.start();
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("GET /invocations/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(response).startsWith("HTTP/1.1 400");
                assertThat(response).containsIgnoringCase("content-type: application/json");
                assertThat(response).contains("\"error_code\"").doesNotContain("<html>");
            }
        }
    }

    @Test
    void aPathTheFileSystemRefusesIsA400NotA500() {
        Http.Response response = http.post("/test/path", "data\u0000.csv");
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(response.json().path("details").path("field").asText()).isEqualTo("path");
    }
}
