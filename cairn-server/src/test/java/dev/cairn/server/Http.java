package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** Plain HTTP calls for tests that check the wire itself (status codes, error bodies). */
public final class Http {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public Http(String base) {
        this.base = base;
    }

    /** A response: status and body, with the body parsed as JSON when it is JSON, and its headers. */
    public record Response(int status, String contentType, String body, Map<String, List<String>> headers) {
        public Response(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }

        /** The first value of a header (names are case-insensitive), or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error_code").asText();
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json, null);
    }

    public Response send(String method, String path, String body, String user) {
        return send(method, path, body, user, false, Map.of());
    }

    /** Sends with extra request headers (a precondition, a content type of the test's own). */
    public Response send(String method, String path, String body, String user, Map<String, String> headers) {
        return send(method, path, body, user, false, headers);
    }

    /**
     * Sends with {@code Expect: 100-continue}, as curl does for large bodies: a server that refuses
     * a body by its declared length answers before the body is sent. Without it, a body larger than
     * the socket buffers may still be in flight when the server answers and closes, and the client
     * sees a reset instead of the answer (a race: it failed CI once).
     */
    public Response postExpectingContinue(String path, String json) {
        return send("POST", path, json, null, true, Map.of());
    }

    private Response send(String method, String path, String body, String user, boolean expectContinue, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .expectContinue(expectContinue);
        if (body != null) request.header("Content-Type", "application/json");
        if (user != null) request.header("X-Cairn-User", user);
        headers.forEach(request::setHeader);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
                    response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
