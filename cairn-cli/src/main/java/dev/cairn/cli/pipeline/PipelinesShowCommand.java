package dev.cairn.cli.pipeline;

import dev.cairn.cli.Output;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cairn pipelines show NAME}: a registered pipeline's parameters, triggers and steps. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a registered pipeline: parameters, triggers and its DAG of steps.")
public final class PipelinesShowCommand implements Callable<Integer> {
    @Mixin PipelineOptions options;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
    String name;

    @Override
    public Integer call() {
        try (MetadataStore metadata = options.open()) {
            PipelineDefinition d = metadata.pipelines().getPipeline(name).orElseThrow(() -> CairnException.notFound("pipeline", name));
            PipelineSpec spec = PipelineSpec.parse(d.specText(), d.source());
            if (output.json()) {
                output.printJson(System.out, spec);
                return 0;
            }
            System.out.println(spec.name() + (spec.description() == null ? "" : ": " + spec.description()));
            System.out.println("  spec " + d.source() + " (sha256 " + d.sha256().substring(0, 12) + ")" + (d.paused() ? ", triggers paused" : ""));
            spec.parameters().forEach((k, v) -> System.out.println("  param " + k + " = " + v));
            spec.triggers().forEach(t -> System.out.println("  trigger " + t.describe()));
            List<List<String>> rows = new ArrayList<>();
            for (Step s : spec.order()) {
                rows.add(List.of(s.id(), s.type().label(), String.join(", ", s.needs()), s.condition() == null ? "" : s.condition().text()));
            }
            Output.printTable(System.out, List.of("step", "type", "needs", "if"), rows);
            return 0;
        }
    }
}
