package dev.cairn.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Line;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The programs are sh scripts given as {@code [sh, -c, ...]}: the step itself starts no shell. */
class CommandStepTest {
    @TempDir
    static Path dir;

    private static StepFixture fixture;

    @BeforeAll
    static void open() {
        fixture = new StepFixture(dir);
    }

    @BeforeEach
    void allowCommands() {
        fixture.workspace(Workspace.local(fixture.workspaceDir));
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void theProgramRunsInItsDirectoryWithItsEnvironmentAndWritesItsOutputs() throws Exception {
        Files.createDirectories(fixture.workspaceDir.resolve("jobs"));
        String script = """
                echo "rows=$ROWS" >> "$CAIRN_OUTPUTS"
                echo "model=runs:/abc/model" >> "$CAIRN_OUTPUTS"
                echo "undeclared=1" >> "$CAIRN_OUTPUTS"
                echo "working in $(pwd)"
                echo "careful" >&2
                """;
        Attempt a = fixture.attempt(StepType.COMMAND, "prepare", Map.of("run", List.of("sh", "-c", script),
                "workdir", "jobs", "env", Map.of("ROWS", 42), "outputs", List.of("rows", "model")));
        StepResult result = new CommandStep().run(a.context());

        assertThat(result.outputs()).containsExactly(Map.entry("exit_code", 0L), Map.entry("rows", "42"),
                Map.entry("model", "runs:/abc/model"));
        assertThat(a.sink().lines()).contains(new Line("INFO", "working in " + fixture.workspaceDir.resolve("jobs").toRealPath()),
                new Line("WARN", "careful"));
        assertThat(a.sink().log()).contains("undeclared");
    }

    @Test
    void aFailingProgramFailsTheAttemptWithItsCodeAndLastLines() {
        Attempt a = fixture.attempt(StepType.COMMAND, "prepare",
                Map.of("run", List.of("sh", "-c", "echo 'loading data'; echo 'no such table: sales' >&2; exit 3")));
        assertThatThrownBy(() -> new CommandStep().run(a.context()))
                .isNotInstanceOf(CairnException.class)
                .hasMessageContaining("steps.prepare.with.run").hasMessageContaining("exited with code 3")
                .hasMessageContaining("no such table: sales");
    }

    @Test
    void aDeclaredOutputTheProgramDidNotWriteFailsTheStep() {
        Attempt a = fixture.attempt(StepType.COMMAND, "prepare",
                Map.of("run", List.of("sh", "-c", "echo rows=1 >> \"$CAIRN_OUTPUTS\""), "outputs", List.of("rows", "model")));
        assertThatThrownBy(() -> new CommandStep().run(a.context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.prepare.with.outputs").hasMessageContaining("model");
    }

    @Test
    void cancellingStopsTheProgramAndWhatItStarted() throws Exception {
        Path pidFile = fixture.workspaceDir.resolve("child.pid");
        Attempt a = fixture.attempt(StepType.COMMAND, "prepare",
                Map.of("run", List.of("sh", "-c", "sleep 60 & echo $! > child.pid.tmp; mv child.pid.tmp child.pid; wait")),
                1, () -> Files.exists(pidFile));
        assertThatThrownBy(() -> new CommandStep().run(a.context())).isInstanceOf(StepContext.Cancelled.class);

        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void commandsAreRefusedWhereTheWorkspaceDoesNotAllowThemAndErrorsNameTheField() {
        fixture.workspace(new Workspace(fixture.workspaceDir, true, List.of(), List.of(), false));
        assertThatThrownBy(() -> new CommandStep().run(fixture.attempt(StepType.COMMAND, "prepare",
                Map.of("run", List.of("sh", "-c", "touch ran"))).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                .hasMessageContaining("'prepare'");
        assertThat(fixture.workspaceDir.resolve("ran")).doesNotExist();

        fixture.workspace(new Workspace(fixture.workspaceDir, true, List.of(), List.of(), true));
        assertThatThrownBy(() -> new CommandStep().run(fixture.attempt(StepType.COMMAND, "prepare",
                Map.of("run", List.of("sh", "-c", "true"), "workdir", "../..")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.prepare.with.workdir");
        assertThatThrownBy(() -> new CommandStep().run(fixture.attempt(StepType.COMMAND, "prepare",
                Map.of("run", List.of("no-such-program-cairn"))).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.prepare.with.run");
        assertThatThrownBy(() -> new CommandStep().run(fixture.attempt(StepType.COMMAND, "prepare",
                Map.of("run", List.of())).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.prepare.with.run");
    }
}
