package dev.cairn.cli.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.train.evaluation.Bootstrap;
import dev.cairn.train.evaluation.EvaluationResult;
import dev.cairn.train.evaluation.EvaluationSpec;
import dev.cairn.train.evaluation.Evaluations;
import dev.cairn.train.evaluation.Promotion;
import dev.cairn.train.evaluation.Report;
import dev.cairn.train.evaluation.Verdict;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates the candidate on the held-out customers with precision (of "bad") as the business
 * metric, against the current champion: metrics with a bootstrap interval, slices, importance,
 * fairness across personal status, foreign worker and age, a decision threshold chosen for a
 * target, and a verdict. A blessed candidate — its copy carrying the chosen threshold — becomes
 * the champion; an unblessed one does not.
 */
final class EvaluateStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Value and change thresholds of the verdict: a floor on quality, and no loss of the business metric. */
    static final List<String> THRESHOLDS = List.of("roc_auc>=0.7", "change:precision>=-0.01", "change:roc_auc>=-0.01");

    @Override
    public String title() {
        return "Evaluate: precision as the business metric, fairness, explanations, verdict against the champion";
    }

    @Override
    public void run(Example example) {
        if (example.modelVersion == null || example.heldOut == null) {
            throw new CairnException(ErrorCode.INVALID_STATE, "the training stage registered no candidate to evaluate");
        }
        EvaluationResult result = Evaluations.evaluate(
                EvaluationSpec.of("models:/" + Example.MODEL + "/" + example.modelVersion, example.heldOut, Example.LABEL)
                        .withPositiveClass(Example.POSITIVE_CLASS)
                        .withBusinessMetric("precision")
                        .withThresholdTarget("recall@precision>=0.6")
                        .withThresholds(THRESHOLDS)
                        .withSlices(List.of("purpose", "age:25,40,60"))
                        .withSensitive(List.of("personal_status", "foreign_worker", "age:25,40,60"))
                        .against(Example.MODEL, "champion")
                        .withExperiment(Example.EXPERIMENT),
                example.tracking());
        Verdict verdict = result.verdict();
        Report.ModelResult candidate = result.report().candidate();
        Bootstrap.Interval interval = candidate.intervals() == null ? null : candidate.intervals().get("precision");
        example.say(String.format(Locale.ROOT, "precision of '%s' %.3f%s, recall %.3f, ROC AUC %.3f at decision threshold %.3f (%s)",
                Example.POSITIVE_CLASS, candidate.metrics().get("precision"),
                interval == null ? "" : String.format(Locale.ROOT, " (%.0f%% CI %.3f–%.3f)", 100 * interval.level(), interval.lower(), interval.upper()),
                candidate.metrics().get("recall"), candidate.metrics().get("roc_auc"),
                candidate.threshold(), candidate.thresholdSource()));
        for (Report.FairnessReport fairness : candidate.fairness()) {
            example.say(String.format(Locale.ROOT, "fairness %-16s disparate impact %s%s, equal opportunity difference %s",
                    fairness.column(), twoDecimals(fairness.disparateImpactRatio()), fairness.fourFifthsRuleViolated() ? " (below four-fifths)" : "",
                    twoDecimals(fairness.equalOpportunityDifference())) + (fairness.note() == null ? "" : " (" + fairness.note() + ")"));
        }
        example.say("evaluation run " + result.runId() + ": " + verdict.summary());
        for (Verdict.Check check : verdict.checks()) {
            example.say(String.format(Locale.ROOT, "  %-8s %-28s %s", check.skipped() ? "skipped" : check.passed() ? "passed" : "FAILED",
                    check.threshold(), check.message() == null ? "" : check.message()));
        }
        String report = example.server.url() + "/api/v1/runs/" + result.runId() + "/artifacts/" + Evaluations.REPORT_HTML;
        example.say("report: " + report);
        example.pointTo("evaluation report", report);

        if (verdict.blessed()) {
            // The evaluation wrote a copy of the package that carries the chosen decision
            // threshold; that copy is what serving should use, so it is the version promoted.
            String source = result.thresholdedModelUri() != null ? result.thresholdedModelUri()
                    : "models:/" + Example.MODEL + "/" + example.modelVersion;
            long promoted = example.modelVersion;
            if (result.thresholdedModelUri() != null) {
                ModelVersion copy = example.client.createModelVersion(Example.MODEL, source, result.runId(),
                        "candidate " + example.modelVersion + " with the decision threshold chosen by evaluation run " + result.runId());
                promoted = copy.version();
            }
            // A four-fifths violation does not unbless, but promoting despite it needs a reason, which is
            // audited as a forced promotion; the audit log is written where the store is, so that
            // promotion goes through the server's promote endpoint.
            String reason = verdict.fairnessViolations().isEmpty() ? null
                    : "quickstart demonstration: promoted despite the four-fifths rule so the next stages have a champion; a person decides this in production";
            if (reason == null) {
                Promotion.promote(example.tracking().registry(), Example.MODEL, promoted, verdict, "quickstart", false, null);
            } else {
                promoteOnTheServer(example, result.runId(), promoted, reason);
            }
            example.championVersion = promoted;
            example.say("BLESSED: " + Example.MODEL + "@champion -> version " + promoted
                    + (reason == null ? " (audited)" : " (audited as a forced promotion, with the reason: " + reason + ")"));
        } else {
            example.championVersion = verdict.championVersion();
            example.say("NOT BLESSED: the champion stays " + (verdict.championVersion() == null ? "unset" : "version " + verdict.championVersion()));
        }
    }

    private static void promoteOnTheServer(Example example, String evaluationRunId, long version, String reason) {
        ObjectNode body = JSON.createObjectNode().put("name", Example.MODEL).put("version", version).put("reason", reason);
        HttpRequest request = example.requests().to(example.server.url() + "/api/v1/evaluations/" + evaluationRunId + "/promote")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> response = example.requests().send(request);
            if (response.statusCode() != 200) {
                throw new CairnException(ErrorCode.INVALID_STATE, "promoting version " + version + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "could not promote version " + version + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "interrupted while promoting version " + version, e);
        }
    }

    private static String twoDecimals(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
