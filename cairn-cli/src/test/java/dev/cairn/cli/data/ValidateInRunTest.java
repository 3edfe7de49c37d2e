package dev.cairn.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliRunner;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn data validate --experiment}: each validation is a run holding its reports and
 * metrics, and a metric_change check compares with the earlier runs — the history accumulates in
 * the store, as Deequ's metrics repository does.
 */
class ValidateInRunTest {

    @TempDir Path dir;
    String store;
    String artifacts;
    Path spec;

    @BeforeEach
    void files() throws Exception {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
        spec = dir.resolve("spec.yaml");
        Files.writeString(spec, """
                checks:
                  - check: metric_change
                    metric: mean
                    column: amount
                    max_change: 0.2
                    window: 2
                """);
    }

    private CliRunner.Result validate(String csv) throws Exception {
        return validate(csv, store);
    }

    private CliRunner.Result validate(String csv, String storeUri) throws Exception {
        Path data = dir.resolve("payments.csv");
        Files.writeString(data, csv);
        return CliRunner.run("data", "validate", data.toString(), "-s", spec.toString(), "-o", dir.resolve("reports").toString(),
                "--name", "payments", "--experiment", "payments-quality", "--store", storeUri, "--artifacts", artifacts);
    }

    @Test
    void againstAServerTheRunsReportsGoUpThroughItsApi() throws Exception {
        // The client's own artifact root is elsewhere: only the server's holds the run's reports.
        artifacts = dir.resolve("client-artifacts").toUri().toString();
        try (var server = ServerMain.start(new ServerOptions(store, dir.resolve("artifacts").toUri().toString(), "127.0.0.1", 0))) {
            var result = validate("amount\n10\n20\n", server.url());
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        }
        try (MetadataStore s = Stores.openMetadata(store, dir.resolve("artifacts").toUri().toString())) {
            String experiment = s.experiments().getExperimentByName("payments-quality").orElseThrow().experimentId();
            Run run = s.runs().searchRuns(List.of(experiment), null, ViewType.ALL, List.of(), 10, null).items().get(0);
            assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(s.runArtifacts(run.info()).exists("data/payments/validation.html")).isTrue();
        }
        assertThat(dir.resolve("client-artifacts")).doesNotExist();
    }

    @Test
    void aJumpAgainstTheRecordedHistoryFailsTheCheckAndEveryValidationIsARun() throws Exception {
        assertThat(validate("amount\n10\n20\n").exitCode()).isZero();
        assertThat(validate("amount\n11\n21\n").exitCode()).isZero();
        var jump = validate("amount\n100\n200\n");
        assertThat(jump.exitCode()).as(jump.out() + jump.err()).isEqualTo(1);
        assertThat(jump.out()).contains("FAILED");

        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            String experiment = s.experiments().getExperimentByName("payments-quality").orElseThrow().experimentId();
            List<Run> runs = s.runs().searchRuns(List.of(experiment), null, ViewType.ALL, List.of(), 10, null).items();
            assertThat(runs).hasSize(3).allMatch(r -> r.info().status() == RunStatus.FINISHED);
            Run latest = runs.get(0);
            assertThat(latest.data().metrics()).anySatisfy(m -> assertThat(m.key()).isEqualTo("data.payments.checks_failed_error"));
            assertThat(s.runArtifacts(latest.info()).exists("data/payments/validation.html")).isTrue();
        }
    }
}
