package dev.cairn.cli.tracking;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.ViewType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn runs …}: search, show, metric history, delete and restore runs. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Search and show runs, their params, metrics and history.",
        subcommands = {
                RunsCommand.SearchRuns.class,
                RunsCommand.ShowRun.class,
                RunsCommand.MetricHistory.class,
                RunsCommand.DeleteRun.class,
                RunsCommand.RestoreRun.class
        })
public final class RunsCommand {

    @Command(name = "search", aliases = "list", mixinStandardHelpOptions = true,
            description = "Search runs with MLflow's filter syntax (plus OR and parentheses), e.g. "
                    + "\"metrics.auc > 0.8 and params.max_depth = '6'\".")
    static final class SearchRuns implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;

        @Option(names = {"-e", "--experiment"}, required = true, paramLabel = "ID_OR_NAME", split = ",",
                description = "Experiment(s) to search, by id or name.")
        List<String> experiments;

        @Option(names = "--filter", description = "Filter expression.")
        String filter;

        @Option(names = "--order-by", split = ",", description = "e.g. metrics.auc DESC (default: attributes.start_time DESC).")
        List<String> orderBy = List.of();

        @Option(names = "--view", defaultValue = "ACTIVE_ONLY", description = "ACTIVE_ONLY, DELETED_ONLY or ALL.")
        ViewType view;

        @Option(names = "--max", defaultValue = "100", description = "At most this many runs (default: ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--page-token", description = "Continue from a previous page.")
        String pageToken;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                List<String> ids = experiments.stream().map(e -> ExperimentsCommand.resolve(s.experiments(), e).experimentId()).toList();
                Page<Run> page = s.runs().searchRuns(ids, filter, view, orderBy, max, pageToken);
                if (output.json()) {
                    output.printJson(System.out, page);
                    return 0;
                }
                Output.printTable(System.out, List.of("RUN ID", "NAME", "STATUS", "STARTED", "METRICS", "PARAMS"),
                        page.items().stream().map(r -> List.of(r.info().runId(), nullToEmpty(r.info().runName()),
                                r.info().status().name(), Output.time(r.info().startTime()),
                                summary(r.data().metrics().stream().map(m -> m.key() + "=" + format(m.value())).toList()),
                                summary(r.data().params().stream().map(p -> p.key() + "=" + p.value()).toList()))).toList());
                if (page.nextPageToken() != null) {
                    System.out.println("more: --page-token " + page.nextPageToken());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a run: info, params, latest metrics, tags and inputs.")
    static final class ShowRun implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Parameters(paramLabel = "RUN_ID") String runId;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                Run run = s.runs().getRun(runId);
                if (output.json()) {
                    output.printJson(System.out, run);
                    return 0;
                }
                var info = run.info();
                List<List<String>> rows = new ArrayList<>(List.of(
                        List.of("run id", info.runId()),
                        List.of("name", nullToEmpty(info.runName())),
                        List.of("experiment", s.experiments().getExperiment(info.experimentId()).name() + " (" + info.experimentId() + ")"),
                        List.of("status", info.status().name()),
                        List.of("user", nullToEmpty(info.userId())),
                        List.of("started", Output.time(info.startTime())),
                        List.of("ended", Output.time(info.endTime())),
                        List.of("artifacts", nullToEmpty(info.artifactUri())),
                        List.of("stage", info.lifecycleStage().wireName())));
                run.data().params().forEach(p -> rows.add(List.of("param " + p.key(), p.value())));
                run.data().metrics().forEach(m -> rows.add(List.of("metric " + m.key(), format(m.value()) + " (step " + m.step() + ")")));
                run.data().tags().forEach(t -> rows.add(List.of("tag " + t.key(), t.value())));
                run.inputs().forEach(i -> rows.add(List.of("input " + i.dataset().name(), i.dataset().digest() + " " + nullToEmpty(i.dataset().source()))));
                Output.printTable(System.out, List.of("FIELD", "VALUE"), rows);
                return 0;
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every logged point of one metric of a run.")
    static final class MetricHistory implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "RUN_ID") String runId;
        @Parameters(index = "1", paramLabel = "METRIC") String metric;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                List<Metric> history = s.runs().getMetricHistory(runId, metric);
                if (output.json()) {
                    output.printJson(System.out, history);
                } else {
                    Output.printTable(System.out, List.of("STEP", "VALUE", "TIME"),
                            history.stream().map(m -> List.of(Long.toString(m.step()), format(m.value()), Output.time(m.timestamp()))).toList());
                }
                return 0;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a run (restorable).")
    static final class DeleteRun implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(paramLabel = "RUN_ID") String runId;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.runs().deleteRun(runId);
                return 0;
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a deleted run.")
    static final class RestoreRun implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Parameters(paramLabel = "RUN_ID") String runId;

        @Override
        public Integer call() {
            try (MetadataStore s = store.open()) {
                s.runs().restoreRun(runId);
                return 0;
            }
        }
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    private static String summary(List<String> items) {
        String joined = String.join(" ", items);
        return joined.length() > 60 ? joined.substring(0, 57) + "..." : joined;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
