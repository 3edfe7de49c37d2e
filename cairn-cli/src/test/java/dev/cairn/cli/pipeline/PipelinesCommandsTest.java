package dev.cairn.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn pipelines ...} against a SQLite store in a temporary directory: validate, run, runs, logs, list, show, schedule. */
class PipelinesCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
            name: profile-sales
            parameters:
              data: sales.csv
            triggers:
              - schedule: {cron: "0 2 * * *", timezone: Europe/Berlin}
            steps:
              - id: read
                type: read
                with: {source: "${params.data}"}
              - id: profile
                type: profile
                needs: read
                with: {data: "${steps.read.outputs.table}"}
            """;

    @TempDir Path dir;
    String store;
    String artifacts;
    Path pipelines;

    @BeforeEach
    void files() throws Exception {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
        pipelines = Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(pipelines.resolve("profile-sales.yaml"), SPEC);
        Files.writeString(pipelines.resolve("sales.csv"), "id,amount\n1,10\n2,12\n3,40\n");
    }

    private CliRunner.Result cairn(String... args) {
        return CliRunner.runOn(store, artifacts, args);
    }

    @Test
    void validateReportsEveryProblemWithItsLineAndExits2() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad
                steps:
                  - id: a
                    type: trian
                  - id: b
                    type: notify
                    needs: [c]
                    with: {message: x}
                """);
        CliRunner.Result ok = CliRunner.run("pipelines", "validate", pipelines.resolve("profile-sales.yaml").toString());
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("ok, pipeline profile-sales").contains("read -> profile");

        CliRunner.Result result = CliRunner.run("pipelines", "validate", "--json", bad.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        JsonNode spec = JSON.readTree(result.out()).get("specs").get(0);
        assertThat(spec.get("valid").asBoolean()).isFalse();
        assertThat(spec.get("message").asText()).contains("line 4").contains("trian").contains("line 7").contains("'c'");
    }

    @Test
    void runsASpecFileAndShowsItsRunStepsLogAndSchedule() throws Exception {
        CliRunner.Result run = cairn("pipelines", "run", "--json", pipelines.resolve("profile-sales.yaml").toString(), "-p", "data=sales.csv");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode body = JSON.readTree(run.out());
        String runId = body.get("run").get("run_id").asText();
        assertThat(body.get("run").get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(body.get("steps").findValuesAsText("state")).containsExactly("SUCCEEDED", "SUCCEEDED");

        CliRunner.Result again = cairn("pipelines", "run", "--json", pipelines.resolve("profile-sales.yaml").toString());
        assertThat(JSON.readTree(again.out()).get("steps").findValuesAsText("state")).as("the profile is cached").containsExactly("SUCCEEDED", "CACHED");

        assertThat(cairn("pipelines", "runs").out()).contains(runId).contains("profile-sales");
        assertThat(cairn("pipelines", "runs", "--run", runId).out()).contains("read").contains("snapshot:");
        assertThat(cairn("pipelines", "logs", runId).out()).contains("Run succeeded");

        CliRunner.Result list = cairn("pipelines", "list", "--pipelines", pipelines.toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("profile-sales").contains("active");
        assertThat(cairn("pipelines", "show", "profile-sales").out()).contains("read").contains("profile").contains("schedule \"0 2 * * *\" in Europe/Berlin");
        CliRunner.Result schedule = cairn("pipelines", "schedule", "profile-sales", "--pause", "--next", "2");
        assertThat(schedule.out()).contains("paused").contains("next").contains("Europe/Berlin");

        // A registered pipeline runs by name, with its directory as the workspace.
        CliRunner.Result byName = cairn("pipelines", "run", "profile-sales");
        assertThat(byName.exitCode()).isZero();
        assertThat(byName.out()).contains("succeeded");
    }

    @Test
    void atGivesTheRunItsLogicalTime() throws Exception {
        Files.writeString(pipelines.resolve("when.yaml"), """
                name: when
                steps:
                  - id: say
                    type: notify
                    with: {message: "run of ${run.date} at ${run.time}"}
                """);
        CliRunner.Result run = cairn("pipelines", "run", "--json", pipelines.resolve("when.yaml").toString(), "--at", "2024-03-22");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode body = JSON.readTree(run.out()).get("run");
        assertThat(body.get("logical_time").asText()).isEqualTo("2024-03-22T00:00:00Z");
        assertThat(cairn("pipelines", "logs", body.get("run_id").asText()).out()).contains("run of 2024-03-22 at 2024-03-22T00:00:00Z");
        CliRunner.Result bad = cairn("pipelines", "run", pipelines.resolve("when.yaml").toString(), "--at", "yesterday");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--at").contains("'yesterday'");
    }

    @Test
    void badInputIsAOneLineErrorWithExitCode2() {
        CliRunner.Result unknown = cairn("pipelines", "run", pipelines.resolve("profile-sales.yaml").toString(), "-p", "dta=x");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("parameters.dta");
        CliRunner.Result commit = cairn("pipelines", "run", pipelines.resolve("profile-sales.yaml").toString(), "--commit", "not-a-sha");
        assertThat(commit.exitCode()).isEqualTo(2);
        assertThat(commit.err()).contains("--commit");
        assertThat(cairn("pipelines", "run", "no-such-pipeline").exitCode()).isEqualTo(2);
        assertThat(cairn("pipelines", "logs", "0000").exitCode()).isEqualTo(2);
    }
}
