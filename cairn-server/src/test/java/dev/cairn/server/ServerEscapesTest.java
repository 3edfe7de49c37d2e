package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 7 on a real {@code cairn server} ({@link ServerMain#start}): data, artifact locations and model
 * sources outside what the administrator configured are refused with a 4xx naming the field, and nothing is read,
 * written or copied outside the roots (asserted on the file system). The allowed cases still work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerEscapesTest {
    static final Path CREDIT = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/credit-risk/credit-g.csv");
    static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    Path dataRoot;
    Path outside;
    Path artifacts;
    ServerMain.RunningServer running;
    Http http;
    String runId;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        dataRoot = Files.createDirectories(dir.resolve("data"));
        outside = Files.createDirectories(dir.resolve("outside"));
        artifacts = dir.resolve("artifacts");
        Files.copy(CREDIT, dataRoot.resolve("credit-g.csv"));
        Files.writeString(outside.resolve("secret.csv"), "user,password\nroot,hunter2\n");
        Files.createSymbolicLink(dataRoot.resolve("link.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(dataRoot.resolve("linked-dir"), outside);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataRoot.resolve("master.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER, age INTEGER)");
            s.execute("INSERT INTO customers VALUES (1, 30), (2, 40)");
        }
        ServerOptions options = ServerOptions.parse(List.of("--store", "sqlite:" + dir.resolve("cairn.db"),
                "--artifacts", artifacts.toUri().toString(), "--port", "0",
                "--data-root", dataRoot.toString(), "--connection", "master=jdbc:sqlite:" + dataRoot.resolve("master.db")));
        running = ServerMain.start(options, java.time.Clock.systemUTC(), false);
        http = new Http(running.url());
        // A real model in the artifact store, trained through the REST API on a file under the data root.
        ObjectNode train = JSON.createObjectNode().put("data", "credit-g.csv").put("label", "class").put("algorithm", "baseline")
                .put("experiment", "escapes");
        Http.Response trained = http.post("/api/v1/training/runs", train.toString());
        assertThat(trained.status()).as(trained.body()).isEqualTo(201);
        runId = trained.json().path("run_id").asText();
    }

    @AfterAll
    void stop() {
        if (running != null) running.close();
    }

    private static void assertRefused(Http.Response response, String field, String sent) {
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        JsonNode body = response.json();
        assertThat(body.path("error_code").asText()).as(response.body()).isNotEmpty();
        assertThat(body.path("details").path("field").asText()).as(response.body()).isEqualTo(field);
        if (sent != null) assertThat(body.path("details").path("value").asText()).as(response.body()).isEqualTo(sent);
        assertThat(response.body()).doesNotContain("hunter2").doesNotContain("root:x:").doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    private String source(String path) {
        return JSON.createObjectNode().set("source", JSON.createObjectNode().put("path", path).put("format", "csv")).toString();
    }

    // ---- data: files only under the data roots, databases only by name ----

    @Test
    void dataRoutesRefuseEveryPathOutsideTheDataRoots() {
        List<String> hostile = List.of("/etc/passwd", "../outside/secret.csv", outside.resolve("secret.csv").toString(),
                "link.csv", "linked-dir/secret.csv", "file://" + outside.resolve("secret.csv"), "file:///etc/passwd",
                "file://evil.example/share/x.csv", "credit-g.csv/../../outside/secret.csv", "*.csv", "linked-*/secret.csv",
                "https://example.com/x.csv");
        for (String route : List.of("profile", "infer-schema", "validate")) {
            for (String path : hostile) {
                ObjectNode body = (ObjectNode) read(source(path));
                body.put("delimiter", ":");
                if (route.equals("validate")) body.put("spec_yaml", "fields: []\n");
                assertRefused(http.post("/api/v1/data/" + route, body.toString()), "source.path", path);
            }
        }
        Http.Response drift = http.post("/api/v1/data/drift", "{\"reference\": {\"path\": \"credit-g.csv\"}, \"current\": {\"path\": \"/etc/passwd\"}}");
        assertRefused(drift, "current.path", "/etc/passwd");
    }

    @Test
    void aRawJdbcUrlIsRefusedAndANamedConnectionIsRead() {
        String own = "jdbc:sqlite:" + dir.resolve("cairn.db");
        Http.Response raw = http.post("/api/v1/data/profile",
                "{\"source\": {\"jdbc_url\": \"" + own + "\", \"table\": \"experiments\"}}");
        assertRefused(raw, "source.jdbc_url", own);
        Http.Response secret = http.post("/api/v1/data/profile",
                "{\"source\": {\"jdbc_url\": \"jdbc:postgresql://db/x?password=hunter2\", \"table\": \"t\"}}");
        assertRefused(secret, "source.jdbc_url", "jdbc:postgresql://db/x?password=***");
        assertRefused(http.post("/api/v1/data/profile", "{\"source\": {\"connection\": \"cairn\", \"table\": \"experiments\"}}"),
                "source.connection", "cairn");
        assertRefused(http.post("/api/v1/data/profile", "{\"source\": {\"connection\": \"master\", \"query\": \"ATTACH DATABASE '"
                + dir.resolve("cairn.db") + "' AS c\"}}"), "source.query", null);

        Http.Response named = http.post("/api/v1/data/profile", "{\"source\": {\"connection\": \"master\", \"table\": \"customers\"}}");
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        assertThat(named.json().path("rowCount").asLong()).isEqualTo(2);
        assertThat(named.body()).doesNotContain(dataRoot.toString());
    }

    @Test
    void aFileUnderTheDataRootIsReadAndTheAnswerShowsNoServerPath() {
        Http.Response profile = http.post("/api/v1/data/profile", source("credit-g.csv"));
        assertThat(profile.status()).as(profile.body()).isEqualTo(200);
        assertThat(profile.json().path("rowCount").asLong()).isEqualTo(1000);
        assertThat(profile.body()).doesNotContain(dir.toString());
        Http.Response missing = http.post("/api/v1/data/profile", source("nope.csv"));
        assertThat(missing.status()).isBetween(400, 499);
        assertThat(missing.body()).contains("nope.csv").doesNotContain(dir.toString());
    }

    @Test
    void trainingTuningAndEvaluationRefuseDataOutsideTheRoots() {
        for (String path : List.of("/etc/passwd", "../outside/secret.csv", "link.csv")) {
            ObjectNode train = JSON.createObjectNode().put("data", path).put("label", "password");
            assertRefused(http.post("/api/v1/training/runs", train.toString()), "data", path);
            ObjectNode tune = JSON.createObjectNode().put("data", "credit-g.csv").put("label", "class").put("space_path", path);
            assertRefused(http.post("/api/v1/training/tunings", tune.toString()), "space_path", path);
            ObjectNode schema = JSON.createObjectNode().put("data", "credit-g.csv").put("label", "class").put("schema", path);
            assertRefused(http.post("/api/v1/training/runs", schema.toString()), "schema", path);
            ObjectNode evaluate = JSON.createObjectNode().put("model", "runs:/" + runId + "/model").put("data", path).put("label", "class");
            assertRefused(http.post("/api/v1/evaluations", evaluate.toString()), "data", path);
        }
        ObjectNode evaluate = JSON.createObjectNode().put("model", outside.toString()).put("data", "credit-g.csv").put("label", "class");
        assertRefused(http.post("/api/v1/evaluations", evaluate.toString()), "model", outside.toString());
    }

    @Test
    void errorsAboutFilesUnderTheRootsDoNotNameTheServersDirectories() throws Exception {
        Files.writeString(dataRoot.resolve("broken.jsonl"), "{\"a\": 1}\n{\"a\": oops}\n");
        List<Http.Response> answers = List.of(
                http.post("/api/v1/training/runs", JSON.createObjectNode().put("data", "broken.jsonl").put("label", "a").toString()),
                http.post("/api/v1/training/runs", JSON.createObjectNode().put("data", "credit-g.csv").put("label", "nope").toString()),
                http.post("/api/v1/data/profile", "{\"source\": {\"path\": \"broken.jsonl\"}}"),
                http.post("/api/v1/evaluations", JSON.createObjectNode().put("model", "runs:/" + runId + "/model")
                        .put("data", "broken.jsonl").put("label", "a").toString()));
        for (Http.Response answer : answers) {
            assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
            assertThat(answer.body()).doesNotContain(dir.toString()).doesNotContain(dir.toRealPath().toString()).doesNotContain("\tat ");
        }
    }

    // ---- artifact locations: only under the artifact root ----

    @Test
    void experimentArtifactLocationsOutsideTheRootAreRefusedByBothApis() throws Exception {
        List<String> hostile = List.of("file://" + outside, outside.toString(), "relative/dir", "file:///etc",
                artifacts + "/../outside", artifacts + "/%2e%2e/outside", artifacts + "/%252e%252e/outside",
                artifacts + "/..%2Foutside", artifacts + "\\..\\outside", artifacts + "/x#frag", artifacts + "/x?q=1",
                "file://evil.example" + artifacts + "/x", "s3://another-bucket/x", artifacts.toUri() + "x/../../outside",
                // CVE-2024-1483 and CVE-2024-3848: a fragment that hides the path from the validation.
                "http:///#/../../../../../../../../etc/", "file:///#" + outside, artifacts.toUri() + "#/../../outside",
                // CVE-2023-6977: a host-looking first segment.
                "//proc/self/root", "/" + outside);
        int i = 0;
        for (String location : hostile) {
            i++;
            Http.Response cairn = http.post("/api/v1/experiments",
                    JSON.createObjectNode().put("name", "hostile-" + i).put("artifact_location", location).toString());
            assertRefused(cairn, "artifact_location", location);
            Http.Response mlflow = http.post("/api/2.0/mlflow/experiments/create",
                    JSON.createObjectNode().put("name", "hostile-mlflow-" + i).put("artifact_location", location).toString());
            assertRefused(mlflow, "artifact_location", location);
        }
        Http.Response escaped = http.post("/api/2.0/mlflow/experiments/create",
                "{\"name\": \"escape-mlflow-artifacts\", \"artifact_location\": \"mlflow-artifacts:/../outside\"}");
        assertThat(escaped.status()).as(escaped.body()).isBetween(400, 499);
        assertThat(running.store().experiments().getExperimentByName("hostile-1")).isEmpty();
        assertThat(running.store().experiments().getExperimentByName("hostile-mlflow-1")).isEmpty();
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("secret.csv");
        }

        Http.Response allowed = http.post("/api/2.0/mlflow/experiments/create",
                "{\"name\": \"team-a\", \"artifact_location\": \"mlflow-artifacts:/team-a\"}");
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        Http.Response under = http.post("/api/v1/experiments",
                JSON.createObjectNode().put("name", "team-b").put("artifact_location", artifacts.resolve("team-b").toUri().toString()).toString());
        assertThat(under.status()).as(under.body()).isEqualTo(201);
    }

    @Test
    void artifactUploadsCannotLeaveTheRunsDirectory() throws Exception {
        for (String path : List.of("..%2F..%2F..%2F..%2Foutside%2Fplanted.txt", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside/planted.txt",
                "..%5C..%5C..%5C..%5Coutside%5Cplanted.txt")) {
            Http.Response cairn = http.send("PUT", "/api/v1/runs/" + runId + "/artifacts/" + path, "planted", null);
            assertThat(cairn.status()).as(path + ": " + cairn.body()).isBetween(400, 499);
            Http.Response mlflow = http.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + path, "planted", null);
            assertThat(mlflow.status()).as(path + ": " + mlflow.body()).isBetween(400, 499);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().equals("planted.txt"))).isEmpty();
        }
    }

    // ---- model sources: only from the artifact store, nothing copied before it is validated ----

    @Test
    void modelSourcesOutsideTheArtifactStoreAreRefusedByBothApisAndDeployCopiesNothing() throws Exception {
        Files.createDirectories(artifacts);
        Path linkInRoot = artifacts.resolve("escape-link");
        Files.createSymbolicLink(linkInRoot, outside);
        assertThat(http.post("/api/v1/registered-models", "{\"name\": \"hostile\"}").status()).isEqualTo(201);
        List<String> hostile = List.of("file:///etc", "/etc", "file://" + outside, "runs:/" + runId + "/../../../../etc",
                "runs:/" + runId + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc", "runs:/" + runId + "/..%252f..%252f..%252f..%252fetc",
                "runs:/" + runId + "/..\\..\\..\\..\\etc", "file:///etc#model", "file:///etc?x=1", "file://evil.example/etc",
                linkInRoot.toUri().toString(), linkInRoot.toString(), "s3://another-bucket/model", "relative/model",
                // CVE-2023-6977 (is_local_uri bypass), CVE-2024-1483 / CVE-2024-3848 (fragments), double encoding.
                "//proc/self/root", "//etc", "file:/etc", "http:///#/../../../../etc/", "file:///#/etc",
                artifacts.toUri() + "%252e%252e/%252e%252e/outside", artifacts.toUri() + "..%5c..%5coutside");
        for (String source : hostile) {
            Http.Response cairn = http.post("/api/v1/registered-models/hostile/versions",
                    JSON.createObjectNode().put("source", source).toString());
            assertRefused(cairn, "source", null);
            Http.Response mlflow = http.post("/api/2.0/mlflow/model-versions/create",
                    JSON.createObjectNode().put("name", "hostile").put("source", source).put("run_id", runId).toString());
            assertThat(mlflow.status()).as(source + ": " + mlflow.body()).isBetween(400, 499);
            assertThat(mlflow.body()).doesNotContain("Exception");
        }
        assertThat(running.store().registry().searchModelVersions("name = 'hostile'", List.of(), 100, null).items()).isEmpty();

        for (String target : List.of("/etc", "file:///etc", outside.toString(), "runs:/" + runId + "/../../../../etc", linkInRoot.toString())) {
            Http.Response deploy = http.send("PUT", "/api/v1/deployments/hostile",
                    JSON.createObjectNode().set("targets", JSON.createArrayNode().add(JSON.createObjectNode().put("model", target).put("weight", 1)))
                            .toString(), null);
            assertThat(deploy.status()).as(target + ": " + deploy.body()).isBetween(400, 499);
            assertThat(deploy.body()).doesNotContain("passwd").doesNotContain("Exception");
        }
        Path cache = ServerMain.servingHome(new ServerOptions("sqlite:x", artifacts.toUri().toString(), "127.0.0.1", 0)).resolve("model-cache");
        if (Files.exists(cache)) {
            try (Stream<Path> copies = Files.walk(cache)) {
                assertThat(copies.filter(p -> p.getFileName().toString().equals("passwd") || p.getFileName().toString().equals("secret.csv")))
                        .isEmpty();
            }
        }

        // The allowed case: a run's model, registered and deployed.
        Http.Response registered = http.post("/api/v1/registered-models/hostile/versions",
                JSON.createObjectNode().put("source", "runs:/" + runId + "/model").toString());
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        Http.Response deployed = http.send("PUT", "/api/v1/deployments/allowed",
                "{\"targets\": [{\"model\": \"models:/hostile/1\", \"weight\": 1}]}", null);
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
        assertThat(deployed.body()).doesNotContain(dir.toString());
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
