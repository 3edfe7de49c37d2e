package dev.cairn.monitor;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.Progress;
import dev.cairn.monitor.alert.ActiveAlert;
import dev.cairn.monitor.alert.AlertEngine;
import dev.cairn.monitor.alert.AlertEvent;
import dev.cairn.monitor.alert.AlertEvents;
import dev.cairn.monitor.alert.AlertGauges;
import dev.cairn.monitor.alert.AlertListener;
import dev.cairn.monitor.alert.AlertRules;
import dev.cairn.monitor.alert.AlertWebhooks;
import dev.cairn.monitor.alert.LogListener;
import dev.cairn.monitor.alert.WebhookListener;
import dev.cairn.monitor.log.LogRetention;
import dev.cairn.monitor.log.PredictionLogLayout;
import dev.cairn.monitor.log.PredictionLookup;
import dev.cairn.monitor.performance.Cbpe;
import dev.cairn.monitor.performance.Realized;
import dev.cairn.monitor.report.MonitoringReport;
import dev.cairn.monitor.report.ReportAlert;
import dev.cairn.monitor.window.LabeledRows;
import dev.cairn.monitor.window.Labels;
import dev.cairn.monitor.window.LogWindows;
import dev.cairn.monitor.window.WindowCalculator;
import dev.cairn.monitor.window.WindowSize;
import dev.cairn.monitor.window.WindowState;
import dev.cairn.monitor.window.WindowStore;
import dev.cairn.runtime.pkg.OutputKind;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Monitoring, as one service the server, the CLI and pipelines call: it keeps each deployment's windows
 * up to date from the prediction log, computes their metrics (drift, quality, volume and latency,
 * realized performance once labels join, CBPE-estimated performance before), evaluates the deployment's
 * alert rules over closed windows and delivers the transitions (server log, Prometheus gauges, webhooks,
 * audit log, and in-process {@link #events()} that pipelines subscribe to).
 */
public final class Monitoring implements AutoCloseable {
    private static final Pattern DEPLOYMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

    /**
     * Where the log and the monitoring state are, the default window, drift thresholds and log retention.
     * {@code rules} holds one {@code <deployment>.yaml} of alert rules per deployment.
     */
    public record Settings(Path logRoot, Path stateRoot, Path rules, WindowSize window, DriftOptions drift,
                           LogRetention.Policy retention) {
        public Settings {
            Objects.requireNonNull(logRoot, "logRoot");
            Objects.requireNonNull(stateRoot, "stateRoot");
            Objects.requireNonNull(rules, "rules");
            if (window == null) window = WindowSize.DAY;
            if (drift == null) drift = DriftOptions.DEFAULT;
            if (retention == null) retention = LogRetention.Policy.DEFAULT;
        }

        /**
         * The layout under a serving home ({@code cairn server}'s): {@code predictions/}, {@code monitoring/}, {@code alerts/};
         * log retention from the environment ({@link LogRetention.Policy#fromEnvironment}).
         */
        public static Settings under(Path servingHome) {
            return new Settings(servingHome.resolve("predictions"), servingHome.resolve("monitoring"), servingHome.resolve("alerts"),
                    WindowSize.DAY, DriftOptions.DEFAULT, LogRetention.Policy.fromEnvironment(System::getenv));
        }
    }

    /**
     * What a window's drift is measured against: the training data (the default), a past window of the same
     * deployment (e.g. the first week in production), or any dataset's profile.
     */
    public sealed interface Reference {
        String describe();

        record Training() implements Reference {
            public String describe() {
                return "training";
            }
        }

        record PastWindow(Instant start) implements Reference {
            public String describe() {
                return "window:" + start;
            }
        }

        record Profile(String name, DatasetProfile profile) implements Reference {
            public String describe() {
                return "profile:" + name;
            }
        }

        Reference TRAINING = new Training();

        /** {@code training} or {@code window:<ISO instant or date>}; a dataset is given as a profile by the caller. */
        static Reference parse(String text) {
            if (text == null || text.isBlank() || text.equals("training")) return TRAINING;
            if (text.startsWith("window:")) {
                String t = text.substring("window:".length());
                try {
                    return new PastWindow(t.length() == 10 ? java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                            : Instant.parse(t));
                } catch (java.time.format.DateTimeParseException e) {
                    throw CairnException.invalid("reference", text, "training or window:<start>, e.g. window:2026-11-01");
                }
            }
            throw CairnException.invalid("reference", text, "training or window:<start>, e.g. window:2026-11-01");
        }
    }

    /** One window's metrics, the per-feature drift behind them, and notes on what could not be computed and why. */
    public record WindowResult(WindowMetrics metrics, DriftResult drift, List<String> notes) {}

    /** A deployment at a glance. */
    public record Status(String deployment, String window, WindowMetrics latest, List<ActiveAlert> firing, int windows,
                         List<String> versions, List<String> notes) {}

    /** What a refresh did. */
    public record Refresh(String deployment, String window, LogWindows.Update update, List<AlertEvent> transitions) {}

    private final Settings settings;
    private final BiFunction<String, String, MonitoredModel> models;
    private final WindowStore store;
    private final LogWindows windows;
    private final WindowCalculator calculator;
    private final Labels labels;
    private final AlertEngine alerts;
    private final AlertEvents events = new AlertEvents();
    private final AlertGauges gauges;
    private final AlertWebhooks webhooks;
    private final Map<String, WindowResult> results = new ConcurrentHashMap<>();
    private final Clock clock;

    /**
     * @param models    loads a model version with its reference ({@link ReferenceLoader#load})
     * @param listeners further alert listeners (the server adds the audit log)
     * @param registry  where the alert and metric gauges go (the server's /metrics); null for none
     */
    public Monitoring(Settings settings, BiFunction<String, String, MonitoredModel> models, List<AlertListener> listeners,
                      MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.models = models;
        this.clock = clock;
        this.store = new WindowStore(settings.stateRoot());
        this.windows = new LogWindows(settings.logRoot(), store, models);
        this.calculator = new WindowCalculator(settings.drift());
        this.labels = new Labels(settings.logRoot(), settings.stateRoot());
        this.gauges = registry == null ? null : new AlertGauges(registry);
        this.webhooks = new AlertWebhooks(WebhookListener.Settings.DEFAULTS, registry);
        List<AlertListener> all = new ArrayList<>();
        all.add(new LogListener());
        all.add(this::history);
        all.add(webhooks);
        if (gauges != null) all.add(gauges);
        all.addAll(listeners);
        all.add(events);
        this.alerts = new AlertEngine(settings.stateRoot().resolve("alert-state.json"), all);
    }

    public Settings settings() {
        return settings;
    }

    /** Alert transitions as they happen, for pipelines ("a drift alert triggers a retrain"). */
    public AlertEvents events() {
        return events;
    }

    static String checkDeployment(String deployment) {
        if (deployment == null || !DEPLOYMENT.matcher(deployment).matches()) {
            throw CairnException.invalid("deployment", deployment, "a deployment name of letters, digits, '_', '.' and '-'");
        }
        return deployment;
    }

    /** The window size for {@code deployment}: {@code requested} if given, else its alert rules', else the default. */
    public WindowSize window(String deployment, String requested) {
        if (requested != null && !requested.isBlank()) return WindowSize.parse(requested);
        AlertRules rules = rules(deployment);
        return rules != null ? WindowSize.parse(rules.window()) : settings.window();
    }

    /** Reads the deployment's new log segments into its windows. */
    public LogWindows.Update update(String deployment, WindowSize size, Progress progress) {
        return windows.update(checkDeployment(deployment), size, progress);
    }

    /**
     * The windows of {@code deployment} that overlap [from, to) (either may be null: unbounded), oldest first,
     * for every model version (or only {@code version}), with their metrics computed now — labels that have
     * arrived since are joined.
     */
    public List<WindowResult> windows(String deployment, WindowSize size, Instant from, Instant to, String version) {
        return windows(deployment, size, from, to, version, Reference.TRAINING);
    }

    /** As above, with drift measured against {@code reference}. */
    public List<WindowResult> windows(String deployment, WindowSize size, Instant from, Instant to, String version, Reference reference) {
        checkDeployment(deployment);
        // Only the windows asked for are read (a past window as the reference may lie outside them: then all are).
        List<WindowState> states = reference instanceof Reference.PastWindow
                ? store.load(deployment, size)
                : store.load(deployment, size, from == null ? Long.MIN_VALUE : from.toEpochMilli(),
                        to == null ? Long.MAX_VALUE : to.toEpochMilli());
        List<WindowResult> out = new ArrayList<>();
        for (WindowState state : states) {
            if (version != null && !version.equals(state.modelVersion())) continue;
            if (from != null && state.end() <= from.toEpochMilli()) continue;
            if (to != null && state.start() >= to.toEpochMilli()) continue;
            out.add(computed(state, referenceProfile(reference, state, states), reference.describe()));
        }
        return out;
    }

    /** The profile a window is compared with: null for the training reference (the model's own). */
    private static DatasetProfile referenceProfile(Reference reference, WindowState state, List<WindowState> states) {
        return switch (reference) {
            case Reference.Training t -> null;
            case Reference.Profile p -> p.profile();
            case Reference.PastWindow w -> {
                WindowState past = null;
                for (WindowState s : states) {
                    if (s.start() != w.start().toEpochMilli()) continue;
                    // The same version's window, else the window's busiest version.
                    if (s.modelVersion().equals(state.modelVersion())) {
                        past = s;
                        break;
                    }
                    if (past == null || s.rows() > past.rows()) past = s;
                }
                if (past == null || past.profile() == null) {
                    throw CairnException.invalid("reference", reference.describe(), "the start of a window with predictions");
                }
                yield past.profile();
            }
        };
    }

    /**
     * A window's metrics, computed once per state of the window and of the labels: a status, a report and an
     * alert evaluation in a row reuse them, and a new segment or a new label file computes them again.
     */
    private WindowResult computed(WindowState state, DatasetProfile reference, String referenceName) {
        String key = referenceName + "\n" + state.deployment() + "\n" + state.modelVersion() + "\n" + state.start() + "\n" + state.end() + "\n" + state.rows()
                + "\n" + state.requests() + "\n" + state.refused() + "\n" + state.segments().size() + "\n" + labels.version(state.deployment());
        WindowResult cached = results.get(key);
        if (cached != null) return cached;
        WindowResult r = compute(state, reference);
        if (results.size() > 10_000) results.clear();
        results.put(key, r);
        return r;
    }

    private WindowResult compute(WindowState state, DatasetProfile reference) {
        List<String> notes = new ArrayList<>();
        MonitoredModel model;
        try {
            model = models.apply(state.model(), state.modelVersion());
        } catch (CairnException e) {
            notes.add("model " + state.model() + " version " + state.modelVersion() + " cannot be loaded: " + e.getMessage());
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(MetricNames.ROWS, (double) state.rows());
            m.put(MetricNames.REQUESTS, (double) state.requests());
            m.put(MetricNames.REFUSED, (double) state.refused());
            return new WindowResult(WindowCalculator.toMetrics(state, m), null, notes);
        }
        notes.addAll(model.missingReference());
        DriftResult drift = calculator.inputDrift(state, model, reference);
        Map<String, Double> m = new LinkedHashMap<>(calculator.metrics(state, model, drift, reference));
        if (model.kind() == OutputKind.BINARY && model.predictions() != null && state.rows() > 0) {
            long seed = (state.deployment() + "/" + state.modelVersion() + "/" + state.start()).hashCode();
            m.putAll(Cbpe.estimate(model.predictions().binaryLabels(), model.predictions().scores(), state.scores(), model.threshold(), seed)
                    .flatten());
        }
        if (model.kind() != OutputKind.MULTICLASS && state.rows() > 0) {
            LabeledRows labeled = LabeledRows.read(settings.logRoot(), labels, state, model);
            m.put(MetricNames.LABEL_COVERAGE, labeled.size() / (double) state.rows());
            if (labeled.size() > 0) {
                double[] lag = labeled.lagHours().clone();
                Arrays.sort(lag);
                m.put(MetricNames.LABEL_LAG_HOURS, lag[lag.length / 2]);
                Map<String, Double> realized = model.kind() == OutputKind.BINARY
                        ? Realized.binary(labeled.binary(), labeled.scores(), model.threshold())
                        : Realized.regression(labeled.labels(), labeled.scores());
                realized.forEach((k, v) -> m.put(MetricNames.realized(k), v));
            }
        }
        return new WindowResult(WindowCalculator.toMetrics(state, m), drift, notes);
    }

    /** Updates the deployment's windows, evaluates its alert rules over the closed ones, refreshes its gauges. */
    public Refresh refresh(String deployment, Progress progress) {
        WindowSize size = window(deployment, null);
        LogWindows.Update update = update(deployment, size, progress);
        List<AlertEvent> transitions = List.of();
        AlertRules rules = rules(deployment);
        if (rules != null || gauges != null) {
            // Only the windows the rules have not evaluated yet (and the open ones): a label upload invalidates every
            // window's computed metrics, and recomputing a deployment's whole history on each refresh grew with it.
            Instant through = rules == null ? null : alerts.evaluatedThrough(deployment, rules);
            List<WindowMetrics> primary = primary(windows(deployment, size, through, null, null));
            long now = clock.millis();
            List<WindowMetrics> closed = primary.stream().filter(w -> w.end().toEpochMilli() <= now).toList();
            if (gauges != null && rules != null) gauges.track(deployment, rules, alerts.active(deployment));
            if (rules != null) transitions = alerts.evaluate(deployment, rules, closed);
            if (gauges != null && !primary.isEmpty()) gauges.update(primary.getLast());
        }
        return new Refresh(deployment, size.name(), update, transitions);
    }

    /**
     * One series per deployment for alerting: in each window, the version that scored the most rows
     * (the stable version beside a canary), so a canary's few rows neither fire nor hide an alert.
     */
    static List<WindowMetrics> primary(List<WindowResult> results) {
        Map<Instant, WindowMetrics> best = new java.util.TreeMap<>();
        for (WindowResult r : results) {
            WindowMetrics w = r.metrics();
            WindowMetrics current = best.get(w.start());
            double rows = w.values().getOrDefault(MetricNames.ROWS, 0.0);
            if (current == null || rows > current.values().getOrDefault(MetricNames.ROWS, 0.0)) best.put(w.start(), w);
        }
        return new ArrayList<>(best.values());
    }

    public Status status(String deployment) {
        WindowSize size = window(deployment, null);
        List<WindowResult> all = windows(deployment, size, null, null, null);
        List<WindowMetrics> primary = primary(all);
        List<String> versions = all.stream().map(r -> r.metrics().modelVersion()).distinct().toList();
        List<String> notes = all.isEmpty() ? List.of("no predictions logged for '" + deployment + "' yet") : all.getLast().notes();
        return new Status(deployment, size.name(), primary.isEmpty() ? null : primary.getLast(), alerts.active(deployment),
                primary.size(), versions, notes);
    }

    /** Deployments with a prediction log or monitoring state, by name. */
    public List<String> deployments() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        if (Files.isDirectory(settings.stateRoot())) {
            try (Stream<Path> s = Files.list(settings.stateRoot())) {
                s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> DEPLOYMENT.matcher(n).matches()).forEach(names::add);
            } catch (IOException e) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot list " + settings.stateRoot() + ": " + e.getMessage(), e);
            }
        }
        if (Files.isDirectory(settings.rules())) {
            try (Stream<Path> s = Files.list(settings.rules())) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                        .map(n -> n.substring(0, n.length() - 5)).filter(n -> DEPLOYMENT.matcher(n).matches()).forEach(names::add);
            } catch (IOException e) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot list " + settings.rules() + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(names);
    }

    /**
     * The report of {@code deployment} over [from, to) (from: the first window, to: now when null): the primary
     * version's windows, the last window's per-feature drift, the alert transitions of the period and what fires now.
     */
    public MonitoringReport report(String deployment, WindowSize size, Instant from, Instant to) {
        return report(deployment, size, from, to, Reference.TRAINING);
    }

    public MonitoringReport report(String deployment, WindowSize size, Instant from, Instant to, Reference reference) {
        Instant now = clock.instant();
        List<WindowResult> results = windows(deployment, size, from, to, null, reference);
        List<WindowMetrics> primary = primary(results);
        Instant start = from != null ? from : primary.isEmpty() ? now : primary.getFirst().start();
        Instant end = to != null ? to : primary.isEmpty() ? now : max(now, primary.getLast().end());
        DriftResult latestDrift = null;
        String model = null;
        MonitoringReport.Thresholds thresholds = null;
        for (WindowResult r : results) {
            if (!primary.contains(r.metrics())) continue;
            model = r.metrics().model();
            if (r.drift() != null) latestDrift = r.drift();
            Double lower = r.metrics().get(MetricNames.RECONSTRUCTION_ERROR + MetricNames.LOWER_SUFFIX);
            Double upper = r.metrics().get(MetricNames.RECONSTRUCTION_ERROR + MetricNames.UPPER_SUFFIX);
            if (lower != null || upper != null) thresholds = new MonitoringReport.Thresholds(lower, upper);
        }
        List<ReportAlert> transitions = new ArrayList<>();
        for (AlertEvent e : history(deployment, 10_000)) {
            if (e.windowEnd().isAfter(start) && e.windowStart().isBefore(end)) {
                transitions.add(new ReportAlert(e.rule(), e.state().name(), e.severity().name().toLowerCase(java.util.Locale.ROOT), e.metric(),
                        e.value(), e.threshold(), e.comparison().symbol(), e.windowStart(), e.windowEnd()));
            }
        }
        List<String> firingNow = alerts.active(deployment).stream().map(ActiveAlert::rule).toList();
        return new MonitoringReport(deployment, model == null ? deployment : model, size.name(), start, end, now, primary, latestDrift,
                thresholds, transitions, firingNow);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    // ---- alert rules and history

    /** The deployment's alert rules, or null when it has none. */
    public AlertRules rules(String deployment) {
        Path file = settings.rules().resolve(checkDeployment(deployment) + ".yaml");
        if (!Files.exists(file)) return null;
        AlertRules rules = AlertRules.read(file);
        webhooks.configure(deployment, rules.webhooks());
        return rules;
    }

    /** Validates and installs {@code yaml} as the deployment's alert rules (nothing is written when it is invalid). */
    public AlertRules installRules(String deployment, String yaml) {
        AlertRules rules = AlertRules.parse(yaml, "alert rules of " + checkDeployment(deployment));
        Path file = settings.rules().resolve(deployment + ".yaml");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, yaml);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write " + file + ": " + e.getMessage(), e);
        }
        return rules;
    }

    public List<ActiveAlert> firing(String deployment) {
        return alerts.active(checkDeployment(deployment));
    }

    /** The deployment's alert transitions, newest last, at most {@code limit}. */
    public List<AlertEvent> history(String deployment, int limit) {
        Path file = historyFile(checkDeployment(deployment));
        if (!Files.exists(file)) return List.of();
        try (Stream<String> lines = Files.lines(file)) {
            List<AlertEvent> all = lines.filter(l -> !l.isBlank()).map(AlertEvent::fromJson).toList();
            return all.subList(Math.max(0, all.size() - limit), all.size());
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Path historyFile(String deployment) {
        return settings.stateRoot().resolve(deployment).resolve("alerts.jsonl");
    }

    private void history(AlertEvent e) {
        Path file = historyFile(e.deployment());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.toJson() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot append to " + file + ": " + ex.getMessage(), ex);
        }
    }

    // ---- labels, backfill, retention

    public Labels.Imported importLabels(String deployment, DataSource source, String idColumn, String labelColumn, String timeColumn,
                                        String joinOn) {
        return labels.importTable(checkDeployment(deployment), source, idColumn, labelColumn, timeColumn, joinOn);
    }

    /** One label given in a request body: the id (of the request, or the join_on input's value), the label, when it became known. */
    public record Label(String id, String label, Instant time) {}

    public Labels.Imported postLabels(String deployment, List<Label> rows, String joinOn) {
        return labels.importRows(checkDeployment(deployment), rows.stream()
                .map(l -> new Labels.Row(l.id(), l.label(), l.time() == null ? clock.instant() : l.time())).toList(), joinOn);
    }

    /** What a backfill recomputed. */
    public record Backfill(int windowsRemoved, LogWindows.Update update) {}

    /**
     * Recomputes the deployment's windows that overlap [from, to) from the log as it is (after a change of
     * reference or window size, or for a deployment monitored only now). Alerts are not re-sent for windows
     * already evaluated.
     */
    public Backfill backfill(String deployment, WindowSize size, Instant from, Instant to, Progress progress) {
        checkDeployment(deployment);
        int removed = store.remove(deployment, size, from == null ? Long.MIN_VALUE : from.toEpochMilli(),
                to == null ? Long.MAX_VALUE : to.toEpochMilli());
        return new Backfill(removed, update(deployment, size, progress));
    }

    /** Applies the retention policy to the prediction log (compaction of old segments, deletion of the oldest). */
    public LogRetention.Result retain() {
        return LogRetention.apply(settings.logRoot(), settings.retention(), clock.instant());
    }

    /**
     * Logged predictions of any deployment whose request id ({@code field} {@code request_id}) or input {@code field}
     * (a scored customer's {@code customer_id}) equals {@code value}, newest first, at most {@code max}: where the
     * lineage of one answer starts. It scans the log (see {@link PredictionLookup}).
     */
    public List<PredictionLookup.LoggedPrediction> predictions(String field, String value, int max) {
        return PredictionLookup.find(settings.logRoot(), field, value, max);
    }

    public boolean hasLog() {
        return !PredictionLogLayout.files(settings.logRoot(), PredictionLogLayout.PREDICTIONS).isEmpty();
    }

    @Override
    public void close() {
        webhooks.close();
    }
}
