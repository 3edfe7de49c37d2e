package dev.cairn.train.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.Tag;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.Task;
import dev.cairn.train.tracking.RunRecorder;
import dev.cairn.train.tracking.Tracking;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java entry point to evaluation: scores a candidate and the champion on the same labelled
 * data, records everything as one run (metrics, {@code evaluation/report.json},
 * {@code evaluation/report.html}, {@code evaluation/verdict.json}) and returns the verdict a
 * pipeline gates on.
 * <pre>
 * EvaluationResult r = Evaluations.evaluate(EvaluationSpec.of("models:/credit-risk/2", test, "class")
 *         .withPositiveClass("bad").withBusinessMetric("precision").withThresholdTarget("recall@precision>=0.6")
 *         .withThresholds(List.of("roc_auc>=0.75", "change:precision>=-0.01", "fairness:disparate_impact>=0.8"))
 *         .withSensitive(List.of("personal_status", "foreign_worker", "age:25,40,60")), tracking);
 * Promotion.promote(tracking.registry(), "credit-risk", 2, r.verdict(), "alice", false, null);
 * </pre>
 */
public final class Evaluations {
    public static final String REPORT_HTML = "evaluation/report.html";
    public static final String REPORT_JSON = "evaluation/report.json";
    public static final String VERDICT_JSON = "evaluation/verdict.json";
    public static final String THRESHOLDED_MODEL = "model";
    /** Tags set on the evaluated model version and on the evaluation run. */
    public static final String TAG_RUN = "cairn.evaluation.run_id", TAG_BLESSED = "cairn.evaluation.blessed",
            TAG_CANDIDATE = "cairn.evaluation.candidate";
    /** snake_case, as Cairn's REST API writes JSON, so the stored report reads the same as the API's answers. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private Evaluations() {}

    public static EvaluationResult evaluate(EvaluationSpec spec, Tracking tracking) {
        // Everything a user can get wrong is checked before the run starts, so bad input leaves no record behind.
        List<MetricThreshold> thresholds = spec.thresholds().stream().map(MetricThreshold::parse).toList();
        ThresholdTarget target = spec.thresholdTarget() == null || spec.thresholdTarget().isBlank() ? null
                : ThresholdTarget.parse(spec.thresholdTarget());
        ModelSource candidate = ModelSource.open(spec.model(), tracking);
        Frame frame = EvaluationData.read(spec.data());
        EvaluationData data = EvaluationData.of(spec.data(), frame, spec.label(), candidate.pkg().manifest().signature(), spec.positiveClass());
        if (target != null && data.task() != Task.BINARY) {
            throw CairnException.invalid("threshold_target", target, "a threshold target only for a binary classifier");
        }
        String business = spec.businessMetric() == null || spec.businessMetric().isBlank() ? defaultMetric(data.task())
                : MetricThreshold.canonical(spec.businessMetric().trim().toLowerCase(java.util.Locale.ROOT));
        if (!MetricThreshold.metricsOf(data.task()).contains(business)) {
            throw CairnException.invalid("business_metric", spec.businessMetric(),
                    "a metric of a " + data.task().wireName() + " evaluation: one of " + MetricThreshold.metricsOf(data.task()));
        }
        List<String> sensitiveColumns = new ArrayList<>();
        List<Grouping> sensitive = new ArrayList<>();
        for (String s : spec.sensitive()) {
            Grouping g = Grouping.of(frame, s, "sensitive");
            sensitive.add(g);
            sensitiveColumns.add(g.column());
        }
        if (!sensitive.isEmpty() && data.task() != Task.BINARY) {
            throw CairnException.invalid("sensitive", String.join(",", spec.sensitive()), "sensitive columns only for a binary classifier");
        }
        List<Grouping> slices = spec.slices().stream().map(s -> Grouping.of(frame, s, "slice")).toList();
        for (MetricThreshold t : thresholds) t.checkAgainst(data.task(), sensitiveColumns);
        String registeredName = spec.registeredModel() != null ? spec.registeredModel() : candidate.registeredName();
        ModelSource champion = champion(registeredName, spec.against(), tracking);
        if (champion != null) {
            EvaluationData.of(spec.data(), frame, spec.label(), champion.pkg().manifest().signature(), data.positiveClass());
        }

        String experimentId = tracking.experimentId(spec.experiment());
        Map<String, String> runTags = new LinkedHashMap<>();
        runTags.put(TAG_CANDIDATE, spec.model());
        RunRecorder recorder = RunRecorder.start(tracking, experimentId, null, null, "cairn evaluate", runTags);
        try {
            EvaluationResult result = run(recorder, spec, candidate, champion, data, business, target, thresholds, slices, sensitive,
                    registeredName, tracking);
            recorder.finish();
            return result;
        } catch (RuntimeException | Error e) {
            recorder.fail(e);
            throw e;
        }
    }

    /** Reads the verdict an evaluation run recorded. */
    public static Verdict verdictOf(String evaluationRunId, Tracking tracking) {
        return read(evaluationRunId, VERDICT_JSON, Verdict.class, tracking);
    }

