package dev.cairn.train.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationFlowTest {
    @TempDir
    static Path dir;
    static CreditFixture credit;

    static final List<String> THRESHOLDS = List.of("roc_auc>=0.7", "change:precision>=-0.01", "change:roc_auc>=-0.01");

    @BeforeAll
    static void train() {
        credit = new CreditFixture(dir);
    }

    @AfterAll
    static void close() {
        credit.close();
    }

    private EvaluationSpec spec(String model) {
        return EvaluationSpec.of(model, credit.files.test(), "class").withPositiveClass("bad").withBusinessMetric("precision")
                .withThresholds(THRESHOLDS);
    }

    @Test
    @DisplayName("with no champion yet the candidate is blessed on its value thresholds and its change thresholds are skipped, as TFX does")
    void noChampionYet() {
        ModelVersion v1 = credit.register("first-model", credit.xgboost);
        EvaluationResult r = Evaluations.evaluate(spec("models:/first-model/1"), credit.tracking);
        assertThat(r.verdict().blessed()).isTrue();
        assertThat(r.verdict().championUri()).isNull();
        assertThat(r.verdict().checks()).filteredOn(c -> c.kind() == Verdict.Kind.CHANGE).allMatch(Verdict.Check::skipped).hasSize(2);
        assertThat(r.verdict().checks()).filteredOn(c -> c.kind() == Verdict.Kind.VALUE).singleElement()
                .satisfies(c -> assertThat(c.candidate()).isGreaterThan(0.7));
        assertThat(r.verdict().summary()).contains("no champion yet");
        ModelVersion promoted = Promotion.promote(credit.tracking.registry(), "first-model", v1.version(), r.verdict(), "alice", false, null)
                .version();
        assertThat(promoted.aliases()).contains("champion");
        assertThat(credit.tracking.registry().getModelVersion("first-model", 1).tags())
                .anyMatch(t -> t.key().equals(Evaluations.TAG_RUN) && t.value().equals(r.runId()));
    }

    @Test
    @DisplayName("a better candidate is blessed against the champion, and promotion moves the alias to it")
    void betterCandidateIsBlessed() {
        ModelVersion champion = credit.register("better", credit.baseline);
        credit.tracking.registry().setAlias("better", "champion", champion.version(), "test", "initial");
        ModelVersion candidate = credit.register("better", credit.xgboost);

        EvaluationResult r = Evaluations.evaluate(spec("models:/better/" + candidate.version()), credit.tracking);
        assertThat(r.verdict().blessed()).as(r.verdict().summary()).isTrue();
        assertThat(r.verdict().championVersion()).isEqualTo(champion.version());
        assertThat(r.report().champion().metrics().get("roc_auc")).isEqualTo(0.5);
        assertThat(r.report().candidate().metrics().get("precision")).isGreaterThan(r.report().champion().metrics().get("precision"));
        assertThat(r.verdict().checks()).hasSize(3).allMatch(c -> c.passed() && !c.skipped());

        Promotion.promote(credit.tracking.registry(), "better", candidate.version(), r.verdict(), "alice", false, null);
        assertThat(credit.tracking.registry().getModelVersionByAlias("better", "champion").version()).isEqualTo(candidate.version());
    }

    @Test
    @DisplayName("a deliberately worse candidate is refused, its promotion refused naming the failed thresholds, and a forced one is audited")
    void worseCandidateIsRefused() {
        ModelVersion champion = credit.register("worse", credit.xgboost);
        credit.tracking.registry().setAlias("worse", "champion", champion.version(), "test", "initial");
        ModelVersion candidate = credit.register("worse", credit.baseline);

        EvaluationResult r = Evaluations.evaluate(spec("models:/worse/" + candidate.version()), credit.tracking);
        Verdict v = r.verdict();
        assertThat(v.blessed()).isFalse();
        assertThat(v.failed()).extracting(Verdict.Check::threshold)
                .containsExactlyInAnyOrder("roc_auc>=0.7", "change:precision>=-0.01", "change:roc_auc>=-0.01");
        Verdict.Check precision = v.checks().stream().filter(c -> c.metric().equals("precision")).findFirst().orElseThrow();
        assertThat(precision.champion()).isGreaterThan(0.3);
        assertThat(precision.candidate()).isZero();
        assertThat(precision.observed()).isEqualTo(precision.candidate() - precision.champion());
        assertThat(credit.tracking.runs().getRun(r.runId()).data().tags())
                .anyMatch(t -> t.key().equals(Evaluations.TAG_BLESSED) && t.value().equals("false"));

        assertThatThrownBy(() -> Promotion.promote(credit.tracking.registry(), "worse", candidate.version(), v, "bob", false, null))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE);
                    assertThat(e.getMessage()).contains("roc_auc>=0.7", "change:precision>=-0.01", "not blessed");
                });
        assertThatThrownBy(() -> Promotion.promote(credit.tracking.registry(), "worse", candidate.version(), v, "bob", true, " "))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("reason"));
        assertThat(credit.tracking.registry().getModelVersionByAlias("worse", "champion").version()).isEqualTo(champion.version());

        Promotion.promote(credit.tracking.registry(), "worse", candidate.version(), v, "bob", true, "incident 42: rollback of features");
        assertThat(credit.tracking.registry().getModelVersionByAlias("worse", "champion").version()).isEqualTo(candidate.version());
        List<AuditEvent> events = credit.tracking.registry().listAuditEvents("worse", 50, null).items();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.PROMOTION_FORCED);
            assertThat(e.actor()).isEqualTo("bob");
            assertThat(e.version()).isEqualTo(candidate.version());
            assertThat(e.comment()).contains("incident 42", "roc_auc");
        });
    }

    @Test
    @DisplayName("with no thresholds declared, a majority-class baseline is NOT BLESSED against an XGBoost champion: worse beyond the paired bootstrap interval")
    void noThresholdsStillRefusesAWorseModel() {
        ModelVersion champion = credit.register("default-gate", credit.xgboost);
        credit.tracking.registry().setAlias("default-gate", "champion", champion.version(), "test", "initial");
        ModelVersion candidate = credit.register("default-gate", credit.baseline);

        EvaluationResult r = Evaluations.evaluate(EvaluationSpec.of("models:/default-gate/" + candidate.version(), credit.files.test(), "class")
                .withPositiveClass("bad"), credit.tracking);
        Verdict v = r.verdict();
        assertThat(v.blessed()).as(v.summary()).isFalse();
        Verdict.Check check = v.failed().getFirst();
        assertThat(v.failed()).hasSize(1);
        assertThat(check.kind()).isEqualTo(Verdict.Kind.CHANGE);
        assertThat(check.threshold()).startsWith("default: roc_auc");
        assertThat(check.candidate()).isEqualTo(0.5);
        assertThat(check.champion()).isGreaterThan(0.7);
        assertThat(v.summary()).startsWith("NOT BLESSED").contains("worse than the champion", "95% CI");
        assertThatThrownBy(() -> Promotion.promote(credit.tracking.registry(), "default-gate", candidate.version(), v, "bob", false, null))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
        assertThat(credit.tracking.registry().getModelVersionByAlias("default-gate", "champion").version()).isEqualTo(champion.version());

        // The same model as the champion is never worse than itself: the paired difference is 0 on every resample.
        ModelVersion same = credit.register("default-gate", credit.xgboost);
        EvaluationResult tie = Evaluations.evaluate(EvaluationSpec.of("models:/default-gate/" + same.version(), credit.files.test(), "class")
                .withPositiveClass("bad"), credit.tracking);
        assertThat(tie.verdict().blessed()).as(tie.verdict().summary()).isTrue();
        assertThat(tie.verdict().checks()).singleElement().satisfies(c -> assertThat(c.observed()).isZero());

        // Declared thresholds replace the default: a floor the baseline meets blesses it.
        EvaluationResult declared = Evaluations.evaluate(EvaluationSpec.of("models:/default-gate/" + candidate.version(), credit.files.test(), "class")
                .withPositiveClass("bad").withThresholds(List.of("roc_auc>=0.4")), credit.tracking);
        assertThat(declared.verdict().blessed()).as(declared.verdict().summary()).isTrue();
        assertThat(declared.verdict().checks()).extracting(Verdict.Check::threshold).containsExactly("roc_auc>=0.4");
    }

    @Test
    @DisplayName("a lower-is-better business metric is compared the other way round by the default gate")
    void defaultGateKnowsLowerIsBetter() {
        ModelVersion champion = credit.register("default-loss", credit.xgboost);
        credit.tracking.registry().setAlias("default-loss", "champion", champion.version(), "test", "initial");
        ModelVersion candidate = credit.register("default-loss", credit.baseline);
        Verdict worse = Evaluations.evaluate(EvaluationSpec.of("models:/default-loss/" + candidate.version(), credit.files.test(), "class")
                .withPositiveClass("bad").withBusinessMetric("log_loss"), credit.tracking).verdict();
        assertThat(worse.blessed()).as(worse.summary()).isFalse();
        assertThat(worse.failed().getFirst().observed()).isPositive();
        credit.tracking.registry().setAlias("default-loss", "champion", candidate.version(), "test", "baseline champion");
        Verdict better = Evaluations.evaluate(EvaluationSpec.of("models:/default-loss/" + champion.version(), credit.files.test(), "class")
                .withPositiveClass("bad").withBusinessMetric("log_loss"), credit.tracking).verdict();
        assertThat(better.blessed()).as(better.summary()).isTrue();
    }

    @Test
    @DisplayName("two candidates blessed against the same champion: the first promotion wins, the second is a CONFLICT naming who moved it")
    void promotionsRaceOnTheChampionTheyWereComparedWith() {
        ModelVersion champion = credit.register("contested", credit.baseline);
        credit.tracking.registry().setAlias("contested", "champion", champion.version(), "test", "initial");
        ModelVersion first = credit.register("contested", credit.xgboost);
        ModelVersion second = credit.register("contested", credit.xgboost);
        // Both hand-made verdicts compared their candidate with the champion of that moment.
        Verdict forFirst = new Verdict(true, "eval-1", "models:/contested/" + first.version(), first.source(), "contested", first.version(),
                "champion", "models:/contested@champion", champion.version(), List.of(), "BLESSED", List.of());
        Verdict forSecond = new Verdict(true, "eval-2", "models:/contested/" + second.version(), second.source(), "contested", second.version(),
                "champion", "models:/contested@champion", champion.version(), List.of(), "BLESSED", List.of());

        Promotion.promote(credit.tracking.registry(), "contested", first.version(), forFirst, "alice", false, null);
        // Promoting the same version again (a retry, or a pipeline whose canary step promoted it first) is no conflict.
        int events = credit.tracking.registry().listAuditEvents("contested", 50, null).items().size();
        assertThat(Promotion.promote(credit.tracking.registry(), "contested", first.version(), forFirst, "carol", false, null).version().version())
                .isEqualTo(first.version());
        assertThat(credit.tracking.registry().listAuditEvents("contested", 50, null).items()).hasSize(events);
        assertThatThrownBy(() -> Promotion.promote(credit.tracking.registry(), "contested", second.version(), forSecond, "bob", true, "urgent"))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).contains("points at version " + first.version(), "changed by alice");
                });
        assertThat(credit.tracking.registry().getModelVersionByAlias("contested", "champion").version()).isEqualTo(first.version());
        // The refused (forced) promotion left nothing in the audit log.
        assertThat(credit.tracking.registry().listAuditEvents("contested", 50, null).items())
                .noneMatch(e -> "bob".equals(e.actor()));
    }

    @Test
    @DisplayName("promoting to a protected alias files a request; only a second person's approval moves it, and both are audited")
    void protectedAliasNeedsFourEyes() {
        ModelVersion champion = credit.register("guarded-champion", credit.baseline);
        credit.tracking.registry().setAlias("guarded-champion", "champion", champion.version(), "test", "initial");
        credit.tracking.registry().protectAlias("guarded-champion", "champion", true, "owner", "regulated model");
        ModelVersion candidate = credit.register("guarded-champion", credit.xgboost);
        Verdict verdict = new Verdict(true, "eval-g", "models:/guarded-champion/" + candidate.version(), candidate.source(), "guarded-champion",
                candidate.version(), "champion", "models:/guarded-champion@champion", champion.version(), List.of(), "BLESSED", List.of());

        Promotion.Outcome outcome = Promotion.promote(credit.tracking.registry(), "guarded-champion", candidate.version(), verdict, "alice", false, null);
        assertThat(outcome.pending()).isTrue();
        assertThat(credit.tracking.registry().getModelVersionByAlias("guarded-champion", "champion").version()).isEqualTo(champion.version());
        // Nobody moves it directly, and the requester cannot approve their own request.
        assertThat(catchThrowableOfType(CairnException.class, () -> credit.tracking.registry().setAlias("guarded-champion", "champion",
                candidate.version(), "alice", null)).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(catchThrowableOfType(CairnException.class, () -> credit.tracking.registry().decideAliasChange("guarded-champion",
                outcome.request().id(), true, "alice", null)).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);

        AliasRequest approved = credit.tracking.registry().decideAliasChange("guarded-champion", outcome.request().id(), true, "bob", "reviewed");
        assertThat(approved.state()).isEqualTo(AliasRequest.State.APPROVED);
        assertThat(credit.tracking.registry().getModelVersionByAlias("guarded-champion", "champion").version()).isEqualTo(candidate.version());
        List<AuditEvent> events = credit.tracking.registry().listAuditEvents("guarded-champion", 50, null).items();
        assertThat(events.get(0)).satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.ALIAS_SET);
            assertThat(e.actor()).isEqualTo("bob");
            assertThat(e.comment()).contains("request " + outcome.request().id() + " by alice", "blessed by evaluation run eval-g");
        });
        assertThat(events).extracting(AuditEvent::action, AuditEvent::actor).contains(
                tuple(AuditAction.ALIAS_CHANGE_REQUESTED, "alice"),
                tuple(AuditAction.ALIAS_CHANGE_APPROVED, "bob"));
        // A decided request cannot be decided again.
        assertThat(catchThrowableOfType(CairnException.class, () -> credit.tracking.registry().decideAliasChange("guarded-champion",
                outcome.request().id(), false, "carol", null)).code()).isEqualTo(ErrorCode.INVALID_STATE);
    }

    @Test
    @DisplayName("a blessed verdict that breaks the four-fifths rule is promoted only with a reason, audited as a forced promotion")
    void fairnessViolationNeedsAReason() {
        ModelVersion v = credit.register("unfair", credit.xgboost);
        Verdict verdict = new Verdict(true, "eval-run", "models:/unfair/" + v.version(), v.source(), "unfair", v.version(), "champion",
                null, null, List.of(), "BLESSED", List.of("age: disparate impact 0.5000 ('<25' vs '40–60') breaks the four-fifths rule (< 0.8)"));
        assertThatThrownBy(() -> Promotion.promote(credit.tracking.registry(), "unfair", v.version(), verdict, "carol", false, null))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE);
                    assertThat(e.getMessage()).contains("four-fifths", "age", "reason");
                });
        assertThat(credit.tracking.registry().getModelVersion("unfair", v.version()).aliases()).isEmpty();

        Promotion.promote(credit.tracking.registry(), "unfair", v.version(), verdict, "carol", false, "legal reviewed: age is a lawful factor here");
        assertThat(credit.tracking.registry().getModelVersionByAlias("unfair", "champion").version()).isEqualTo(v.version());
        assertThat(credit.tracking.registry().listAuditEvents("unfair", 50, null).items()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.PROMOTION_FORCED);
            assertThat(e.actor()).isEqualTo("carol");
            assertThat(e.comment()).contains("four-fifths", "age", "legal reviewed");
        });
    }

    @Test
    @DisplayName("the verdict lists four-fifths violations of the report, except on columns a declared disparate-impact threshold governs")
    void fairnessViolationsAreInTheVerdict() {
        Report.FairnessReport age = new Report.FairnessReport("age", List.of(), 0.2, 0.1, 0.5, true, "<25", "40–60", 30, null);
        Report.FairnessReport status = new Report.FairnessReport("status", List.of(), 0.05, 0.0, 0.9, false, "a", "b", 30, null);
        Report.ModelResult result = new Report.ModelResult("m", null, null, null, "xgboost", "binary", "bad", 0.5, "model", Map.of(), Map.of(),
                null, null, List.of(), List.of(age, status), null);
        assertThat(Evaluations.fairnessViolations(result, List.of())).singleElement().asString()
                .contains("age", "0.5000", "'<25' vs '40–60'", "four-fifths");
        assertThat(Evaluations.fairnessViolations(result, List.of(MetricThreshold.parse("fairness:age:disparate_impact>=0.4")))).isEmpty();
        assertThat(Evaluations.fairnessViolations(result, List.of(MetricThreshold.parse("fairness:status:disparate_impact>=0.8")))).hasSize(1);
    }

    @Test
    @DisplayName("a verdict about another version cannot promote this one")
    void verdictMustMatchTheVersion() {
        ModelVersion a = credit.register("mismatch", credit.xgboost);
        ModelVersion b = credit.register("mismatch", credit.logistic);
        EvaluationResult r = Evaluations.evaluate(spec("models:/mismatch/" + a.version()), credit.tracking);
        assertThatThrownBy(() -> Promotion.promote(credit.tracking.registry(), "mismatch", b.version(), r.verdict(), "x", false, null))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("models:/mismatch/" + b.version()));
    }

    @Test
    @DisplayName("the evaluation run stores metrics, the HTML and JSON reports and the verdict; the report holds slices, fairness and importance")
    void reportIsStoredWithTheRun() throws Exception {
        credit.register("reported", credit.logistic);
        EvaluationResult r = Evaluations.evaluate(spec("models:/reported/1").withThresholdTarget("recall@precision>=0.6")
                .withSlices(List.of("purpose", "age:25,40,60"))
                .withSensitive(List.of("personal_status", "foreign_worker", "age:25,40,60"))
                .withThresholds(List.of("roc_auc>=0.7", "fairness:disparate_impact>=0.8")), credit.tracking);

        Run run = credit.tracking.runs().getRun(r.runId());
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.data().metrics()).extracting(m -> m.key()).contains("precision", "recall", "roc_auc", "pr_auc", "log_loss",
                "brier_score", "threshold", "precision_ci_lower", "precision_ci_upper");
        ArtifactRepository artifacts = credit.tracking.runArtifacts().apply(run.info());
        assertThat(artifacts.exists(Evaluations.REPORT_HTML)).isTrue();
        assertThat(artifacts.exists(Evaluations.REPORT_JSON)).isTrue();
        assertThat(artifacts.exists(Evaluations.VERDICT_JSON)).isTrue();
        assertThat(Evaluations.verdictOf(r.runId(), credit.tracking)).isEqualTo(r.verdict());

        Report report = Evaluations.reportOf(r.runId(), credit.tracking);
        Report.ModelResult c = report.candidate();
        assertThat(c.thresholdSource()).startsWith("target recall@precision>=0.6");
        assertThat(c.metrics().get("precision")).isGreaterThanOrEqualTo(0.6);
        Bootstrap.Interval ci = c.intervals().get("precision");
        assertThat(ci.lower()).isLessThan(c.metrics().get("precision"));
        assertThat(ci.upper()).isGreaterThan(c.metrics().get("precision"));
        assertThat(c.slices()).extracting(Report.Slice::column).containsExactly("purpose", "age");
        long sliceRows = c.slices().get(0).rows().stream().mapToLong(Report.SliceRow::count).sum();
        assertThat(sliceRows).isEqualTo(report.data().rows());
        assertThat(c.fairness()).extracting(Report.FairnessReport::column).containsExactly("personal_status", "foreign_worker", "age");
        assertThat(r.verdict().checks()).filteredOn(k -> k.kind() == Verdict.Kind.FAIRNESS).hasSize(3);
        assertThat(c.importance()).hasSize(20).allSatisfy(i -> assertThat(i.meanAbsContribution()).isNotNull());
        assertThat(c.importance().getFirst().permutation()).isGreaterThan(0);
        assertThat(c.curves().calibration()).isNotEmpty();

        String html = new String(artifacts.open(Evaluations.REPORT_HTML).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(html).contains("<svg id=\"roc-chart\"", "<svg id=\"pr-chart\"", "<svg id=\"calibration-chart\"", "confusion-candidate",
                "importance-chart", "personal_status", "four-fifths").doesNotContain("<script", "http://cdn", "https://");
        assertThat(r.reportHtmlLocation()).endsWith(Evaluations.REPORT_HTML).startsWith("file:");
    }

    @Test
    @DisplayName("the threshold found for the target is stored in a repackaged model, and the runtime then predicts with it")
    void thresholdTravelsWithTheModel() {
        credit.register("thresholded", credit.xgboost);
        EvaluationResult r = Evaluations.evaluate(spec("models:/thresholded/1").withThresholdTarget("recall@precision>=0.6"), credit.tracking);
        double threshold = r.report().candidate().threshold();
        assertThat(r.thresholdedModelUri()).isEqualTo("runs:/" + r.runId() + "/model");
        ModelVersion registered = dev.cairn.train.Training.register(credit.tracking, r.runId(), "thresholded", null);
        ModelSource source = ModelSource.open("models:/thresholded/" + registered.version(), credit.tracking);
        // The model scores "good"; the business question is about "bad": P(good) >= 1 - t means "good".
        assertThat(source.pkg().manifest().threshold()).isCloseTo(1 - threshold, org.assertj.core.api.Assertions.within(1e-12));
        try (Model model = Models.load(source.pkg())) {
            Map<String, Object> row = dev.cairn.train.data.FrameReader.read(credit.files.test()).row(0);
            Prediction p = model.predict(row);
            assertThat(p.label()).isEqualTo(p.probability("bad") >= threshold ? "bad" : "good");
        }
        // The verdict of the evaluation also covers the repackaged version it wrote.
        Promotion.promote(credit.tracking.registry(), "thresholded", registered.version(), r.verdict(), "alice", false, null);
    }

    @Test
    @DisplayName("XGBoost importance has total gain per input, and per-prediction contributions sum to the margin for XGBoost and linear models")
    void explanations() {
        credit.register("explained", credit.xgboost);
        credit.register("explained", credit.logistic);
        EvaluationResult r = Evaluations.evaluate(spec("models:/explained/1"), credit.tracking);
        assertThat(r.report().candidate().importance()).allSatisfy(i -> assertThat(i.gain()).isNotNull());
        assertThat(r.report().candidate().importance().stream().mapToDouble(Report.Importance::gain).sum()).isGreaterThan(0);
        Map<String, Object> row = dev.cairn.train.data.FrameReader.read(credit.files.test()).row(3);
        for (String uri : List.of("models:/explained/1", "models:/explained/2")) {
            try (Model model = Models.load(ModelSource.open(uri, credit.tracking).pkg())) {
                Prediction p = model.explain(row);
                double good = p.probability("good");
                double margin = p.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
                assertThat(margin).as(uri).isCloseTo(Math.log(good / (1 - good)), org.assertj.core.api.Assertions.within(1e-4));
            }
        }
    }

    @Test
    @DisplayName("a regression model is evaluated with RMSE, MAE, MAPE and R², sliced, with a bootstrap interval on its business metric")
    void regression() {
        dev.cairn.train.TrainResult trained = dev.cairn.train.Training.train(dev.cairn.train.TrainSpec.of(credit.files.train(), "credit_amount")
                .withDrop(List.of("customer_id", "class")).withAlgorithm("xgboost").withParam("num_boost_round", 10), credit.tracking);
        EvaluationResult r = Evaluations.evaluate(EvaluationSpec.of(trained.modelUri(), credit.files.test(), "credit_amount")
                .withBusinessMetric("mae").withSlices(List.of("duration")).withThresholds(List.of("r2>=0.1", "mape<=5")), credit.tracking);
        Report.ModelResult c = r.report().candidate();
        assertThat(c.task()).isEqualTo("regression");
        assertThat(c.metrics()).containsOnlyKeys("rmse", "mae", "mape", "r2");
        assertThat(c.metrics().get("rmse")).isGreaterThanOrEqualTo(c.metrics().get("mae"));
        assertThat(c.intervals().get("mae").lower()).isLessThan(c.metrics().get("mae"));
        assertThat(c.slices().getFirst().rows()).hasSizeGreaterThan(1);
        assertThat(r.verdict().checks()).hasSize(2);
        assertThat(r.verdict().championUri()).isNull();
    }
}
