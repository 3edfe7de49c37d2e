package dev.cairn.cli.pipeline;

import dev.cairn.cli.Output;
import dev.cairn.cli.monitor.Instants;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.pipeline.engine.PipelineEngine;
import dev.cairn.pipeline.engine.RunListener;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.scheduler.SpecDirectory;
import dev.cairn.pipeline.spec.PipelineSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn pipelines run FILE|NAME}: runs a spec file, or a pipeline registered from the server's directory,
 * here and now, printing each step as it goes; the run is recorded in the store like the server's runs.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a pipeline now, in this process: a spec file, or the name of a pipeline in the server's pipelines directory.")
public final class PipelinesRunCommand implements Callable<Integer> {
    @Mixin PipelineOptions options;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "FILE|NAME", description = "A spec file, or a registered pipeline's name.")
    String target;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A parameter value (repeatable).")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--commit", paramLabel = "SHA", description = "The commit a CI job tested: the run's trigger is ci and its code version this commit.")
    String commit;

    @Option(names = "--cause", description = "Why the run starts, recorded with it.")
    String cause;

    @Option(names = "--at", paramLabel = "TIME",
            description = "The run's logical time (${run.time}, ${run.date}; what materialize and label times are as of): "
                    + "2024-03-22 or 2024-03-22T12:00:00Z (default: now). A run for a past day, e.g. of an example's data.")
    String at;

    @Override
    public Integer call() {
        if (commit != null && !commit.matches("[0-9a-fA-F]{7,64}")) throw CairnException.invalid("--commit", commit, "a git commit hash (7 to 64 hex digits)");
        Instant logicalTime = Instants.parse("--at", at); // null: now, as the engine decides for a run without one
        try (MetadataStore metadata = options.open()) {
            Path file = Path.of(target);
            PipelineSpec spec;
            Workspace workspace;
            if (Files.isRegularFile(file)) {
                spec = PipelineSpec.read(file.toAbsolutePath().normalize());
                workspace = Workspace.local(file.toAbsolutePath().normalize().getParent());
            } else {
                PipelineDefinition definition = metadata.pipelines().getPipeline(target).orElseThrow(() -> CairnException.invalid(
                        "FILE|NAME", target, "a spec file or a registered pipeline (cairn pipelines list)"));
                spec = PipelineSpec.parse(definition.specText(), definition.source());
                workspace = Workspace.local(SpecDirectory.directoryOf(definition, options.directory()));
            }
            String user = System.getProperty("user.name");
            RunRequest request = new RunRequest(commit == null ? "manual" : "ci",
                    cause != null ? cause : commit == null ? "started by " + user + " from the CLI" : "CI at commit " + commit,
                    parameters, logicalTime, commit, null, null);
            try (PipelineEngine engine = options.engine(metadata, workspace)) {
                PipelineRun run = engine.run(spec, request, output.json() ? RunListener.NONE : new Printer());
                if (run.state() == PipelineRunState.QUEUED) {
                    System.err.println("cairn: run " + run.runId() + " is queued: " + spec.concurrency().maxRuns()
                            + " run(s) of " + spec.name() + " already running; the server runs it when one ends");
                }
                if (output.json()) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("run", run);
                    out.put("steps", metadata.pipelines().steps(run.runId()));
                    output.printJson(System.out, out);
                } else {
                    System.out.println("run " + run.runId() + " " + run.state().name().toLowerCase(Locale.ROOT)
                            + (run.message() == null ? "" : ": " + run.message()));
                }
                return run.state() == PipelineRunState.SUCCEEDED || run.state() == PipelineRunState.QUEUED ? 0 : 1;
            }
        }
    }

    /** One line per step as it changes, and the step's log. */
    private static final class Printer implements RunListener {
        @Override
        public void runStarted(PipelineRun run) {
            System.err.println("run " + run.runId() + " of " + run.pipeline() + " (" + run.trigger() + ")");
        }

        @Override
        public void stepChanged(StepRun step) {
            String state = step.state().name().toLowerCase(Locale.ROOT);
            String duration = step.startedAt() != null && step.endedAt() != null
                    ? " in " + java.time.Duration.between(step.startedAt(), step.endedAt()).toMillis() + " ms" : "";
            System.err.println("  " + step.stepId() + ": " + state + (step.attempt() > 1 ? " (attempt " + step.attempt() + ")" : "")
                    + duration + (step.message() == null || step.state() == dev.cairn.core.pipeline.StepState.RUNNING ? "" : " - " + step.message()));
        }

        @Override
        public void log(String stepId, String level, String message) {
            if (!"INFO".equals(level)) System.err.println("    " + level.toLowerCase(Locale.ROOT) + ": " + message);
        }
    }
}
