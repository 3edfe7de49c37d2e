package dev.cairn.cli.pipeline;

import dev.cairn.cli.Output;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.store.MetadataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn pipelines runs [NAME]}: runs, newest first; {@code --run ID} shows one run's steps. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List pipeline runs, newest first, or one run's steps with --run.")
public final class PipelinesRunsCommand implements Callable<Integer> {
    @Mixin PipelineOptions options;
    @Mixin Output output;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this pipeline's runs.")
    String name;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "Show this run's steps: state, attempts, cache use, outputs.")
    String runId;

    @Option(names = "--max", description = "At most this many runs (default 20).")
    int max = 20;

    @Override
    public Integer call() {
        if (max < 1 || max > 1000) throw dev.cairn.core.error.CairnException.invalid("--max", max, "1 to 1000");
        try (MetadataStore metadata = options.open()) {
            if (runId != null) {
                PipelineRun run = metadata.pipelines().getRun(runId);
                List<StepRun> steps = metadata.pipelines().steps(runId);
                if (output.json()) {
                    output.printJson(System.out, Map.of("run", run, "steps", steps));
                    return 0;
                }
                System.out.println(run.pipeline() + " run " + run.runId() + ": " + run.state().name().toLowerCase(Locale.ROOT)
                        + " (" + run.trigger() + (run.cause() == null ? "" : ": " + run.cause()) + ")" + (run.message() == null ? "" : " - " + run.message()));
                List<List<String>> rows = new ArrayList<>();
                for (StepRun s : steps) {
                    rows.add(List.of(s.stepId(), s.state().name().toLowerCase(Locale.ROOT), String.valueOf(s.attempt()),
                            s.outputsJson() == null ? "" : s.outputsJson(), s.message() == null ? "" : s.message()));
                }
                Output.printTable(System.out, List.of("step", "state", "attempt", "outputs", "message"), rows);
                return 0;
            }
            List<PipelineRun> runs = metadata.pipelines().listRuns(name, Set.of(), max, null).items();
            if (output.json()) {
                output.printJson(System.out, Map.of("runs", runs));
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (PipelineRun r : runs) {
                rows.add(List.of(r.runId(), r.pipeline(), r.state().name().toLowerCase(Locale.ROOT), r.trigger(), String.valueOf(r.logicalTime()),
                        r.message() == null ? "" : r.message()));
            }
            if (rows.isEmpty()) System.out.println("No pipeline runs yet.");
            else Output.printTable(System.out, List.of("run", "pipeline", "state", "trigger", "for", "message"), rows);
            return 0;
        }
    }
}
