package dev.cairn.cli.pipeline;

import dev.cairn.cli.Output;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.pipeline.schedule.Trigger;
import dev.cairn.pipeline.spec.PipelineSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn pipelines schedule NAME [--pause|--resume]}: a pipeline's triggers and next fire times. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Show a pipeline's triggers and its next scheduled runs; --pause / --resume its own triggers.")
public final class PipelinesScheduleCommand implements Callable<Integer> {
    @Mixin PipelineOptions options;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
    String name;

    @Option(names = "--pause", description = "Stop its schedules, data and alert triggers (manual and CI runs still start).")
    boolean pause;

    @Option(names = "--resume", description = "Start its triggers again.")
    boolean resume;

    @Option(names = "--next", description = "How many upcoming runs per schedule (default 5).")
    int next = 5;

    @Override
    public Integer call() {
        if (pause && resume) throw CairnException.invalid("--pause/--resume", "both", "one of them");
        if (next < 0 || next > 100) throw CairnException.invalid("--next", next, "0 to 100");
        try (MetadataStore metadata = options.open()) {
            PipelineDefinition d = metadata.pipelines().getPipeline(name).orElseThrow(() -> CairnException.notFound("pipeline", name));
            if (pause || resume) d = metadata.pipelines().setPaused(name, pause, System.getProperty("user.name"));
            PipelineSpec spec = PipelineSpec.parse(d.specText(), d.source());
            List<Map<String, Object>> triggers = new ArrayList<>();
            for (Trigger t : spec.triggers()) {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("trigger", t.kind());
                view.put("spec", t.describe());
                if (t instanceof Trigger.Schedule s) {
                    List<String> upcoming = new ArrayList<>();
                    Instant at = Instant.now();
                    for (int i = 0; i < next; i++) {
                        at = s.schedule().next(at);
                        upcoming.add(at.atZone(s.timezone()).toString());
                    }
                    view.put("next", upcoming);
                }
                triggers.add(view);
            }
            if (output.json()) {
                output.printJson(System.out, Map.of("pipeline", name, "paused", d.paused(), "triggers", triggers));
                return 0;
            }
            System.out.println(name + ": triggers " + (d.paused() ? "paused" : "active"));
            for (Map<String, Object> t : triggers) {
                System.out.println("  " + t.get("spec"));
                if (t.get("next") instanceof List<?> upcoming) upcoming.forEach(u -> System.out.println("    next " + u));
            }
            if (triggers.isEmpty()) System.out.println("  none: runs start by hand or by CI only");
            return 0;
        }
    }
}
