package dev.cairn.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.Http;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines over REST on a real {@code cairn server} (port 0, SQLite store in a temporary directory) whose
 * pipelines directory holds a valid spec that reads a CSV beside it and profiles it, a spec with user code and a
 * broken one: listing with problems, a CI run with its commit followed to its end through its steps and log,
 * lineage by artifact, refusals that name the field, and a parameter that tries to leave the directory.
 */
@DisplayName("Pipelines REST API on a full server: list, run as CI, follow, lineage, confinement, errors")
class PipelinesApiTest {
    private static final String PROFILE = """
            name: profile-sales
            description: Reads the sales file and profiles it.
            parameters:
              data: sales.csv
            steps:
              - id: read
                type: read
                with: {source: "${params.data}"}
              - id: profile
                type: profile
                needs: read
                with: {data: "${steps.read.outputs.table}"}
              - id: tell
                type: notify
                needs: profile
                with: {message: "profiled ${steps.read.outputs.rows} rows for ${run.trigger}"}
            """;
    private static final String USER_CODE = """
            name: user-code
            steps:
              - id: prepare
                type: command
                with: {run: [echo, hi]}
            """;

    @TempDir static Path dir;
    static ServerMain.RunningServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(pipelines.resolve("profile-sales.yaml"), PROFILE);
        Files.writeString(pipelines.resolve("user-code.yaml"), USER_CODE);
        Files.writeString(pipelines.resolve("broken.yaml"), "name: broken\nsteps:\n  - id: a\n    type: read\n    with: {}\n");
        StringBuilder csv = new StringBuilder("id,amount,channel\n");
        for (int i = 0; i < 200; i++) csv.append(i).append(',').append(10 + i % 37).append(',').append(i % 3 == 0 ? "online" : "store").append('\n');
        Files.writeString(pipelines.resolve("sales.csv"), csv);
        Files.writeString(dir.resolve("outside.csv"), "secret\n1\n");
        server = ServerMain.start(new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(),
                "127.0.0.1", 0, pipelines.toString(), List.of(), false));
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void listsTheDirectorysPipelinesAndItsProblems() {
        JsonNode body = http.get("/api/v1/pipelines").json();
        List<String> names = new ArrayList<>();
        body.get("pipelines").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).contains("profile-sales", "user-code").doesNotContain("broken");
        assertThat(body.get("problems").toString()).contains("broken.yaml").contains("source");

        JsonNode show = http.get("/api/v1/pipelines/profile-sales").json();
        assertThat(show.get("steps").findValuesAsText("id")).containsExactly("read", "profile", "tell");
        assertThat(show.get("steps").get(1).get("needs").get(0).asText()).isEqualTo("read");
    }

    @Test
    void aCiRunRecordsItsCommitAndRunsEveryStep() throws Exception {
        Http.Response created = http.post("/api/v1/pipelines/profile-sales/runs",
                "{\"commit\": \"0123456789abcdef0123456789abcdef01234567\"}");
        assertThat(created.status()).isEqualTo(201);
        String runId = created.json().get("run_id").asText();
        assertThat(created.json().get("trigger").asText()).isEqualTo("ci");

        JsonNode run = awaitEnd(runId);
        assertThat(run.get("run").get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("run").get("code_version").asText()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        List<String> states = new ArrayList<>();
        run.get("steps").forEach(s -> states.add(s.get("id").asText() + "=" + s.get("state").get("state").asText()));
        assertThat(states).containsExactly("read=SUCCEEDED", "profile=SUCCEEDED", "tell=SUCCEEDED");
        String table = run.get("steps").get(0).get("outputs").get("table").asText();
        assertThat(table).startsWith("snapshot:");
        assertThat(run.get("steps").get(0).get("outputs").get("rows").asInt()).isEqualTo(200);

        JsonNode logs = http.get("/api/v1/pipelines/runs/" + runId + "/logs").json();
        assertThat(logs.get("ended").asBoolean()).isTrue();
        assertThat(logs.get("lines").toString()).contains("Run succeeded");

        JsonNode lineage = http.get("/api/v1/lineage?uri=" + table).json();
        assertThat(lineage.get("edges").findValuesAsText("step_id")).contains("read", "profile");

        JsonNode runs = http.get("/api/v1/pipelines/profile-sales/runs?state=succeeded").json();
        assertThat(runs.get("runs").findValuesAsText("run_id")).contains(runId);
    }

    @Test
    void aParameterCannotReachOutsideThePipelinesDirectory() throws Exception {
        Http.Response created = http.post("/api/v1/pipelines/profile-sales/runs", "{\"parameters\": {\"data\": \"../outside.csv\"}}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode run = awaitEnd(created.json().get("run_id").asText());
        assertThat(run.get("run").get("state").asText()).isEqualTo("FAILED");
        JsonNode read = run.get("steps").get(0).get("state");
        assertThat(read.get("state").asText()).isEqualTo("FAILED");
        assertThat(read.get("message").asText()).contains("steps.read.with.source").contains("inside the pipeline's workspace");
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        Http.Response badCommit = http.post("/api/v1/pipelines/profile-sales/runs", "{\"commit\": \"main; rm -rf /\"}");
        assertThat(badCommit.status()).isEqualTo(400);
        assertThat(badCommit.json().get("message").asText()).contains("commit");

        Http.Response unknownParameter = http.post("/api/v1/pipelines/profile-sales/runs", "{\"parameters\": {\"dta\": \"x\"}}");
        assertThat(unknownParameter.status()).isEqualTo(400);
        assertThat(unknownParameter.json().get("message").asText()).contains("parameters.dta").contains("data");

        assertThat(http.post("/api/v1/pipelines/nope/runs", "{}").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/pipelines/runs/0000/logs").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/pipelines/runs/x/logs?after=-1").status()).isIn(400, 404);

        Http.Response userCode = http.post("/api/v1/pipelines/user-code/runs", "{}");
        assertThat(userCode.status()).isEqualTo(403);
        assertThat(userCode.json().get("message").asText()).contains("--allow-pipeline-commands");

        assertThat(http.send("PUT", "/api/v1/pipelines/profile-sales/paused", "{}", null).status()).isEqualTo(400);
        Http.Response paused = http.send("PUT", "/api/v1/pipelines/profile-sales/paused", "{\"paused\": true}", "ops");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("paused").asBoolean()).isTrue();
        http.send("PUT", "/api/v1/pipelines/profile-sales/paused", "{\"paused\": false}", "ops");
    }

    @Test
    void theOpenApiDocumentDescribesThePipelineRoutes() {
        String doc = http.get("/api/v1/openapi.json").body();
        assertThat(doc).contains("/api/v1/pipelines/{name}/runs").contains("/api/v1/pipelines/runs/{run_id}/logs");
    }

    private static JsonNode awaitEnd(String runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = http.get("/api/v1/pipelines/runs/" + runId).json();
            String state = run.get("run").get("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) return run;
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not end in 2 minutes");
    }
}
