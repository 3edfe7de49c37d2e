package dev.cairn.pipeline.steps;

import static dev.cairn.core.pipeline.LineageEdge.Direction.INPUT;
import static dev.cairn.core.pipeline.LineageEdge.Direction.OUTPUT;
import static dev.cairn.pipeline.steps.StepFixture.assertDeclaredOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Edge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateStepTest {
    @TempDir
    static Path dir;

    private static StepFixture fixture;
    private final ValidateStep validate = new ValidateStep();
    private static String snapshot;

    @BeforeAll
    static void open() throws Exception {
        fixture = new StepFixture(dir);
        snapshot = (String) new ReadStep().run(fixture.attempt(StepType.READ, "read",
                Map.of("source", StepFixture.CREDIT.toString())).context()).outputs().get("table");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void theCreditDataPassesItsSchemaAndTheReportIsAnArtifactOfTheStepRun() throws Exception {
        Attempt a = fixture.attempt(StepType.VALIDATE, "validate",
                Map.of("data", snapshot, "schema", StepFixture.SCHEMA.toString(), "env", "TRAINING"));
        StepResult result = validate.run(a.context());

        assertDeclaredOutputs(StepType.VALIDATE, result);
        String report = "runs:/" + a.stepRunId() + "/data/validate/validation.json";
        assertThat(result.outputs()).containsEntry("passed", true).containsEntry("errors", 0L).containsEntry("report", report);
        assertThat(fixture.artifact(report)).contains("\"cairn.validation/v1\"").contains("primary_key");
        assertThat(fixture.tracking.runs().getRun(a.stepRunId()).data().metrics())
                .anySatisfy(m -> assertThat(m.key()).isEqualTo("data.validate.checks_failed_error"));
        String sha = snapshot.substring("snapshot:".length());
        assertThat(a.sink().edges()).containsExactlyInAnyOrder(
                new Edge(INPUT, "file", StepFixture.SCHEMA.toUri().toString(), Sha256.of(StepFixture.SCHEMA, "schema")),
                new Edge(INPUT, "snapshot", snapshot, sha),
                new Edge(OUTPUT, "report", report, null));
        assertThat(a.sink().log()).contains("PASSED");
    }

    @Test
    void aFailedErrorCheckFailsTheStepNamingTheCheckUnlessFailOnSaysNever() throws Exception {
        Path strict = fixture.workspaceDir.resolve("strict.yaml");
        Files.writeString(strict, Files.readString(StepFixture.SCHEMA)
                + "  - check: row_count\n    name: at least five thousand customers\n    min: 5000\n");

        Attempt failing = fixture.attempt(StepType.VALIDATE, "validate", Map.of("data", snapshot, "schema", "strict.yaml"));
        assertThatThrownBy(() -> validate.run(failing.context()))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.details()).containsEntry("field", "steps.validate.with.data");
                })
                .hasMessageContaining("steps.validate.with.data").hasMessageContaining("at least five thousand customers (error)")
                .hasMessageContaining("runs:/" + failing.stepRunId() + "/data/validate/validation.json");
        // The report was stored before the step failed: the failure can be looked into.
        assertThat(fixture.artifact("runs:/" + failing.stepRunId() + "/data/validate/validation.json"))
                .contains("at least five thousand customers");

        Attempt never = fixture.attempt(StepType.VALIDATE, "validate",
                Map.of("data", snapshot, "schema", "strict.yaml", "fail_on", "never"));
        StepResult result = validate.run(never.context());
        assertThat(result.outputs()).containsEntry("passed", false).containsEntry("errors", 1L);
    }

    @Test
    void failOnWarningFailsOnAFailedWarning() throws Exception {
        Path data = fixture.creditCopy("small.csv", fields -> {
            fields[5] = "900"; // credit_amount: the mean drops below the warning's range
            return fields;
        });
        Attempt a = fixture.attempt(StepType.VALIDATE, "validate",
                Map.of("data", data.toString(), "schema", StepFixture.SCHEMA.toString(), "fail_on", "warning"));
        assertThatThrownBy(() -> validate.run(a.context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("fail_on: warning")
                .hasMessageContaining("mean credit amount within the portfolio's usual range (warning)");
    }

    @Test
    void errorsNameTheField() throws Exception {
        assertThatThrownBy(() -> validate.run(fixture.attempt(StepType.VALIDATE, "validate",
                Map.of("data", snapshot, "schema", "missing.yaml")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.validate.with.schema");
        assertThatThrownBy(() -> validate.run(fixture.attempt(StepType.VALIDATE, "validate",
                Map.of("data", snapshot, "schema", StepFixture.SCHEMA.toString(), "env", "STAGING")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.validate.with.env").hasMessageContaining("TRAINING");
        assertThatThrownBy(() -> validate.run(fixture.attempt(StepType.VALIDATE, "validate",
                Map.of("data", "jdbc:sqlite:master.db", "schema", StepFixture.SCHEMA.toString())).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.validate.with.data").hasMessageContaining("read step");
        assertThatThrownBy(() -> validate.run(fixture.attempt(StepType.VALIDATE, "validate",
                Map.of("data", snapshot, "schema", StepFixture.SCHEMA.toString(), "fail_on", "sometimes")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.validate.with.fail_on");
    }
}
