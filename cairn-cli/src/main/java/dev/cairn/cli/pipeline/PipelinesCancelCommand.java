package dev.cairn.cli.pipeline;

import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.store.MetadataStore;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cairn pipelines cancel RUN_ID}: a queued run ends at once, a running one at its next step or check. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a pipeline run: a queued one at once, a running one at its next check.")
public final class PipelinesCancelCommand implements Callable<Integer> {
    @Mixin PipelineOptions options;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The pipeline run.")
    String runId;

    @Override
    public Integer call() {
        try (MetadataStore metadata = options.open()) {
            PipelineRun run = metadata.pipelines().requestCancel(runId, System.getProperty("user.name"), Instant.now());
            System.out.println("run " + run.runId() + ": " + (run.state().terminal() ? run.state().name().toLowerCase(Locale.ROOT) : "cancel requested"));
            return 0;
        }
    }
}
