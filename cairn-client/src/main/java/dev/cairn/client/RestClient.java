package dev.cairn.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * HTTP calls to Cairn's /api/v1 with JSON bodies. Every failure becomes a {@link CairnException}:
 * the server's {@code error_code} mapped back to its {@link ErrorCode}, with the server's message
 * and details; an unreachable server is TEMPORARILY_UNAVAILABLE.
 *
 * <p>Public only so that {@code dev.cairn.client.remote} (the store interfaces over HTTP) shares
 * this one HTTP layer; applications use {@link Cairn} instead. Instances come from {@link Cairn#rest()}.
 */
public final class RestClient {

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final String user;
    private final Duration timeout;
    private final Credentials credentials;

    RestClient(URI base, HttpClient http, ObjectMapper mapper, String user, Duration timeout, Credentials credentials) {
        this.credentials = credentials == null ? Credentials.NONE : credentials;
        this.base = base;
        this.http = http;
        this.mapper = mapper;
        this.user = user;
        this.timeout = timeout;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:5000}. */
    public URI base() {
        return base;
    }

    /** The user this connection acts as (sent in {@code X-Cairn-User}). */
    public String user() {
        return user;
    }

    public <T> T get(String path, Map<String, ?> query, Class<T> type) {
        return send("GET", path, query, null, mapper.constructType(type));
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return send("POST", path, null, body, type == null ? null : mapper.constructType(type));
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return send("PUT", path, null, body, mapper.constructType(type));
    }

    public <T> T patch(String path, Object body, Class<T> type) {
        return send("PATCH", path, null, body, mapper.constructType(type));
    }

    public void delete(String path, Map<String, ?> query) {
        send("DELETE", path, query, null, null);
    }

    <T> T send(String method, String path, Map<String, ?> query, Object body, JavaType type) {
        return send(method, path, query, body, type, user);
    }

    /**
     * One JSON call; {@code actor} (null for this connection's user) is sent as {@code X-Cairn-User},
     * so that store methods taking an actor record that actor, as an embedded store would.
     */
    public <T> T send(String method, String path, Map<String, ?> query, Object body, JavaType type, String actor) {
        return send(method, path, query, body, type, actor, Map.of());
    }

    /** One JSON call with extra request headers (a precondition such as {@code If-Match}). */
    public <T> T send(String method, String path, Map<String, ?> query, Object body, JavaType type, String actor,
                      Map<String, String> headers) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot write the request as JSON: " + e.getOriginalMessage(), e);
        }
        HttpRequest.Builder request = request(path, query, actor).method(method, publisher);
        if (body != null) request.header("Content-Type", "application/json");
        headers.forEach(request::header);
        HttpResponse<byte[]> response = exchange(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 400) {
            throw errorOf(response.statusCode(), response.body(), method, path);
        }
        if (type == null || response.statusCode() == 204 || response.body().length == 0) {
            return null;
        }
        try {
            return mapper.readValue(response.body(), type);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "The server's answer to " + method + " " + path
                    + " is not the expected JSON: " + e.getMessage(), e);
        }
    }

    /** Uploads a body streamed from {@code publisher} (a file is never read into memory whole). */
    public <T> T putRaw(String path, HttpRequest.BodyPublisher publisher, Class<T> type) {
        return sendRaw("PUT", path, null, publisher, type);
    }

    /** Sends a raw (octet-stream) body and reads a JSON answer; {@code type} null ignores it. */
    public <T> T sendRaw(String method, String path, Map<String, ?> query, HttpRequest.BodyPublisher publisher, Class<T> type) {
        HttpResponse<byte[]> response = sendRawForResponse(method, path, query, publisher);
        if (type == null || response.body().length == 0) return null;
        try {
            return mapper.readValue(response.body(), type);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "The server's answer to " + method + " " + path + " is not JSON", e);
        }
    }

    /** Sends a raw body; the answer (status below 400) with its headers. */
    public HttpResponse<byte[]> sendRawForResponse(String method, String path, Map<String, ?> query,
                                                   HttpRequest.BodyPublisher publisher) {
        HttpRequest request = request(path, query, user).method(method, publisher)
                .header("Content-Type", "application/octet-stream").build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 400) throw errorOf(response.statusCode(), response.body(), method, path);
        return response;
    }

    /** A streamed GET; the caller closes the body. Errors are read and thrown before returning. */
    public HttpResponse<InputStream> getStream(String path) {
        return getStream(path, null);
    }

    /** A streamed GET with a query; the caller closes the body. */
    public HttpResponse<InputStream> getStream(String path, Map<String, ?> query) {
        HttpRequest request = request(path, query, user).GET().build();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            throw errorOf(response.statusCode(), body, "GET", path);
        }
        return response;
    }

    private HttpRequest.Builder request(String path, Map<String, ?> query, String actor) {
        String uri = base.toString().replaceAll("/+$", "") + path + queryString(query);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).header("Accept", "application/json");
        if (timeout != null) builder.timeout(timeout);
        String who = actor != null ? actor : user;
        if (who != null) builder.header("X-Cairn-User", who);
        if (credentials.present()) builder.header("Authorization", credentials.authorization());
        return builder;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Cannot connect to the Cairn server at " + base
                    + ": " + e.getMessage(), Map.of("url", base.toString()), e);
        } catch (HttpTimeoutException e) {
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, request.method() + " " + request.uri()
                    + " timed out", Map.of("url", request.uri().toString()), e);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, request.method() + " " + request.uri()
                    + " failed: " + e.getMessage(), Map.of("url", request.uri().toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Interrupted while calling " + request.uri(), e);
        }
    }

    /** The server's error body turned back into the exception the server raised. */
    CairnException errorOf(int status, byte[] body, String method, String path) {
        ErrorCode code = null;
        String message = null;
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.isObject()) {
                code = codeOf(node.path("error_code").asText(null));
                message = node.path("message").asText(null);
                JsonNode d = node.get("details");
                if (d != null && d.isObject()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = mapper.convertValue(d, HashMap.class);
                    details.putAll(map);
                }
            }
        } catch (IOException e) {
            // Not JSON (a proxy's error page): fall back on the status.
        }
        if (code == null) code = codeOfStatus(status);
        if (message == null) message = method + " " + path + " failed with HTTP " + status;
        details.values().removeIf(java.util.Objects::isNull);
        details.put("http_status", status);
        return new CairnException(code, message, details);
    }

    private static ErrorCode codeOf(String name) {
        if (name == null) return null;
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ErrorCode codeOfStatus(int status) {
        return switch (status) {
            case 400 -> ErrorCode.BAD_REQUEST;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 429 -> ErrorCode.REQUEST_LIMIT_EXCEEDED;
            case 502, 503, 504 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            default -> status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }

    private static String queryString(Map<String, ?> query) {
        if (query == null || query.isEmpty()) return "";
        StringJoiner joiner = new StringJoiner("&", "?", "");
        query.forEach((key, value) -> {
            if (value == null) return;
            if (value instanceof Iterable<?> values) {
                for (Object v : values) joiner.add(encode(key) + "=" + encode(String.valueOf(v)));
            } else {
                joiner.add(encode(key) + "=" + encode(String.valueOf(value)));
            }
        });
        return joiner.length() == 1 ? "" : joiner.toString();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Encodes each segment of a slash-separated path, keeping the slashes. */
    public static String encodePath(String path) {
        StringJoiner joiner = new StringJoiner("/");
        for (String segment : path.split("/", -1)) joiner.add(encode(segment));
        return joiner.toString();
    }
}
