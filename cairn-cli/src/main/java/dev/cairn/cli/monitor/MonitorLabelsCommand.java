package dev.cairn.cli.monitor;

import dev.cairn.cli.data.SourceOptions;
import dev.cairn.monitor.window.Labels;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn monitor labels DEPLOYMENT --input FILE|JDBC --id-column C --label-column C}: labels that arrived late. */
@Command(name = "labels", mixinStandardHelpOptions = true,
        description = "Import true labels that arrived after the predictions (a file or a JDBC table/query), joined to them by request id or by a logged input such as customer_id.")
public final class MonitorLabelsCommand implements Callable<Integer> {
    @Mixin MonitorOptions options;
    @Mixin SourceOptions source;

    @Parameters(index = "0", paramLabel = "DEPLOYMENT")
    String deployment;

    @Option(names = "--input", required = true, paramLabel = "FILE|JDBC-URL", description = "The labels: .csv, .parquet, .jsonl or a jdbc: URL (with --table or --query).")
    String input;

    @Option(names = "--id-column", required = true, paramLabel = "COLUMN", description = "The column holding the id the predictions are joined on.")
    String idColumn;

    @Option(names = "--label-column", required = true, paramLabel = "COLUMN", description = "The column holding the true label (or value, for regression).")
    String labelColumn;

    @Option(names = "--time-column", paramLabel = "COLUMN", description = "When each label became known (default: now), for label lag.")
    String timeColumn;

    @Option(names = "--join-on", defaultValue = "request_id", paramLabel = "FIELD",
            description = "What the ids are: request_id (default) or a logged input field such as customer_id.")
    String joinOn;

    @Override
    public Integer call() {
        try (MonitorOptions.Opened opened = options.open()) {
            Labels.Imported i = opened.monitoring().importLabels(deployment, source.source(input), idColumn, labelColumn, timeColumn, joinOn);
            System.out.println("Imported " + i.labels() + " labels for " + deployment + " (joined on " + i.joinOn() + ")");
            return 0;
        }
    }
}
