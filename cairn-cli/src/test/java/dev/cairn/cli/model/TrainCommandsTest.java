package dev.cairn.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.store.Stores;
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
    void anUnknownParameterIsOneLineAndExitCodeTwo() {
        var result = cairn("train", "--data", EXAMPLE.resolve("credit-g.csv").toString(), "--label", "class", "-p", "max_dept=4");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).startsWith("cairn: ").contains("max_dept").doesNotContain("\n");
    }
}
