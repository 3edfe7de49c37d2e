package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.Tag;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingCommandsTest {

    @TempDir Path dir;
    String store;
    String artifacts;
    String goodRun;
    String weakRun;

    @BeforeEach
    void recordTwoRuns() {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            String experiment = s.experiments().createExperiment("credit-risk", null, List.of());
            goodRun = logRun(s, experiment, "good", 0.83, "6");
            weakRun = logRun(s, experiment, "weak", 0.61, "2");
        }
    }

    private static String logRun(MetadataStore s, String experiment, String name, double auc, String depth) {
        Run run = s.runs().createRun(experiment, "tester", System.currentTimeMillis(), name, List.of(new Tag("team", "risk")));
        String id = run.info().runId();
        s.runs().logBatch(id, List.of(new Metric("auc", auc - 0.1, 1, 0), new Metric("auc", auc, 2, 1)),
                List.of(new Param("max_depth", depth)), List.of());
        s.runs().updateRun(id, RunStatus.FINISHED, System.currentTimeMillis(), null);
        return id;
    }

    private CliRunner.Result cairn(String... args) {
        return CliRunner.runOn(store, artifacts, args);
    }

    @Test
    void experimentsListShowsTheExperimentsAsATable() {
        var result = cairn("experiments", "list");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("NAME").contains("credit-risk").contains("Default");
    }

    @Test
    void runsSearchFiltersWithMlflowSyntaxAndOrParentheses() throws Exception {
        var result = cairn("runs", "search", "-e", "credit-risk",
                "--filter", "metrics.auc > 0.8 and (params.max_depth = '6' or tags.team = 'nobody')", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode page = new ObjectMapper().readTree(result.out());
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("info").get("run_id").asText()).isEqualTo(goodRun);
    }

    @Test
    void runsShowListsParamsAndLatestMetric() {
        var result = cairn("runs", "show", weakRun);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("param max_depth").contains("metric auc").contains("0.6100");
    }

    @Test
    void runsShowNamesTheExperimentBesidesItsId() {
        var result = cairn("runs", "show", weakRun);
        assertThat(result.exitCode()).as(result.err()).isZero();
        String experimentId;
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            experimentId = s.runs().getRun(weakRun).info().experimentId();
        }
        assertThat(result.out().lines().filter(l -> l.startsWith("experiment")).findFirst().orElseThrow())
                .contains("credit-risk (" + experimentId + ")");
    }

    @Test
    void metricHistoryListsEveryStep() {
        var result = cairn("runs", "history", goodRun, "auc", "--json");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("0.73").contains("0.83");
    }

    @Test
    void anUnknownRunIsOneLineOnStderrAndExitCodeTwo() {
        var result = cairn("runs", "show", "0123456789abcdef0123456789abcdef");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).startsWith("cairn: ").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void aBadFilterNamesThePositionAndExitsTwo() {
        var result = cairn("runs", "search", "-e", "credit-risk", "--filter", "metrics.auc >>> 3");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("position");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitCodeTwo() {
        var result = CliRunner.run("runs", "search", "--no-such-option");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("cairn: ");
    }

    @Test
    void deletedExperimentsCanBePurgedAndTheirNameReused() {
        String id;
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            id = s.experiments().getExperimentByName("credit-risk").orElseThrow().experimentId();
            s.auth().createAccount("ana", Account.Kind.USER, null, false);
            s.auth().putGrant(new Grant(ResourceKind.EXPERIMENT, id, Grantee.user("ana"), Permission.MANAGE));
        }
        assertThat(cairn("experiments", "delete", "credit-risk").exitCode()).isZero();
        assertThat(cairn("experiments", "create", "credit-risk").exitCode()).isEqualTo(2);
        assertThat(cairn("experiments", "purge", "credit-risk").exitCode()).isZero();
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            assertThat(s.auth().grants(ResourceKind.EXPERIMENT, id)).as("a purged experiment's grants are gone").isEmpty();
        }
        var created = cairn("experiments", "create", "credit-risk");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out().strip()).matches("\\d+");
    }
}
