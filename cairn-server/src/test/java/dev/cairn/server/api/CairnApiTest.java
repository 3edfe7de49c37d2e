package dev.cairn.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.Http;
import dev.cairn.server.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Cairn's /api/v1 over plain HTTP: the endpoints the SDK tests do not already cover, and the wire shapes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CairnApiTest {

    private TestServer server;
    private Http http;
    private Path artifactDir;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.sqlite(dir);
        http = new Http(server.url);
        artifactDir = dir.resolve("artifacts");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String createExperiment(String name) {
        Http.Response response = http.post("/api/v1/experiments", "{\"name\": \"" + name + "\"}");
        assertThat(response.status()).isEqualTo(201);
        return response.json().path("experiment_id").asText();
    }

    private String createRun(String experimentId, String user) {
        Http.Response response = http.send("POST", "/api/v1/runs", "{\"experiment_id\": \"" + experimentId + "\"}", user);
        assertThat(response.status()).isEqualTo(201);
        return response.json().path("info").path("run_id").asText();
    }

    @Test
    void experimentsAreRenamedDeletedRestoredAndFoundByName() {
        String name = unique("lifecycle");
        String id = createExperiment(name);
        JsonNode renamed = http.send("PATCH", "/api/v1/experiments/" + id, "{\"name\": \"" + name + "-v2\"}", null).json();
        assertThat(renamed.path("name").asText()).isEqualTo(name + "-v2");
        assertThat(http.get("/api/v1/experiments/by-name/" + name + "-v2").json().path("experiment_id").asText()).isEqualTo(id);
        assertThat(http.get("/api/v1/experiments/by-name/" + name).status()).isEqualTo(404);

        assertThat(http.send("DELETE", "/api/v1/experiments/" + id, null, null).json().path("lifecycle_stage").asText())
                .isEqualTo("DELETED");
        assertThat(names(http.get("/api/v1/experiments?view_type=DELETED_ONLY&max_results=1000"))).contains(name + "-v2");
        assertThat(names(http.get("/api/v1/experiments?max_results=1000"))).doesNotContain(name + "-v2");
        assertThat(http.post("/api/v1/experiments/" + id + "/restore", null).json().path("lifecycle_stage").asText())
                .isEqualTo("ACTIVE");
    }

    private static List<String> names(Http.Response page) {
        List<String> names = new ArrayList<>();
        page.json().path("experiments").forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    @Test
    void listingsArePagedWithMaxResultsAndPageToken() {
        String prefix = unique("paged");
        for (int i = 0; i < 5; i++) createExperiment(prefix + "-" + i);
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String query = "/api/v1/experiments?max_results=2&filter=" + java.net.URLEncoder.encode("name LIKE '" + prefix + "%'",
                    java.nio.charset.StandardCharsets.UTF_8) + (token == null ? "" : "&page_token=" + token);
            JsonNode page = http.get(query).json();
            page.path("experiments").forEach(e -> seen.add(e.path("name").asText()));
            token = page.hasNonNull("next_page_token") ? page.path("next_page_token").asText() : null;
            pages++;
        } while (token != null && pages < 10);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);

        Http.Response tooMany = http.get("/api/v1/experiments?max_results=5000");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().path("details").path("field").asText()).isEqualTo("max_results");
        assertThat(http.get("/api/v1/experiments?max_results=lots").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/experiments?view_type=SOME").json().path("details").path("field").asText()).isEqualTo("view_type");
    }

    @Test
    void theActorComesFromTheHeaderThenTheUserFieldThenDefaultsToAnonymous() {
        String experimentId = createExperiment(unique("actors"));
        String byHeader = createRun(experimentId, "carol");
        assertThat(tag(byHeader, "mlflow.user")).isEqualTo("carol");
        String anonymous = createRun(experimentId, null);
        assertThat(tag(anonymous, "mlflow.user")).isEqualTo("anonymous");
        String byField = http.post("/api/v1/runs", "{\"experiment_id\": \"" + experimentId + "\", \"user\": \"dave\"}")
                .json().path("info").path("run_id").asText();
        assertThat(tag(byField, "mlflow.user")).isEqualTo("dave");
        assertThat(http.get("/api/v1/runs/" + byField).json().path("info").path("user_id").asText()).isEqualTo("dave");
        // A client that sends its own mlflow.user keeps it.
        String own = http.post("/api/v1/runs", "{\"experiment_id\": \"" + experimentId
                + "\", \"tags\": [{\"key\": \"mlflow.user\", \"value\": \"erin\"}]}").json().path("info").path("run_id").asText();
        assertThat(tag(own, "mlflow.user")).isEqualTo("erin");
    }

    private String tag(String runId, String key) {
        for (JsonNode tag : http.get("/api/v1/runs/" + runId).json().path("data").path("tags")) {
            if (tag.path("key").asText().equals(key)) return tag.path("value").asText();
        }
        return null;
    }

    @Test
    void runsAreUpdatedDeletedRestoredAndTheirTagsDeleted() {
        String runId = createRun(createExperiment(unique("runs")), null);
        assertThat(http.post("/api/v1/runs/" + runId + "/tags", "{\"key\": \"stage/name\", \"value\": \"x\"}").status()).isEqualTo(204);
        assertThat(tag(runId, "stage/name")).isEqualTo("x");
        assertThat(http.send("DELETE", "/api/v1/runs/" + runId + "/tags/stage/name", null, null).status()).isEqualTo(204);
        assertThat(tag(runId, "stage/name")).isNull();

        JsonNode updated = http.send("PATCH", "/api/v1/runs/" + runId, "{\"status\": \"KILLED\", \"run_name\": \"renamed\"}", null).json();
        assertThat(updated.path("info").path("status").asText()).isEqualTo("KILLED");
        assertThat(updated.path("info").path("run_name").asText()).isEqualTo("renamed");
        assertThat(updated.path("info").path("end_time").asLong()).isPositive();
        Http.Response badStatus = http.send("PATCH", "/api/v1/runs/" + runId, "{\"status\": \"DONE\"}", null);
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().path("details").path("field").asText()).isEqualTo("status");
        assertThat(badStatus.json().path("details").path("expected").asText()).contains("FINISHED");

        assertThat(http.send("DELETE", "/api/v1/runs/" + runId, null, null).json().path("info").path("lifecycle_stage").asText())
                .isEqualTo("DELETED");
        assertThat(http.post("/api/v1/runs/" + runId + "/restore", null).json().path("info").path("lifecycle_stage").asText())
                .isEqualTo("ACTIVE");
    }

    @Test
    void aMetricWithoutAValueIsRefusedAndAMetricHistoryNeedsItsKey() {
        String runId = createRun(createExperiment(unique("metrics")), null);
        Http.Response missing = http.post("/api/v1/runs/" + runId + "/metrics", "{\"key\": \"auc\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("details").path("field").asText()).isEqualTo("value");
        Http.Response noKey = http.get("/api/v1/runs/" + runId + "/metrics/history");
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().path("details").path("field").asText()).isEqualTo("metric_key");
    }

    @Test
    void anArtifactUploadIsStreamedAndACorruptedFileIsNeverServedAsIfWhole() throws Exception {
        String runId = createRun(createExperiment(unique("artifacts")), null);
        HttpClient client = HttpClient.newHttpClient();
        byte[] content = "0123456789".repeat(100).getBytes();
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(server.url + "/api/v1/runs/" + runId
                        + "/artifacts/data/sample.txt")).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);
        HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(URI.create(server.url + "/api/v1/runs/" + runId
                + "/artifacts/data/sample.txt")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        assertThat(get.headers().firstValue(ArtifactsApi.SHA256_HEADER)).isPresent();

        // Flip bytes of the stored file behind the repository's back.
        Path stored;
        try (var files = Files.walk(artifactDir)) {
            stored = files.filter(p -> p.getFileName().toString().equals("sample.txt")).findFirst().orElseThrow();
        }
        Files.write(stored, "9876543210".repeat(100).getBytes());
        HttpResponse<String> corrupted = client.send(HttpRequest.newBuilder(URI.create(server.url + "/api/v1/runs/" + runId
                + "/artifacts/data/sample.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(corrupted.statusCode()).isEqualTo(500);
        assertThat(corrupted.body()).contains("DATA_LOSS");

        Http.Response directory = http.get("/api/v1/runs/" + runId + "/artifacts/data");
        assertThat(directory.status()).isEqualTo(400);
        Http.Response escape = http.send("PUT", "/api/v1/runs/" + runId + "/artifacts/..%2F..%2Fescape.txt", "x", null);
        assertThat(escape.status()).isEqualTo(400);
        assertThat(http.get("/api/v1/runs/" + runId + "/artifacts/nothing-here.txt").status()).isEqualTo(404);
        Http.Response overlong = http.send("PUT", "/api/v1/runs/" + runId + "/artifacts/" + "n".repeat(300) + ".txt", "x", null);
        assertThat(overlong.status()).as(overlong.body()).isEqualTo(400);
        assertThat(overlong.json().path("message").asText()).contains("at most 255 bytes");
    }

    @Test
    void registeredModelsAndVersionsAreDescribedTaggedRenamedAndDeleted() {
        String name = unique("described");
        assertThat(http.send("POST", "/api/v1/registered-models", "{\"name\": \"" + name + "\"}", "frank").status()).isEqualTo(201);
        JsonNode updated = http.send("PATCH", "/api/v1/registered-models/" + name, "{\"description\": \"scores loans\"}", null).json();
        assertThat(updated.path("description").asText()).isEqualTo("scores loans");
        assertThat(http.post("/api/v1/registered-models/" + name + "/tags", "{\"key\": \"owner\", \"value\": \"risk\"}")
                .json().path("tags").get(0).path("value").asText()).isEqualTo("risk");

        String runId = createRun(createExperiment(unique("reg")), null);
        JsonNode version = http.post("/api/v1/registered-models/" + name + "/versions",
                "{\"source\": \"runs:/" + runId + "/model\"}").json();
        assertThat(version.path("version").asLong()).isEqualTo(1);
        assertThat(version.path("run_id").asText()).isEqualTo(runId);
        assertThat(http.send("PATCH", "/api/v1/registered-models/" + name + "/versions/1", "{\"description\": \"v1\"}", null)
                .json().path("description").asText()).isEqualTo("v1");
        assertThat(http.post("/api/v1/registered-models/" + name + "/versions/1/tags", "{\"key\": \"validated\", \"value\": \"yes\"}")
                .json().path("tags").get(0).path("key").asText()).isEqualTo("validated");
        assertThat(http.send("DELETE", "/api/v1/registered-models/" + name + "/versions/1/tags/validated", null, null)
                .json().path("tags")).isEmpty();
        assertThat(http.get("/api/v1/registered-models/" + name + "/versions").json().path("model_versions")).hasSize(1);
        assertThat(http.get("/api/v1/registered-models/" + name + "/versions/abc").json().path("details").path("field").asText())
                .isEqualTo("version");
        assertThat(http.get("/api/v1/registered-models/" + name + "/versions/7").status()).isEqualTo(404);

        // As MLflow, deleting a version takes the aliases pointing at it along, audited.
        http.send("PUT", "/api/v1/registered-models/" + name + "/aliases/champion", "{\"version\": 1}", null);
        assertThat(http.send("DELETE", "/api/v1/registered-models/" + name + "/versions/1", null, "frank").status()).isEqualTo(204);
        assertThat(http.get("/api/v1/registered-models/" + name + "/aliases/champion").status()).isEqualTo(404);
        JsonNode aliasGone = http.get("/api/v1/audit?model_name=" + name).json().path("events").get(1);
        assertThat(aliasGone.path("action").asText()).isEqualTo("ALIAS_DELETED");
        assertThat(aliasGone.path("actor").asText()).isEqualTo("frank");
        assertThat(aliasGone.path("subject").asText()).isEqualTo("champion");

        String renamed = name + "-renamed";
        assertThat(http.send("PATCH", "/api/v1/registered-models/" + name, "{\"new_name\": \"" + renamed + "\"}", null)
                .json().path("name").asText()).isEqualTo(renamed);
        assertThat(http.get("/api/v1/registered-models/" + name).status()).isEqualTo(404);
        assertThat(http.send("DELETE", "/api/v1/registered-models/" + renamed, null, "frank").status()).isEqualTo(204);

        // The log of a deleted model is still there, with who did what.
        JsonNode events = http.get("/api/v1/audit?model_name=" + renamed).json().path("events");
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).path("action").asText()).isEqualTo("MODEL_DELETED");
        assertThat(events.get(0).path("actor").asText()).isEqualTo("frank");
    }

    @Test
    void aliasChangesWithIfMatchNeverOverwriteSilently() {
        String name = unique("contended");
        http.post("/api/v1/registered-models", "{\"name\": \"" + name + "\"}");
        String runId = createRun(createExperiment(unique("contended")), null);
        for (int v = 1; v <= 3; v++) {
            assertThat(http.post("/api/v1/registered-models/" + name + "/versions", "{\"source\": \"runs:/" + runId + "/model\"}").status())
                    .isEqualTo(201);
        }
        String alias = "/api/v1/registered-models/" + name + "/aliases/champion";
        Http.Response created = http.send("PUT", alias, "{\"version\": 1}", "alice", Map.of("If-None-Match", "*"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(http.send("PUT", alias, "{\"version\": 2}", "bob", Map.of("If-None-Match", "*")).status()).isEqualTo(409);

        // Alice and Bob both saw version 1; Bob moves it first, Alice's change is refused and told who moved it.
        String seen = http.get(alias).header("ETag");
        Http.Response bob = http.send("PUT", alias, "{\"version\": 2, \"comment\": \"better\"}", "bob", Map.of("If-Match", seen));
        assertThat(bob.status()).isEqualTo(200);
        assertThat(bob.header("ETag")).isEqualTo("\"2\"");
        Http.Response alice = http.send("PUT", alias, "{\"version\": 3}", "alice", Map.of("If-Match", seen));
        assertThat(alice.status()).isEqualTo(409);
        assertThat(alice.errorCode()).isEqualTo("CONFLICT");
        assertThat(alice.json().path("message").asText()).contains("points at version 2", "changed by bob");
        assertThat(alice.json().path("details").path("changed_by").asText()).isEqualTo("bob");
        assertThat(http.send("DELETE", alias, null, "alice", Map.of("If-Match", seen)).status()).isEqualTo(409);
        assertThat(http.get(alias).json().path("version").asLong()).isEqualTo(2);

        Http.Response malformed = http.send("PUT", alias, "{\"version\": 3}", "alice", Map.of("If-Match", "version-2"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("details").path("field").asText()).isEqualTo("If-Match");
        // Without a precondition the change applies, as MLflow's API does.
        assertThat(http.send("PUT", alias, "{\"version\": 3}", "carol").status()).isEqualTo(200);
    }

    @Test
    void modelUrisAreResolvedAndBadOnesRefusedByName() {
        Http.Response bad = http.get("/api/v1/model-versions/resolve?uri=models:/x");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("details").path("field").asText()).isEqualTo("model_uri");
        Http.Response unknown = http.get("/api/v1/model-versions/resolve?uri=models:/no-such-model@champion");
        assertThat(unknown.status()).isEqualTo(404);
        String runId = createRun(createExperiment(unique("resolve")), null);
        JsonNode resolved = http.get("/api/v1/model-versions/resolve?uri=runs:/" + runId + "/model").json();
        assertThat(resolved.path("storage_location").asText()).endsWith("/model").contains(runId);
        assertThat(resolved.has("model_version")).isFalse();
    }

    @Test
    void searchingAcrossModelsFindsVersionsByRun() throws IOException {
        String runId = createRun(createExperiment(unique("across")), null);
        for (String model : List.of(unique("a"), unique("b"))) {
            http.post("/api/v1/registered-models", "{\"name\": \"" + model + "\"}");
            http.post("/api/v1/registered-models/" + model + "/versions", "{\"source\": \"runs:/" + runId + "/model\"}");
        }
        JsonNode found = http.get("/api/v1/model-versions?filter=" + java.net.URLEncoder.encode("run_id = '" + runId + "'",
                java.nio.charset.StandardCharsets.UTF_8)).json();
        assertThat(found.path("model_versions")).hasSize(2);
    }

    @Test
    void experimentNamesWithSlashesAndSpacesAreFoundByName() {
        dev.cairn.client.Cairn cairn = dev.cairn.client.Cairn.connect(server.url);
        for (String name : List.of(unique("team/credit risk"), "/Users/" + unique("me") + "/exp")) {
            String id = cairn.createExperiment(name).experimentId();
            assertThat(cairn.getExperimentByName(name)).get()
                    .satisfies(e -> assertThat(e.experimentId()).isEqualTo(id));
        }
        assertThat(cairn.getExperimentByName(unique("absent/one"))).isEmpty();
    }

    @Test
    void aJsonBodyOverTheLimitIsRefusedWith413() {
        String huge = "{\"name\": \"" + "x".repeat((int) dev.cairn.server.RequestBodies.MAX_JSON_BYTES) + "\"}";
        Http.Response response = http.postExpectingContinue("/api/v1/experiments", huge);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void aLargeCorruptedArtifactFailsTheDownloadAndLeavesNoFileBehind(@TempDir Path local) throws Exception {
        dev.cairn.client.Cairn cairn = dev.cairn.client.Cairn.connect(server.url);
        String runId = createRun(createExperiment(unique("big")), null);
        byte[] content = new byte[300 * 1024];
        new java.util.Random(3).nextBytes(content);
        Path file = Files.write(local.resolve("big.bin"), content);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url + "/api/v1/runs/" + runId
                + "/artifacts/big.bin")).PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(cairn.readArtifact(runId, "big.bin")).isEqualTo(content);

        Path stored;
        try (var files = Files.walk(artifactDir)) {
            stored = files.filter(p -> p.getFileName().toString().equals("big.bin")).findFirst().orElseThrow();
        }
        content[content.length - 1] ^= 1; // one bit, in the last chunk
        Files.write(stored, content);
        Path target = local.resolve("downloaded.bin");
        assertThatThrownBy(() -> cairn.downloadArtifact(runId, "big.bin", target))
                .isInstanceOfSatisfying(dev.cairn.core.error.CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.cairn.core.error.ErrorCode.DATA_LOSS));
        assertThat(target).doesNotExist();
        try (var leftovers = Files.list(local)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("big.bin");
        }
    }

    @Test
    void searchFiltersOverTheLimitsAre400sNamingTheLimit() {
        String experiment = createExperiment(unique("limits"));
        String deep = "(".repeat(20_000) + "metrics.a > 1" + ")".repeat(20_000);
        String many = String.join(" AND ", java.util.Collections.nCopies(999, "metrics.a > 1"));
        for (String[] filter : new String[][] {{deep, "deeper than 100 levels"}, {many, "more than 200 terms"}}) {
            Http.Response response = http.post("/api/v1/runs/search", "{\"experiment_ids\": [\"" + experiment + "\"], \"filter\": \""
                    + filter[0] + "\"}");
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().path("message").asText()).contains(filter[1]);
            assertThat(response.json().path("details").path("field").asText()).isEqualTo("filter");
        }
    }
}
