package dev.cairn.cli.monitor;

import dev.cairn.cli.data.ProgressBar;
import dev.cairn.core.error.CairnException;
import dev.cairn.data.DataValidation;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.report.ReportWriter;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.report.MonitoringReport;
import dev.cairn.monitor.report.MonitoringReportWriter;
import dev.cairn.monitor.window.WindowSize;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn monitor report DEPLOYMENT [--from D] [--to D] [--out DIR]}: the HTML report (and its JSON) of a period. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a deployment's monitoring report over a period: report.html (charts per metric over windows, drifted features first) and report.json.")
public final class MonitorReportCommand implements Callable<Integer> {
    @Mixin MonitorOptions options;

    @Parameters(index = "0", paramLabel = "DEPLOYMENT")
    String deployment;

    @Option(names = "--window", paramLabel = "SIZE", description = "hour, day, week or an ISO-8601 duration (default: the alert rules' window, else day).")
    String window;

    @Option(names = "--from", paramLabel = "TIME", description = "Start of the period: a date or an ISO-8601 instant (default: the first window).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the period (default: now).")
    String to;

    @Option(names = "--reference", paramLabel = "REF",
            description = "What drift is measured against: training (default), window:<date> (a past window), or a dataset (.csv, .parquet, .jsonl) or profile (.json).")
    String reference;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Directory for report.html and report.json (default: monitoring-report-DEPLOYMENT).")
    Path out;

    /** training, window:<start>, or a file: a profile (.json) as written by `cairn data profile`, or data to profile. */
    static Monitoring.Reference reference(String text) {
        if (text == null || text.equals("training") || text.startsWith("window:")) return Monitoring.Reference.parse(text);
        Path file = Path.of(text);
        if (!Files.isRegularFile(file)) {
            throw CairnException.invalid("--reference", text, "training, window:<date>, or a readable data or profile file");
        }
        DataValidation data = new DataValidation();
        DatasetProfile profile = text.endsWith(".json") ? data.readProfile(file) : data.profile(DataValidation.file(file));
        return new Monitoring.Reference.Profile(file.getFileName().toString(), profile);
    }

    @Override
    public Integer call() {
        try (MonitorOptions.Opened opened = options.open()) {
            Monitoring m = opened.monitoring();
            WindowSize size = m.window(deployment, window);
            ProgressBar bar = new ProgressBar(new PrintWriter(System.err, true));
            m.update(deployment, size, bar);
            bar.finish();
            MonitoringReport report = m.report(deployment, size, Instants.parse("--from", from), Instants.parse("--to", to), reference(reference));
            ReportWriter.Report written = MonitoringReportWriter.write(out != null ? out : Path.of("monitoring-report-" + deployment), report);
            System.out.println("Report of " + deployment + " (" + report.windows().size() + " " + size.name() + " windows): " + written.html());
            System.out.println("JSON: " + written.json());
            return 0;
        }
    }
}
