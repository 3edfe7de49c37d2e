package dev.cairn.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.access.DataAccess;
import dev.cairn.core.tracking.Run;
import dev.cairn.server.Http;
import dev.cairn.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The data-validation endpoints on a real server: results come back as JSON and, with a run id, stay with the run. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataApiTest {
    static final Path CREDIT = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/credit-risk/credit-g.csv");
    static final Path SCHEMA = CREDIT.resolveSibling("schema.yaml");

    TestServer server;
    Http http;
    Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = java.nio.file.Files.createDirectories(dir.resolve("data"));
        // The example's folder and a data directory of the test's own are the server's data roots.
        server = TestServer.sqlite(dir, DataAccess.roots(CREDIT.getParent(), this.dir));
        http = new Http(server.url);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String source(Path file) {
        return "{\"path\": \"" + file.toString().replace("\\", "\\\\") + "\"}";
    }

    @Test
    void aProfileCountsRowsAndColumns() {
        Http.Response response = http.post(DataApi.DATA + "/profile", "{\"source\": " + source(CREDIT) + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode profile = response.json();
        assertThat(profile.toString()).contains("credit_amount").contains("checking_status");
        assertThat(profile.path("rowCount").asLong()).isEqualTo(1000);
    }

    @Test
    void validationAgainstTheReviewedSchemaPassesAndIsStoredWithTheRun() throws Exception {
        Run run = server.store.runs().createRun("0", "tester", System.currentTimeMillis(), "validate", List.of());
        String yaml = java.nio.file.Files.readString(SCHEMA);
        String spec = com.fasterxml.jackson.databind.node.TextNode.valueOf(yaml).toString();
        Http.Response response = http.post(DataApi.DATA + "/validate", "{\"source\": " + source(CREDIT) + ", \"spec_yaml\": " + spec
                + ", \"environment\": \"TRAINING\", \"run_id\": \"" + run.info().runId() + "\", \"name\": \"credit-g\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("success").asBoolean()).isTrue();

        Run stored = server.store.runs().getRun(run.info().runId());
        assertThat(stored.data().metrics()).anySatisfy(m -> assertThat(m.key()).startsWith("data.credit-g."));
        assertThat(dev.cairn.core.store.Stores.openArtifacts(stored.info().artifactUri()).exists("data/credit-g/validation.html")).isTrue();
    }

    @Test
    void driftOfADatasetAgainstItselfReportsEveryValueAndNoDrift() {
        Http.Response response = http.post(DataApi.DATA + "/drift", "{\"reference\": " + source(CREDIT) + ", \"current\": " + source(CREDIT) + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("driftShare").asDouble()).isZero();
        assertThat(response.json().path("features").size()).isGreaterThan(10);
    }

    @Test
    void aRaggedLineIsAFailedCheckAndAnUnreadableFileA400InOneLine() throws Exception {
        Path ragged = dir.resolve("ragged.csv");
        java.nio.file.Files.writeString(ragged, "id,age\n1,30\n2\n3,40\n");
        String spec = com.fasterxml.jackson.databind.node.TextNode.valueOf("fields:\n  - {name: id, type: INTEGER}\n  - {name: age, type: INTEGER}\n").toString();
        Http.Response validated = http.post(DataApi.DATA + "/validate", "{\"source\": " + source(ragged) + ", \"spec_yaml\": " + spec + "}");
        assertThat(validated.status()).as(validated.body()).isEqualTo(200);
        assertThat(validated.json().path("success").asBoolean()).isFalse();
        assertThat(validated.body()).contains("well-formed lines").contains("line 3 has 1 field where the header has 2");

        Path broken = dir.resolve("rows.jsonl");
        java.nio.file.Files.writeString(broken, "{\"id\": 1}\n{\"id\": oops}\n");
        Http.Response refused = http.post(DataApi.DATA + "/profile", "{\"source\": " + source(broken) + "}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("line 2").doesNotContain("LINE 1").doesNotContain("Invalid Input Error");
    }

    @Test
    void aMissingFileIsA4xxNamingIt() {
        Http.Response response = http.post(DataApi.DATA + "/profile", "{\"source\": " + source(CREDIT.resolveSibling("nope.csv")) + "}");
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.body()).contains("nope.csv");
    }

    @Test
    void malformedJsonIsA400() {
        Http.Response response = http.post(DataApi.DATA + "/validate", "{\"source\": ");
        assertThat(response.status()).isEqualTo(400);
    }
}
