package dev.cairn.pipeline.steps;

import static dev.cairn.core.pipeline.LineageEdge.Direction.INPUT;
import static dev.cairn.core.pipeline.LineageEdge.Direction.OUTPUT;
import static dev.cairn.pipeline.steps.StepFixture.assertDeclaredOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Edge;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileAndDriftStepTest {
    @TempDir
    static Path dir;

    private static StepFixture fixture;
    private static String reference;
    private static Path shifted;

    @BeforeAll
    static void open() throws Exception {
        fixture = new StepFixture(dir);
        reference = (String) new ReadStep().run(fixture.attempt(StepType.READ, "read",
                Map.of("source", StepFixture.CREDIT.toString())).context()).outputs().get("table");
        // Every loan ten times larger and thirty years older: two columns drift, the others do not.
        shifted = fixture.creditCopy("shifted.csv", fields -> {
            fields[5] = Long.toString(Long.parseLong(fields[5]) * 10);
            fields[13] = Long.toString(Long.parseLong(fields[13]) + 30);
            return fields;
        });
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void aProfileIsStoredInTheStepRunAndServesAsTheDriftReference() throws Exception {
        Attempt p = fixture.attempt(StepType.PROFILE, "profile", Map.of("data", reference));
        StepResult profiled = new ProfileStep().run(p.context());

        assertDeclaredOutputs(StepType.PROFILE, profiled);
        String json = "runs:/" + p.stepRunId() + "/data/profile/profile.json";
        String html = "runs:/" + p.stepRunId() + "/data/profile/profile.html";
        assertThat(profiled.outputs()).containsEntry("profile", json).containsEntry("report", html);
        assertThat(fixture.artifact(json)).contains("\"cairn.profile/v1\"").contains("credit_amount");
        assertThat(fixture.artifact(html)).contains("<html");
        assertThat(p.sink().edges()).containsExactly(
                new Edge(INPUT, "snapshot", reference, reference.substring("snapshot:".length())),
                new Edge(OUTPUT, "report", json, null), new Edge(OUTPUT, "report", html, null));

        Attempt d = fixture.attempt(StepType.DRIFT, "drift", Map.of("reference", json, "current", shifted.toString()));
        StepResult drift = new DriftStep().run(d.context());
        assertDeclaredOutputs(StepType.DRIFT, drift);
        assertThat(drift.outputs().get("drifted_columns")).isEqualTo(List.of("credit_amount", "age"));
        assertThat(d.sink().inputs()).containsExactly(new Edge(INPUT, "report", json, null),
                new Edge(INPUT, "file", shifted.toUri().toString(), null));
    }

    @Test
    void twoDatasetsAreComparedColumnByColumn() throws Exception {
        Attempt same = fixture.attempt(StepType.DRIFT, "drift", Map.of("reference", reference, "current", StepFixture.CREDIT.toString()));
        StepResult none = new DriftStep().run(same.context());
        assertDeclaredOutputs(StepType.DRIFT, none);
        assertThat(none.outputs()).containsEntry("drifted", false).containsEntry("drift_share", 0.0)
                .containsEntry("drifted_columns", List.of());

        Attempt a = fixture.attempt(StepType.DRIFT, "drift", Map.of("reference", reference, "current", "shifted.csv",
                "share", 0.05, "tests", Map.of("age", "psi")));
        StepResult result = new DriftStep().run(a.context());
        String report = "runs:/" + a.stepRunId() + "/data/drift/drift.html";
        assertThat(result.outputs()).containsEntry("drifted", true).containsEntry("report", report)
                .containsEntry("drifted_columns", List.of("credit_amount", "age"));
        assertThat((Double) result.outputs().get("drift_share")).isGreaterThan(0.05);
        assertThat(fixture.artifact(report)).contains("<html");
        assertThat(fixture.artifact("runs:/" + a.stepRunId() + "/data/drift/drift.json")).contains("\"psi\"");
        assertThat(a.sink().outputs()).contains(new Edge(OUTPUT, "report", report, null));
    }

    @Test
    void failOnDriftFailsTheStepNamingTheColumns() throws Exception {
        Attempt a = fixture.attempt(StepType.DRIFT, "drift",
                Map.of("reference", reference, "current", shifted.toString(), "share", 0.05, "fail_on_drift", true));
        assertThatThrownBy(() -> new DriftStep().run(a.context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.drift.with.current")
                .hasMessageContaining("credit_amount, age");
    }

    @Test
    void errorsNameTheField() throws Exception {
        assertThatThrownBy(() -> new DriftStep().run(fixture.attempt(StepType.DRIFT, "drift",
                Map.of("reference", reference, "current", reference, "tests", Map.of("age", "magic"))).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.drift.with.tests");
        assertThatThrownBy(() -> new DriftStep().run(fixture.attempt(StepType.DRIFT, "drift",
                Map.of("reference", "runs:/0123456789abcdef0123456789abcdef/data/x/profile.json", "current", reference)).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.drift.with.reference");
        assertThatThrownBy(() -> new DriftStep().run(fixture.attempt(StepType.DRIFT, "drift",
                Map.of("reference", reference, "current", reference, "bins", 1)).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.drift.with.bins");
        assertThatThrownBy(() -> new ProfileStep().run(fixture.attempt(StepType.PROFILE, "profile",
                Map.of("data", "nowhere.parquet")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.profile.with.data");
    }
}
