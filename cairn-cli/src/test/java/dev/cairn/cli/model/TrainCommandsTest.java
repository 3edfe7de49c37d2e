package dev.cairn.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.ViewType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn train} and {@code cairn tune} on the example data, and their refusals. */
class TrainCommandsTest {
    static final Path EXAMPLE = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/credit-risk");

    @TempDir Path dir;
    String store;
    String artifacts;

    @BeforeEach
    void paths() {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
    }

    private CliRunner.Result cairn(String... args) {
        return CliRunner.runOn(store, artifacts, args);
    }

    @Test
    void trainWithTheReviewedSchemaRecordsAFinishedRunWithItsModel() throws Exception {
        var result = cairn("train", "--data", EXAMPLE.resolve("credit-g.csv").toString(), "--label", "class", "--drop", "customer_id",
                "--positive-class", "bad", "--schema", EXAMPLE.resolve("schema.yaml").toString(), "-p", "num_boost_round=10",
                "--experiment", "cli", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        String runId = json.get("run_id").asText();
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            var run = s.runs().getRun(runId);
            assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(run.data().params()).anySatisfy(p -> assertThat(p.key()).isEqualTo("schema.sha256"));
            assertThat(Stores.openArtifacts(run.info().artifactUri()).exists("model/model.yaml")).isTrue();
        }
    }

    @Test
    void tuneRunsEveryTrialAsAChildRunAndRegistersTheBest() throws Exception {
        Path space = dir.resolve("space.yaml");
        Files.writeString(space, """
                algorithm: xgboost
                strategy: grid
                metric: roc_auc
                folds: 2
                parallelism: 1
                seed: 7
                fixed: {num_boost_round: 10}
                params:
                  max_depth: [2, 3]
                """);
        var result = cairn("tune", "--data", EXAMPLE.resolve("credit-g.csv").toString(), "--label", "class", "--drop", "customer_id",
                "--space", space.toString(), "--experiment", "cli-tune", "--register", "cli-model", "--alias", "champion", "--quiet");
        assertThat(result.exitCode()).as(result.err()).isZero();
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            String experiment = s.experiments().getExperimentByName("cli-tune").orElseThrow().experimentId();
            var runs = s.runs().searchRuns(List.of(experiment), null, ViewType.ALL, List.of(), 100, null).items();
            assertThat(runs).hasSize(3).allMatch(r -> r.info().status() == RunStatus.FINISHED);
            assertThat(s.registry().getModelVersionByAlias("cli-model", "champion").version()).isEqualTo(1);
        }
    }

    @Test
    void reproducingOnOtherDataIsAFailedReproductionEvenIfTheModelComesOutTheSame() throws Exception {
        Path data = dir.resolve("credit-g.csv");
        Files.copy(EXAMPLE.resolve("credit-g.csv"), data);
        var trained = cairn("train", "--data", data.toString(), "--label", "class", "--drop", "customer_id", "-p", "num_boost_round=10", "--json");
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        String runId = new ObjectMapper().readTree(trained.out()).get("run_id").asText();

        var same = cairn("reproduce", runId);
        assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("byte-identical");

        Path other = dir.resolve("credit-g-copy.csv");
        // Unix line endings instead of CRLF: other bytes (another SHA-256), the same parsed rows, so the same model.
        Files.writeString(other, Files.readString(data).replace("\r\n", "\n"));
        var text = cairn("reproduce", runId, "--data", other.toString());
        assertThat(text.exitCode()).as(text.out() + text.err()).isEqualTo(1);
        assertThat(text.out()).startsWith("Run " + runId + " did not reproduce: data").contains("data '" + other);
        var json = cairn("reproduce", runId, "--data", other.toString(), "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("identical").asBoolean()).isFalse();
        assertThat(report.get("model_identical").asBoolean()).isTrue();
        assertThat(report.get("differences").get(0).get("kind").asText()).isEqualTo("data");
    }

    @Test
    void anUnknownParameterIsOneLineAndExitCodeTwo() {
        var result = cairn("train", "--data", EXAMPLE.resolve("credit-g.csv").toString(), "--label", "class", "-p", "max_dept=4");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).startsWith("cairn: ").contains("max_dept").doesNotContain("\n");
    }

    @Test
    void aRefusedTrainingCreatesNoExperimentAndNoRun() {
        for (String param : List.of("max_depht=3", "max_depth=abc")) {
            var result = cairn("train", "--data", EXAMPLE.resolve("credit-g.csv").toString(), "--label", "class", "-p", param,
                    "--experiment", "refused");
            assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
            assertThat(result.err()).contains(param.substring(param.indexOf('=') + 1).equals("abc") ? "abc" : "max_depht");
        }
        var noLabel = cairn("train", "--data", EXAMPLE.resolve("credit-g.csv").toString(), "--label", "klass", "--experiment", "refused");
        assertThat(noLabel.exitCode()).isEqualTo(2);
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            assertThat(s.experiments().getExperimentByName("refused")).isEmpty();
            var experiments = s.experiments().searchExperiments(ViewType.ALL, null, List.of(), 100, null).items().stream()
                    .map(e -> e.experimentId()).toList();
            assertThat(s.runs().searchRuns(experiments, null, ViewType.ALL, List.of(), 100, null).items()).isEmpty();
        }
    }
}
