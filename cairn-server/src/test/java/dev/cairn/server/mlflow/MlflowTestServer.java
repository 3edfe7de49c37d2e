package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.CairnServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Cairn server on port 0 serving the MLflow API and MLflow's artifact API from a metadata
 * store and an artifact directory, with a plain HTTP client for the tests.
 */
final class MlflowTestServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final MetadataStore store;
    final ArtifactRepository artifacts;
    final CairnServer server;
    final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private MlflowTestServer(MetadataStore store, ArtifactRepository artifacts) {
        this.store = store;
        this.artifacts = artifacts;
        this.server = new CairnServer(store, artifacts, "127.0.0.1", 0,
                List.of(new MlflowApi(store, artifacts), new MlflowArtifactsApi(artifacts)));
        server.start();
        this.url = server.url();
    }

    /** A server on {@code storeUri} with its artifacts in {@code artifactDirectory}. */
    static MlflowTestServer start(String storeUri, Path artifactDirectory) {
        String root = artifactDirectory.toUri().toString();
        MetadataStore store = Stores.openMetadata(storeUri, root);
        try {
            return new MlflowTestServer(store, Stores.openArtifacts(root));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** A server over stores the caller opened; closing the server closes the metadata store. */
    static MlflowTestServer serve(MetadataStore store, ArtifactRepository artifacts) {
        try {
            return new MlflowTestServer(store, artifacts);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    static MlflowTestServer sqlite(Path directory) {
        return start("sqlite:" + directory.resolve("cairn.db"), directory.resolve("artifacts"));
    }

    HttpResponse<String> post(String path, String body) {
        return send("POST", path, body);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send("GET", pathAndQuery, null);
    }

    HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .build();
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient http() {
        return http;
    }

    /** POSTs and returns the JSON answer, failing unless it is a 200. */
    JsonNode ok(String path, String body) {
        return ok(post(path, body));
    }

    JsonNode okGet(String pathAndQuery) {
        return ok(get(pathAndQuery));
    }

    static JsonNode ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError("Expected 200 from " + response.request().method() + " " + response.uri()
                    + " but got " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }

    /** A JSON string literal. */
    static String q(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            store.close();
        }
    }
}