    /** Reads the report an evaluation run recorded. */
    public static Report reportOf(String evaluationRunId, Tracking tracking) {
        return read(evaluationRunId, REPORT_JSON, Report.class, tracking);
    }

    private static <T> T read(String runId, String path, Class<T> type, Tracking tracking) {
        ArtifactRepository artifacts = tracking.runArtifacts().apply(tracking.runs().getRun(runId).info());
        if (!artifacts.exists(path)) throw CairnException.notFound("evaluation of run", runId + " (no " + path + ")");
        try (InputStream in = artifacts.open(path)) {
            return JSON.readValue(in, type);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.DATA_LOSS, "Could not read " + path + " of run " + runId + ": " + e.getMessage(), e);
        }
    }

    static String defaultMetric(Task task) {
        return switch (task) {
            case BINARY -> "roc_auc";
            case MULTICLASS -> "accuracy";
            case REGRESSION -> "rmse";
        };
    }

    /** The model holding {@code alias}, or null when there is no such registered model or alias yet. */
    private static ModelSource champion(String registeredName, String alias, Tracking tracking) {
        if (registeredName == null) return null;
        try {
            tracking.registry().getModelVersionByAlias(registeredName, alias);
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return null;
            throw e;
        }
        return ModelSource.open("models:/" + registeredName + "@" + alias, tracking);
    }

    private static EvaluationResult run(RunRecorder recorder, EvaluationSpec spec, ModelSource candidate, ModelSource champion,
                                        EvaluationData data, String business, ThresholdTarget target, List<MetricThreshold> thresholds,
                                        List<Grouping> slices, List<Grouping> sensitive, String registeredName, Tracking tracking) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model_uri", spec.model());
        params.put("data", data.path().toAbsolutePath().toString());
        params.put("data_sha256", data.sha256());
        params.put("label", data.label());
        if (data.positiveClass() != null) params.put("positive_class", data.positiveClass());
        params.put("business_metric", business);
        if (target != null) params.put("threshold_target", target.toString());
        params.put("against", registeredName == null ? "(none)" : "models:/" + registeredName + "@" + spec.against());
        params.put("thresholds", String.join(" ", thresholds.stream().map(Object::toString).toList()));
        params.put("seed", spec.seed());
        if (!sensitive.isEmpty()) params.put("min_group_size", spec.minGroupSize());
        recorder.logParams(params);

        ModelEvaluator.Options options = new ModelEvaluator.Options(business, target, slices, sensitive, spec.seed(), true,
                spec.minGroupSize());
        ModelEvaluator.Evaluated candidateEvaluated;
        try (Scorer scorer = new Scorer(candidate.pkg())) {
            candidateEvaluated = ModelEvaluator.evaluate(candidate, scorer, data, options);
        }
        ModelEvaluator.Evaluated championEvaluated = null;
        if (champion != null) {
            try (Scorer scorer = new Scorer(champion.pkg())) {
                championEvaluated = ModelEvaluator.evaluate(champion, scorer,
                        EvaluationData.of(data.path(), data.frame(), data.label(), champion.pkg().manifest().signature(), data.positiveClass()),
                        new ModelEvaluator.Options(business, target, slices, sensitive, spec.seed(), false, spec.minGroupSize()));
            }
        }
        Report.ModelResult candidateResult = candidateEvaluated.result();
        Report.ModelResult championResult = championEvaluated == null ? null : championEvaluated.result();
        Verdict.Check noWorse = championEvaluated == null || declaresQuality(thresholds) ? null
                : noWorseThanChampion(business, data.rows(), spec.seed(), candidateEvaluated, championEvaluated);
        Verdict verdict = verdict(recorder.runId(), spec, candidate, champion, registeredName, candidateResult, championResult, thresholds,
                noWorse);
        Report report = new Report(recorder.runId(), Instant.now().toString(),
                new Report.DataInfo(data.path().toAbsolutePath().toString(), data.sha256(), data.rows(), data.label(), data.positiveClass()),
                business, candidateResult, championResult, verdict);

        candidateResult.metrics().forEach((k, v) -> recorder.metric(k, v, 0));
        if (championResult != null) championResult.metrics().forEach((k, v) -> recorder.metric("champion_" + k, v, 0));
        Bootstrap.Interval ci = candidateResult.intervals().get(business);
        if (ci != null) {
            recorder.metric(business + "_ci_lower", ci.lower(), 0);
            recorder.metric(business + "_ci_upper", ci.upper(), 0);
        }
        recorder.flush();

        ArtifactRepository artifacts = recorder.artifacts();
        try {
            put(artifacts, REPORT_JSON, JSON.writeValueAsBytes(report));
            put(artifacts, VERDICT_JSON, JSON.writeValueAsBytes(verdict));
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not write the evaluation report: " + e.getMessage(), e);
        }
        put(artifacts, REPORT_HTML, HtmlReport.render(report).getBytes(StandardCharsets.UTF_8));
        String thresholded = null;
        if (target != null && candidateResult.threshold() != null) {
            writeThresholded(candidate, data, candidateResult.threshold(), recorder.runId(), artifacts);
            thresholded = "runs:/" + recorder.runId() + "/" + THRESHOLDED_MODEL;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_BLESSED, String.valueOf(verdict.blessed()));
        if (candidateResult.threshold() != null) tags.put("cairn.evaluation.threshold", String.valueOf(candidateResult.threshold()));
        recorder.setTags(tags);
        ModelVersion version = candidate.version();
        if (version != null) {
            tracking.registry().setModelVersionTag(version.name(), version.version(), new Tag(TAG_RUN, recorder.runId()));
            tracking.registry().setModelVersionTag(version.name(), version.version(), new Tag(TAG_BLESSED, String.valueOf(verdict.blessed())));
        }
        String root = artifacts.rootUri();
        String location = (root.endsWith("/") ? root : root + "/") + REPORT_HTML;
        return new EvaluationResult(recorder.runId(), verdict, "runs:/" + recorder.runId() + "/" + REPORT_HTML,
                "runs:/" + recorder.runId() + "/" + REPORT_JSON, location, thresholded, report);
    }

    /** A declared value or change threshold judges the model's quality, and replaces the default comparison with the champion. */
    static boolean declaresQuality(List<MetricThreshold> thresholds) {
        return thresholds.stream().anyMatch(t -> t.kind() != Verdict.Kind.FAIRNESS);
    }

    /**
     * The default gate when no value or change threshold is declared: the candidate's business
     * metric may not be worse than the champion's beyond the 95% paired bootstrap interval of their
     * difference. Both models are scored on the same resampled rows and the interval of
     * (candidate − champion) is taken; the check fails when the whole interval lies on the worse
     * side of 0, i.e. the candidate is worse with about 97.5% confidence. Paired rather than "the
     * candidate's interval against the champion's value" because the two models err on many of
     * the same rows: pairing cancels that shared noise, so a real loss is caught on a smaller test
     * set, while a tie (or the champion evaluated against itself) always passes. A metric with no
     * better direction (selection_rate, threshold) is compared on the task's default metric instead.
     */
    static Verdict.Check noWorseThanChampion(String business, int rows, long seed, ModelEvaluator.Evaluated candidate,
                                             ModelEvaluator.Evaluated champion) {
        String metric = business;
        if (MetricThreshold.higherIsBetter(metric) == null) metric = defaultMetric(Task.parse(candidate.result().task()));
        boolean higher = MetricThreshold.higherIsBetter(metric);
        String m = metric;
        Bootstrap.Interval ci = Bootstrap.pairedDifference(rows, sample -> candidate.metrics().on(m, sample),
                sample -> champion.metrics().on(m, sample), ModelEvaluator.BOOTSTRAP_RESAMPLES, 0.95, seed);
        double v = candidate.result().metrics().getOrDefault(metric, Double.NaN);
        double base = champion.result().metrics().getOrDefault(metric, Double.NaN);
        double change = v - base;
        boolean worse = higher ? ci.upper() < 0 : ci.lower() > 0;
        boolean passed = !Double.isNaN(change) && ci.resamples() > 0 && !worse;
        String text = "default: " + metric + " not worse than the champion's (paired 95% bootstrap)";
        String interval = ci.resamples() == 0 ? "no interval" : "95% CI of the change " + MetricThreshold.fmt(ci.lower()) + " to "
                + MetricThreshold.fmt(ci.upper());
        return new Verdict.Check(Verdict.Kind.CHANGE, text, metric, null, v, base, change, passed, false,
                metric + " " + MetricThreshold.fmt(base) + " → " + MetricThreshold.fmt(v) + " (change " + MetricThreshold.fmt(change) + ", "
                        + interval + ")" + (passed ? ": not worse than the champion beyond the interval"
                        : ": worse than the champion beyond the bootstrap interval (declare thresholds to decide otherwise)"));
    }

    static Verdict verdict(String runId, EvaluationSpec spec, ModelSource candidate, ModelSource champion, String registeredName,
                           Report.ModelResult candidateResult, Report.ModelResult championResult, List<MetricThreshold> thresholds,
                           Verdict.Check noWorse) {
        List<Verdict.Check> checks = new ArrayList<>();
        if (noWorse != null) checks.add(noWorse);
        for (MetricThreshold t : thresholds) checks.addAll(t.check(candidateResult, championResult));
        List<Verdict.Check> failed = checks.stream().filter(c -> !c.passed() && !c.skipped()).toList();
        boolean blessed = failed.isEmpty();
        List<String> violations = fairnessViolations(candidateResult, thresholds);
        String summary;
        if (blessed) {
            String what;
            long others = checks.stream().filter(c -> c != noWorse && !c.skipped()).count();
            if (noWorse != null) {
                what = "not worse than the champion (the default comparison: no value or change threshold is declared)"
                        + (others == 0 ? "" : "; all " + others + " fairness thresholds pass");
            } else if (checks.isEmpty()) {
                what = "no thresholds declared";
            } else {
                what = "all " + checks.stream().filter(c -> !c.skipped()).count() + " thresholds pass";
            }
            summary = "BLESSED: " + what + (champion == null ? "; no champion yet" + (thresholds.isEmpty() ? "" : " (change thresholds skipped)") : "");
        } else {
            summary = "NOT BLESSED: " + String.join("; ", failed.stream().map(Verdict.Check::message).toList());
        }
        if (!violations.isEmpty()) {
            summary += ". FAIRNESS: " + String.join("; ", violations) + " (promoting anyway needs a reason, audited)";
        }
        return new Verdict(blessed, runId, spec.model(), candidate.source(), registeredName,
                candidate.version() == null ? null : candidate.version().version(), spec.against(),
                champion == null ? null : champion.uri(), champion == null || champion.version() == null ? null : champion.version().version(),
                checks, summary, violations);
    }

    /**
     * The sensitive columns whose disparate impact breaks the four-fifths rule, in words; a column
     * with a declared fairness threshold on the disparate impact is judged by that threshold instead.
     */
    static List<String> fairnessViolations(Report.ModelResult candidate, List<MetricThreshold> thresholds) {
        List<String> out = new ArrayList<>();
        if (candidate.fairness() == null) return out;
        for (Report.FairnessReport f : candidate.fairness()) {
            boolean declared = thresholds.stream().anyMatch(t -> t.kind() == Verdict.Kind.FAIRNESS && t.metric().equals("disparate_impact")
                    && (t.column() == null || t.column().equals(f.column())));
            if (declared || !f.fourFifthsRuleViolated()) continue;
            out.add(f.column() + ": disparate impact " + MetricThreshold.fmt(f.disparateImpactRatio()) + " ('" + f.lowestSelectionGroup()
                    + "' vs '" + f.highestSelectionGroup() + "') breaks the four-fifths rule (< " + Fairness.FOUR_FIFTHS + ")");
        }
        return out;
    }

    /**
     * Writes the candidate's package again with the chosen decision threshold in model.yaml, so the
     * runtime and serving predict the positive class from that threshold. The threshold is stored on
     * the model's own positive class: if the business question's positive class is the model's
     * negative one, it becomes {@code 1 - t}.
     */
    private static void writeThresholded(ModelSource candidate, EvaluationData data, double threshold, String runId,
                                         ArtifactRepository artifacts) {
        ModelManifest m = candidate.pkg().manifest();
        // "bad" when P(bad) >= t means "good" only when P(good) > 1 - t: the runtime's ">=" needs the next double up.
        double onModelPositive = data.positiveClass().equals(data.classes().get(1)) ? threshold : Math.nextUp(1 - threshold);
        Map<String, Object> extra = new LinkedHashMap<>();
        if (m.provenance().extra() != null) extra.putAll(m.provenance().extra());
        extra.put("thresholdFromEvaluationRun", runId);
        Provenance provenance = m.provenance().withExtra(extra);
        ModelManifest updated = new ModelManifest(m.formatVersion(), m.flavor(), m.signature(), m.preprocessing(), m.model(),
                onModelPositive, provenance, m.inputExample(), null);
        Map<String, byte[]> files = new LinkedHashMap<>(candidate.pkg().files());
        files.remove("model.yaml");
        Path temp = null;
        try {
            temp = Files.createTempDirectory("cairn-eval-pkg-");
            Path dir = temp.resolve("model");
            ModelPackageWriter.write(dir, updated, files);
            List<Path> paths;
            try (var walk = Files.walk(dir)) {
                // model.yaml last: a reader that finds it finds the whole package
                paths = walk.filter(Files::isRegularFile)
                        .sorted(java.util.Comparator.comparing((Path p) -> p.getFileName().toString().equals("model.yaml")).thenComparing(Path::toString))
                        .toList();
            }
            for (Path p : paths) {
                try (InputStream in = Files.newInputStream(p)) {
                    artifacts.put(THRESHOLDED_MODEL + "/" + dir.relativize(p).toString().replace('\\', '/'), in);
                }
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not write the thresholded model package: " + e.getMessage(), e);
        } finally {
            if (temp != null) TempFiles.deleteTree(temp);
        }
    }

    private static void put(ArtifactRepository artifacts, String path, byte[] bytes) {
        artifacts.put(path, new ByteArrayInputStream(bytes));
    }
}
