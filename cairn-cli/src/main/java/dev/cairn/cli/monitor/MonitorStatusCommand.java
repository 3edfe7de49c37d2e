package dev.cairn.cli.monitor;

import dev.cairn.cli.Output;
import dev.cairn.cli.data.ProgressBar;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.WindowMetrics;
import dev.cairn.monitor.alert.ActiveAlert;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn monitor status [DEPLOYMENT...]}: reads new predictions, evaluates alerts, prints each deployment's latest window. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Read new predictions into the windows, evaluate alert rules, and show each deployment's latest window and firing alerts.")
public final class MonitorStatusCommand implements Callable<Integer> {
    @Mixin MonitorOptions options;
    @Mixin Output output;

    @Parameters(arity = "0..*", paramLabel = "DEPLOYMENT", description = "Deployments to show (default: every monitored one).")
    List<String> deployments;

    @Option(names = "--no-refresh", description = "Show the stored windows without reading new log segments.")
    boolean noRefresh;

    @Override
    public Integer call() {
        try (MonitorOptions.Opened opened = options.open()) {
            Monitoring m = opened.monitoring();
            List<String> names = deployments == null || deployments.isEmpty() ? m.deployments() : deployments;
            List<Monitoring.Status> statuses = new ArrayList<>();
            for (String d : names) {
                if (!noRefresh) {
                    ProgressBar bar = new ProgressBar(new PrintWriter(System.err, true));
                    Monitoring.Refresh r = m.refresh(d, bar);
                    bar.finish();
                    r.update().versionsSkipped().forEach(s -> System.err.println("cairn: skipped " + s));
                }
                statuses.add(m.status(d));
            }
            if (output.json()) {
                output.printJson(System.out, Map.of("deployments", statuses));
                return 0;
            }
            if (statuses.isEmpty()) {
                System.out.println("No monitored deployments yet: serve a model with a prediction log (cairn server) or score with --log-dir.");
                return 0;
            }
            for (Monitoring.Status s : statuses) print(s);
            return 0;
        }
    }

    static void print(Monitoring.Status s) {
        WindowMetrics w = s.latest();
        System.out.println(s.deployment() + "  (" + s.windows() + " " + s.window() + " windows, versions " + s.versions() + ")");
        if (w == null) {
            s.notes().forEach(n -> System.out.println("  " + n));
            return;
        }
        System.out.println("  latest window " + w.start() + " .. " + w.end() + ", model " + w.model() + " version " + w.modelVersion());
        List<List<String>> rows = new ArrayList<>();
        for (String metric : List.of(MetricNames.ROWS, MetricNames.REFUSED_RATE, MetricNames.DRIFT_SHARE, MetricNames.PREDICTION_DRIFT_SCORE,
                MetricNames.RECONSTRUCTION_ERROR, MetricNames.MISSING_RATE, MetricNames.UNSEEN_RATE, MetricNames.LATENCY_P99,
                MetricNames.estimated("precision"), MetricNames.estimated("roc_auc"), MetricNames.realized("precision"),
                MetricNames.realized("roc_auc"), MetricNames.LABEL_COVERAGE)) {
            Double v = w.get(metric);
            if (v == null) continue;
            Double lower = w.get(metric + MetricNames.LOWER_SUFFIX);
            Double upper = w.get(metric + MetricNames.UPPER_SUFFIX);
            rows.add(List.of(metric, number(v) + (lower != null && upper != null ? "  [" + number(lower) + ", " + number(upper) + "]" : "")));
        }
        List<String> drifted = w.values().entrySet().stream()
                .filter(e -> e.getKey().startsWith(MetricNames.DRIFT_PREFIX) && e.getKey().endsWith(MetricNames.DRIFTED_SUFFIX) && e.getValue() == 1.0)
                .map(e -> e.getKey().substring(MetricNames.DRIFT_PREFIX.length(), e.getKey().length() - MetricNames.DRIFTED_SUFFIX.length()))
                .toList();
        rows.add(List.of("drifted features", drifted.isEmpty() ? "none" : String.join(", ", drifted)));
        Output.printTable(System.out, List.of("metric", "value"), rows);
        for (ActiveAlert a : s.firing()) {
            System.out.println("  FIRING " + a.rule() + " (" + a.severity().name().toLowerCase(Locale.ROOT) + "): " + a.metric() + " = "
                    + (a.value() == null ? "-" : number(a.value())) + " " + a.comparison().symbol() + " " + number(a.threshold()) + " since " + a.since());
        }
        if (s.firing().isEmpty()) System.out.println("  no alerts firing");
        s.notes().forEach(n -> System.out.println("  note: " + n));
    }

    static String number(double v) {
        return Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
