package dev.cairn.cli.model;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.train.Training;
import dev.cairn.train.reproduce.Difference;
import dev.cairn.train.reproduce.ReproductionReport;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn reproduce <run-id>}: retrains a recorded run and says whether it reproduced: the
 * recorded inputs (data SHA-256, schema) give a byte-identical model file. Exit code 0 when it
 * did, 1 when it did not (with what differs; different data fails it even if the model comes out
 * the same), 2 on bad input.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Retrain a recorded run from its data, parameters and seed, and check the model is byte-identical.")
public final class ReproduceCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin Output output;

    @Parameters(paramLabel = "RUN_ID", description = "The run that trained the model.")
    String runId;

    @Option(names = "--data", paramLabel = "FILE", description = "Where the run's data is now, if it moved (its SHA-256 must still be the recorded one).")
    Path data;

    @Override
    public Integer call() {
        try (MetadataStore s = store.open()) {
            ReproductionReport report = Training.reproduce(runId, data, Tracking.of(s));
            if (output.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("run_id", report.runId());
                out.put("identical", report.identical());
                out.put("model_identical", report.modelIdentical());
                out.put("recorded_sha256", report.recordedSha256());
                out.put("reproduced_sha256", report.reproducedSha256());
                List<Map<String, String>> diffs = report.differences().stream().map(ReproduceCommand::asMap).toList();
                out.put("differences", diffs);
                output.printJson(System.out, out);
            } else {
                System.out.println(report.summary());
            }
            return report.identical() ? 0 : 1;
        }
    }

    private static Map<String, String> asMap(Difference d) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kind", d.kind());
        m.put("name", d.name());
        m.put("recorded", d.recorded());
        m.put("current", d.current());
        return m;
    }
}
