package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Run;
import dev.cairn.server.tracking.ArtifactLocations;
import dev.cairn.train.evaluation.Bootstrap;
import dev.cairn.train.evaluation.Evaluations;
import dev.cairn.train.evaluation.Report;
import dev.cairn.train.evaluation.Verdict;
import dev.cairn.train.tracking.Tracking;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An evaluation run's report, rendered from the {@code evaluation/report.json} it stored (read by
 * {@link Evaluations#reportOf}, as {@code GET /api/v1/evaluations/{run_id}} serves it): the verdict with each check,
 * the candidate's and the champion's metrics with their bootstrap intervals, ROC and precision-recall curves (ECharts,
 * from {@link #curve}), calibration, slices, fairness and input importance. A run without a report is a 404.
 */
public final class EvaluationPages {

    private final Tracking tracking;
    private final Pages pages;

    EvaluationPages(MetadataStore store, ArtifactRepository artifacts, Pages pages) {
        ArtifactLocations locations = new ArtifactLocations(artifacts);
        // Run artifacts resolved as the evaluation API resolves them (under the server's artifact root).
        this.tracking = new Tracking(store.experiments(), store.runs(), store.registry(), run -> locations.open(run.artifactUri()));
        this.pages = pages;
    }

    public record CheckRow(String kind, String threshold, String column, String candidate, String champion, String observed, String outcome,
                           String message) {}

    public record MetricRow(String metric, String candidate, String interval, String champion, String change, boolean business) {}

    public record ModelInfo(String label, String href, String uri, String flavor, String task, String threshold, String thresholdSource) {}

    public record SliceTable(String column, List<String> metrics, List<SliceLine> rows) {}

    public record SliceLine(String group, long count, String positives, List<String> values) {}

    public record FairnessTable(String column, List<FairnessLine> groups, String parity, String opportunity, String impact, boolean violated,
                                String note) {}

    public record FairnessLine(String group, long count, long positives, String selection, String tpr, String fpr, String precision,
                               boolean tooSmall) {}

    public record ImportanceRow(String input, String gain, String permutation, String contribution) {}

    public record CalibrationRow(String bin, long count, String predicted, String observed) {}

    public record EvaluationView(String runId, String runHref, String reportHref, boolean blessed, String summary, List<String> violations,
                                 List<CheckRow> checks, String created, String data, String dataSha256, long rows, String label,
                                 String positiveClass, String businessMetric, ModelInfo candidate, ModelInfo champion,
                                 List<MetricRow> metrics, List<Long> confusion, String rocSrc, String prSrc,
                                 List<CalibrationRow> calibration, List<SliceTable> slices, List<FairnessTable> fairness,
                                 List<ImportanceRow> importance, String promoteHint) {}

    void evaluation(Context ctx) {
        Run run = tracking.runs().getRun(ctx.pathParam("id"));
        String runId = run.info().runId();
        Report report = Evaluations.reportOf(runId, tracking);
        Verdict verdict = report.verdict();
        Report.ModelResult cand = report.candidate();
        Report.ModelResult champ = report.champion();

        List<CheckRow> checks = verdict == null ? List.of() : verdict.checks().stream().map(c -> new CheckRow(c.kind().name().toLowerCase(java.util.Locale.ROOT),
                c.threshold(), ModelPages.nz(c.column()), num(c.candidate()), num(c.champion()), num(c.observed()),
                c.skipped() ? "skipped" : c.passed() ? "passed" : "failed", ModelPages.nz(c.message()))).toList();

        Set<String> names = new LinkedHashSet<>();
        if (report.businessMetric() != null && cand.metrics().containsKey(report.businessMetric())) names.add(report.businessMetric());
        names.addAll(cand.metrics().keySet());
        List<MetricRow> metrics = new ArrayList<>();
        for (String m : names) {
            Double c = cand.metrics().get(m);
            Bootstrap.Interval ci = cand.intervals() == null ? null : cand.intervals().get(m);
            Double b = champ == null || champ.metrics() == null ? null : champ.metrics().get(m);
            metrics.add(new MetricRow(m, num(c), ci == null || ci.resamples() == 0 ? ""
                    : Links.number(ci.lower()) + " – " + Links.number(ci.upper()) + " (" + Math.round(ci.level() * 100) + "%, " + ci.resamples() + " resamples)",
                    num(b), c == null || b == null ? "" : signed(c - b), m.equals(report.businessMetric())));
        }
        List<Long> confusion = cand.confusion() == null ? List.of() : List.of(cand.confusion().truePositives(), cand.confusion().falsePositives(),
                cand.confusion().falseNegatives(), cand.confusion().trueNegatives());
        boolean curves = cand.curves() != null;
        String base = Links.evaluation(runId) + "/curve?kind=";
        List<CalibrationRow> calibration = !curves || cand.curves().calibration() == null ? List.of()
                : cand.curves().calibration().stream().map(b -> new CalibrationRow(Links.number(b.lower()) + " – " + Links.number(b.upper()), b.count(),
                        Links.number(b.meanPredicted()), Links.number(b.fractionPositive()))).toList();
        List<SliceTable> slices = new ArrayList<>();
        for (Report.Slice s : nz(cand.slices())) {
            List<String> keys = new ArrayList<>(s.rows().stream().flatMap(r -> r.metrics().keySet().stream()).distinct().toList());
            List<SliceLine> lines = s.rows().stream().map(r -> new SliceLine(r.group(), r.count(), r.positives() == null ? "" : r.positives().toString(),
                    keys.stream().map(k -> num(r.metrics().get(k))).toList())).toList();
            slices.add(new SliceTable(s.column(), keys, lines));
        }
        List<FairnessTable> fairness = nz(cand.fairness()).stream().map(f -> new FairnessTable(f.column(),
                f.groups().stream().map(g -> new FairnessLine(g.group(), g.count(), g.positives(), Links.number(g.selectionRate()),
                        Links.number(g.truePositiveRate()), Links.number(g.falsePositiveRate()), Links.number(g.precision()), g.tooSmall())).toList(),
                num(f.demographicParityDifference()), num(f.equalOpportunityDifference()), num(f.disparateImpactRatio()), f.fourFifthsRuleViolated(),
                ModelPages.nz(f.note()))).toList();
        List<ImportanceRow> importance = nz(cand.importance()).stream().sorted(Comparator.comparingDouble(Report.Importance::permutation).reversed())
                .map(i -> new ImportanceRow(i.input(), num(i.gain()), Links.number(i.permutation()) + " ± " + Links.number(i.permutationStd()),
                        num(i.meanAbsContribution()))).toList();
        String promote = verdict == null || verdict.registeredName() == null || verdict.candidateVersion() == null ? null
                : "POST /api/v1/evaluations/" + runId + "/promote {\"name\": \"" + verdict.registeredName() + "\", \"version\": "
                + verdict.candidateVersion() + "}";
        EvaluationView view = new EvaluationView(runId, Links.run(runId),
                Links.withQuery(Links.run(runId) + "/artifact", List.of(Map.entry("path", Evaluations.REPORT_HTML))),
                verdict != null && verdict.blessed(), verdict == null ? "" : ModelPages.nz(verdict.summary()),
                verdict == null ? List.of() : verdict.fairnessViolations(), checks, ModelPages.nz(report.createdAt()),
                report.data() == null ? "" : ModelPages.nz(report.data().path()), report.data() == null ? "" : ModelPages.nz(report.data().sha256()),
                report.data() == null ? 0 : report.data().rows(), report.data() == null ? "" : ModelPages.nz(report.data().label()),
                report.data() == null ? "" : ModelPages.nz(report.data().positiveClass()), ModelPages.nz(report.businessMetric()),
                model(cand, verdict == null ? null : verdict.alias(), false), champ == null ? null : model(champ, verdict == null ? null : verdict.alias(), true),
                metrics, confusion, curves ? base + "roc" : null, curves ? base + "pr" : null, calibration, slices, fairness, importance, promote);
        pages.render(ctx, "evaluation.jte", "Evaluation " + runId, "experiments", view);
    }

    private static ModelInfo model(Report.ModelResult m, String alias, boolean champion) {
        String label = m.registeredName() != null && m.version() != null ? m.registeredName() + " v" + m.version() : ModelPages.nz(m.modelUri());
        if (champion && alias != null) label += " (@" + alias + ")";
        String href = m.registeredName() != null && m.version() != null ? Links.model(m.registeredName()) + "#v" + m.version() : null;
        return new ModelInfo(label, href, ModelPages.nz(m.modelUri()), ModelPages.nz(m.flavor()), ModelPages.nz(m.task()), num(m.threshold()),
                ModelPages.nz(m.thresholdSource()));
    }

    /** A curve of the candidate (and the champion) as the chart reads it: {@code kind} roc or pr. */
    void curve(Context ctx) {
        Run run = tracking.runs().getRun(ctx.pathParam("id"));
        String kind = ctx.queryParam("kind");
        if (!"roc".equals(kind) && !"pr".equals(kind)) throw CairnException.invalid("kind", kind, "roc or pr");
        Report report = Evaluations.reportOf(run.info().runId(), tracking);
        List<Map<String, Object>> series = new ArrayList<>();
        addCurve(series, "candidate", report.candidate(), kind);
        if (report.champion() != null) addCurve(series, "champion", report.champion(), kind);
        if (kind.equals("roc")) series.add(Map.of("name", "chance", "points", List.of(new double[] {0, 0}, new double[] {1, 1})));
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("x", kind.equals("roc") ? "false positive rate" : "recall");
        chart.put("y", kind.equals("roc") ? "true positive rate" : "precision");
        chart.put("range", List.of(0, 1));
        chart.put("series", series);
        ctx.json(chart);
    }

    private static void addCurve(List<Map<String, Object>> series, String name, Report.ModelResult m, String kind) {
        if (m.curves() == null) return;
        List<double[]> points = new ArrayList<>();
        if (kind.equals("roc")) {
            for (double[] p : nz(m.curves().roc())) points.add(new double[] {p[0], p[1]});
        } else {
            // Stored as [precision, recall, threshold]: drawn with recall across.
            for (double[] p : nz(m.curves().precisionRecall())) points.add(new double[] {p[1], p[0]});
        }
        String label = m.registeredName() != null && m.version() != null ? name + " (" + m.registeredName() + " v" + m.version() + ")" : name;
        series.add(Map.of("name", label, "points", points));
    }

    private static <T> List<T> nz(List<T> list) {
        return list == null ? List.of() : list;
    }

    static String num(Double v) {
        return v == null ? "" : Links.number(v);
    }

    private static String signed(double v) {
        return (v > 0 ? "+" : "") + Links.number(v);
    }
}
