package dev.cairn.cli.pipeline;

import dev.cairn.cli.Output;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.pipeline.scheduler.SpecDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn pipelines list}: the registered pipelines, after reading the pipelines directory again. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the pipelines of the server's pipelines directory (registering new and changed specs first) with their latest run.")
public final class PipelinesListCommand implements Callable<Integer> {
    @Mixin PipelineOptions options;
    @Mixin Output output;

    @Option(names = "--no-sync", description = "Show what is registered without reading the directory.")
    boolean noSync;

    @Override
    public Integer call() {
        try (MetadataStore metadata = options.open()) {
            List<SpecDirectory.Problem> problems = List.of();
            if (!noSync) problems = new SpecDirectory(options.directory()).sync(metadata.pipelines(), System.getProperty("user.name")).problems();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PipelineDefinition d : metadata.pipelines().listPipelines()) {
                List<PipelineRun> last = metadata.pipelines().listRuns(d.name(), Set.of(), 1, null).items();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", d.name());
                row.put("paused", d.paused());
                row.put("source", d.source());
                row.put("sha256", d.sha256());
                row.put("last_run", last.isEmpty() ? null : last.getFirst());
                rows.add(row);
            }
            if (output.json()) {
                output.printJson(System.out, Map.of("directory", options.directory().toString(), "pipelines", rows,
                        "problems", problems.stream().map(p -> Map.of("file", p.file().toString(), "message", p.message())).toList()));
                return problems.isEmpty() ? 0 : 2;
            }
            List<List<String>> table = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                PipelineRun last = (PipelineRun) r.get("last_run");
                table.add(List.of(String.valueOf(r.get("name")), (Boolean) r.get("paused") ? "paused" : "active",
                        last == null ? "-" : last.state().name().toLowerCase(Locale.ROOT) + " " + last.createdAt(), String.valueOf(r.get("source"))));
            }
            if (table.isEmpty()) System.out.println("No pipelines in " + options.directory() + " (put spec files there, or run one with cairn pipelines run FILE).");
            else Output.printTable(System.out, List.of("pipeline", "triggers", "last run", "spec"), table);
            problems.forEach(p -> System.err.println("cairn: " + p.file() + " is not registered: " + p.message()));
            return problems.isEmpty() ? 0 : 2;
        }
    }
}
