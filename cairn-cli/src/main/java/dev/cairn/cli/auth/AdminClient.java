package dev.cairn.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.client.Credentials;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The admin commands' client of a server's {@code /api/v1/auth}, with the credentials of the environment
 * ({@link Credentials#fromEnvironment}).
 * A refusal becomes a {@link CairnException} with the server's error code and message.
 */
final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    AdminClient(String server, Function<String, String> environment) {
        if (server == null || !(server.startsWith("http://") || server.startsWith("https://"))) {
            throw CairnException.invalid("--server", server, "a server URL such as http://127.0.0.1:5000");
        }
        this.base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.authorization = Credentials.fromEnvironment(environment).authorization();
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode send(String method, String path, Map<String, Object> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/auth" + path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) request.header("Authorization", authorization);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : parse(response.body());
            if (response.statusCode() >= 300) throw refusal(response.statusCode(), json);
            return json;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "cannot reach the server at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "interrupted while calling " + base);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode().put("message", body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    private static CairnException refusal(int status, JsonNode json) {
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(json.path("error_code").asText(""));
        } catch (IllegalArgumentException unknown) {
            code = status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        }
        String message = json.path("message").asText("HTTP " + status);
        if (code == ErrorCode.UNAUTHENTICATED) {
            message += " (set CAIRN_TOKEN, or CAIRN_USERNAME and CAIRN_PASSWORD)";
        }
        return new CairnException(code, message);
    }
}
