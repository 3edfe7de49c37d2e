package dev.cairn.cli.pipeline;

import dev.cairn.core.pipeline.RunLogLine;
import dev.cairn.core.store.MetadataStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn pipelines logs RUN_ID [--follow]}: a run's log; with --follow until the run ends. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a pipeline run's log; --follow keeps printing until the run ends.")
public final class PipelinesLogsCommand implements Callable<Integer> {
    @Mixin PipelineOptions options;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The pipeline run.")
    String runId;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the run ends.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        try (MetadataStore metadata = options.open()) {
            long after = 0;
            while (true) {
                boolean ended = metadata.pipelines().getRun(runId).state().terminal();
                List<RunLogLine> lines = metadata.pipelines().logs(runId, after, 1000);
                for (RunLogLine l : lines) {
                    System.out.println(l.time() + " " + l.level() + (l.stepId() == null ? "" : " [" + l.stepId() + "]") + " " + l.message());
                    after = l.seq();
                }
                if (lines.size() == 1000) continue;
                if (!follow || ended) return 0;
                Thread.sleep(1000);
            }
        }
    }
}
