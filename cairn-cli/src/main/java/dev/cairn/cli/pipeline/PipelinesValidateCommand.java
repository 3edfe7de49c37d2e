package dev.cairn.cli.pipeline;

import dev.cairn.cli.Output;
import dev.cairn.core.error.CairnException;
import dev.cairn.pipeline.spec.PipelineSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cairn pipelines validate FILE...}: every problem of each spec, by line; exit 2 when any has one. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check pipeline specs: every problem is reported with its line (unknown steps or keys, cycles, bad references, cron, time zones).")
public final class PipelinesValidateCommand implements Callable<Integer> {
    @Mixin Output output;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline spec files (YAML).")
    List<Path> files;

    @Override
    public Integer call() {
        List<Map<String, Object>> results = new ArrayList<>();
        boolean bad = false;
        for (Path file : files) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("file", file.toString());
            try {
                PipelineSpec spec = PipelineSpec.read(file);
                r.put("valid", true);
                r.put("name", spec.name());
                r.put("sha256", spec.sha256());
                r.put("steps", spec.order().stream().map(s -> s.id()).toList());
                if (!output.json()) System.out.println(file + ": ok, pipeline " + spec.name() + " with " + spec.steps().size() + " steps ("
                        + String.join(" -> ", spec.order().stream().map(s -> s.id()).toList()) + ")");
            } catch (CairnException e) {
                bad = true;
                r.put("valid", false);
                r.put("message", e.getMessage());
                r.put("errors", e.details().getOrDefault("errors", List.of()));
                if (!output.json()) System.err.println(e.getMessage());
            }
            results.add(r);
        }
        if (output.json()) output.printJson(System.out, Map.of("specs", results));
        return bad ? 2 : 0;
    }
}
