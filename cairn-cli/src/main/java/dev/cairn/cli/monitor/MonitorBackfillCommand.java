package dev.cairn.cli.monitor;

import dev.cairn.cli.data.ProgressBar;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.window.WindowSize;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn monitor backfill DEPLOYMENT [--from D] [--to D] [--window W]}: recomputes windows from the log. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Recompute a deployment's windows over a period from the prediction log (after a new reference, another window size, or for a deployment monitored only now).")
public final class MonitorBackfillCommand implements Callable<Integer> {
    @Mixin MonitorOptions options;

    @Parameters(index = "0", paramLabel = "DEPLOYMENT")
    String deployment;

    @Option(names = "--window", paramLabel = "SIZE", description = "hour, day, week or an ISO-8601 duration (default: the alert rules' window, else day).")
    String window;

    @Option(names = "--from", paramLabel = "TIME", description = "A date or ISO-8601 instant (default: the beginning of the log).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "A date or ISO-8601 instant (default: the end of the log).")
    String to;

    @Override
    public Integer call() {
        try (MonitorOptions.Opened opened = options.open()) {
            Monitoring m = opened.monitoring();
            WindowSize size = m.window(deployment, window);
            ProgressBar bar = new ProgressBar(new PrintWriter(System.err, true));
            Monitoring.Backfill b = m.backfill(deployment, size, Instants.parse("--from", from), Instants.parse("--to", to), bar);
            bar.finish();
            b.update().versionsSkipped().forEach(s -> System.err.println("cairn: skipped " + s));
            System.out.println("Backfilled " + deployment + ": " + b.windowsRemoved() + " " + size.name() + " windows recomputed, "
                    + b.update().windowsUpdated() + " windows written from " + b.update().segmentsRead() + " log files ("
                    + b.update().rowsAdded() + " rows)");
            return 0;
        }
    }
}
