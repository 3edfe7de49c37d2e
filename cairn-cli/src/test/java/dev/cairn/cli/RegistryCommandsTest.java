package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCommandsTest {

    @TempDir Path dir;
    String store;

    @BeforeEach
    void registerTwoVersions() {
        store = "sqlite:" + dir.resolve("cairn.db");
        try (MetadataStore s = Stores.openMetadata(store, dir.resolve("artifacts").toUri().toString())) {
            Run run = s.runs().createRun("0", "tester", System.currentTimeMillis(), "train", List.of());
            String source = "runs:/" + run.info().runId() + "/model";
            s.registry().createRegisteredModel("credit-risk", "good or bad customer", List.of(), "tester");
            s.registry().createModelVersion("credit-risk", source, run.info().runId(), null, List.of(), "tester");
            s.registry().createModelVersion("credit-risk", source, run.info().runId(), null, List.of(), "tester");
        }
    }

    @Test
    void settingAnAliasShowsInTheModelAndInTheAuditLog() {
        var set = CliRunner.run("aliases", "set", "credit-risk", "champion", "2", "-m", "beats v1", "--store", store);
        assertThat(set.exitCode()).as(set.err()).isZero();

        var shown = CliRunner.run("models", "show", "credit-risk", "--store", store);
        assertThat(shown.out()).contains("champion→2");

        var audit = CliRunner.run("audit", "--model", "credit-risk", "--store", store);
        assertThat(audit.out()).contains("ALIAS_SET").contains("champion").contains("beats v1");
    }

    @Test
    void deletingAnAliasIsAuditedToo() {
        CliRunner.run("aliases", "set", "credit-risk", "champion", "1", "--store", store);
        var deleted = CliRunner.run("aliases", "delete", "credit-risk", "champion", "-m", "retired", "--store", store);
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(CliRunner.run("aliases", "list", "credit-risk", "--store", store).out()).doesNotContain("champion");
        assertThat(CliRunner.run("audit", "--store", store, "--json").out()).contains("ALIAS_DELETED").contains("retired");
    }

    @Test
    void anAliasOnAMissingVersionIsRefusedWithExitCodeTwo() {
        var result = CliRunner.run("aliases", "set", "credit-risk", "champion", "9", "--store", store);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("cairn: ");
    }

    @Test
    void aProtectedAliasMovesOnlyByARequestThatTheRequesterCannotApprove() {
        CliRunner.run("aliases", "set", "credit-risk", "champion", "1", "--store", store);
        assertThat(CliRunner.run("aliases", "protect", "credit-risk", "champion", "-m", "regulated", "--store", store).exitCode()).isZero();
        var direct = CliRunner.run("aliases", "set", "credit-risk", "champion", "2", "--store", store);
        assertThat(direct.exitCode()).isEqualTo(2);
        assertThat(direct.err()).startsWith("cairn: ").contains("protected");

        var requested = CliRunner.run("aliases", "request", "credit-risk", "champion", "2", "-m", "beats v1", "--store", store);
        assertThat(requested.exitCode()).as(requested.err()).isZero();
        assertThat(CliRunner.run("aliases", "requests", "credit-risk", "--pending", "--store", store).out()).contains("PENDING");
        // This process is one person: approving or rejecting its own request is refused, and the alias stays.
        var own = CliRunner.run("aliases", "approve", "credit-risk", "1", "--store", store);
        assertThat(own.exitCode()).isEqualTo(2);
        assertThat(own.err()).contains("second person");
        assertThat(CliRunner.run("aliases", "reject", "credit-risk", "1", "--store", store).exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("aliases", "list", "credit-risk", "--store", store).out()).contains("champion").contains("1");
        assertThat(CliRunner.run("aliases", "unprotect", "credit-risk", "champion", "--store", store).exitCode()).isZero();
        assertThat(CliRunner.run("aliases", "set", "credit-risk", "champion", "2", "--store", store).exitCode()).isZero();
    }

    @Test
    void modelsListShowsLatestVersions() {
        var result = CliRunner.run("models", "list", "--store", store);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("credit-risk");
    }
}
