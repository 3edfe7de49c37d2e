package dev.cairn.cli.evaluate;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.train.evaluation.Bootstrap;
import dev.cairn.train.evaluation.EvaluationResult;
import dev.cairn.train.evaluation.EvaluationSpec;
import dev.cairn.train.evaluation.Evaluations;
import dev.cairn.train.evaluation.Promotion;
import dev.cairn.train.evaluation.Report;
import dev.cairn.train.evaluation.Verdict;
import dev.cairn.train.tracking.Tracking;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cairn evaluate --model models:/credit-risk/2 --data test.csv --label class --positive-class bad
 * --business-metric precision --against champion --threshold roc_auc>=0.75 --threshold change:precision>=-0.01}:
 * evaluates a candidate against the model holding the alias, stores the report with a run, prints
 * the report's path and the verdict; {@code --promote} then moves the alias if the candidate is blessed.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model against the champion: metrics, slices, fairness, importance, an HTML/JSON report and a verdict.")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin Output output;

    @Option(names = "--model", required = true, paramLabel = "URI",
            description = "The candidate: models:/<name>/<version>, models:/<name>@<alias>, runs:/<run-id>/model or a package path.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled evaluation data (.csv, .parquet, .jsonl), held out from training.")
    Path data;

    @Option(names = "--label", required = true, paramLabel = "COLUMN", description = "The label column.")
    String label;

    @Option(names = "--positive-class", paramLabel = "CLASS", description = "The class the business question is about (default: the model's positive class).")
    String positiveClass;

    @Option(names = "--business-metric", paramLabel = "METRIC", description = "The headline metric, e.g. precision (default: roc_auc, rmse or accuracy).")
    String businessMetric;

    @Option(names = "--threshold-target", paramLabel = "TARGET",
            description = "Choose the decision threshold, e.g. recall@precision>=0.8 (the highest recall with precision at least 0.8).")
    String thresholdTarget;

    @Option(names = "--against", defaultValue = EvaluationSpec.DEFAULT_ALIAS, paramLabel = "ALIAS",
            description = "The alias of the model to compare with (default: ${DEFAULT-VALUE}).")
    String against;

    @Option(names = "--registered-model", paramLabel = "NAME",
            description = "The registered model whose alias is compared with (default: the candidate's own).")
    String registeredModel;

    @Option(names = {"--threshold", "-t"}, paramLabel = "CONDITION",
            description = "A verdict threshold (repeatable): roc_auc>=0.75, change:precision>=-0.01, change:precision>=-1%%, fairness:disparate_impact>=0.8. "
                    + "Without a value or change threshold, the candidate is blessed only if its business metric is not worse than the champion's "
                    + "beyond the paired 95%% bootstrap interval.")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--slice", split = ",", paramLabel = "COLUMN", description = "Columns to slice metrics by; age:25,40,60 buckets a number.")
    List<String> slices = new ArrayList<>();

    @Option(names = "--sensitive", split = ",", paramLabel = "COLUMN",
            description = "Sensitive columns for the fairness report, e.g. personal_status,foreign_worker,age:25,40,60.")
    List<String> sensitive = new ArrayList<>();

    @Option(names = "--experiment", paramLabel = "NAME", description = "Experiment of the evaluation run (default: evaluations).")
    String experiment;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of the bootstrap and permutations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--min-group-size", paramLabel = "ROWS",
            description = "Sensitive groups with fewer rows are reported as too small and left out of the fairness gaps (default: 30).")
    Integer minGroupSize;

    @Option(names = "--promote", description = "Point the alias at the candidate if it is blessed; if not, nothing moves and the exit code is 1.")
    boolean promote;

    @Option(names = "--force", description = "With --promote: promote even if not blessed (needs --reason; audited as PROMOTION_FORCED).")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why a promotion is forced, or goes ahead despite a four-fifths rule violation; for the audit log.")
    String reason;

    @Spec CommandSpec command;

    /**
     * Exit code 0 when the candidate is blessed, 1 when it is not (so a pipeline stops there, whether
     * or not a promotion was forced) or when a promotion was refused, 2 for bad input.
     */
    @Override
    public Integer call() {
        if (force && !promote) throw CairnException.invalid("force", true, "--force only together with --promote");
        if (force && (reason == null || reason.isBlank())) {
            throw CairnException.invalid("reason", reason, "a reason with --force (it goes to the audit log)");
        }
        EvaluationSpec spec = new EvaluationSpec(model, data, label, positiveClass, registeredModel, against, businessMetric,
                thresholdTarget, thresholds, splitBuckets(slices), splitBuckets(sensitive), experiment, seed, minGroupSize);
        try (MetadataStore s = store.open()) {
            Tracking tracking = Tracking.of(s);
            EvaluationResult result = Evaluations.evaluate(spec, tracking);
            Verdict verdict = result.verdict();
            ModelVersion promoted = null;
            AliasRequest pending = null;
            String refused = null;
            if (promote) {
                if (verdict.registeredName() == null || verdict.candidateVersion() == null) {
                    throw CairnException.invalid("model", model, "a registered version (models:/<name>/<version>) to promote");
                }
                try {
                    Promotion.Outcome outcome = Promotion.promote(tracking.registry(), verdict.registeredName(), verdict.candidateVersion(),
                            verdict, actor(), force, reason);
                    if (outcome.pending()) {
                        pending = outcome.request();
                    } else {
                        promoted = outcome.version();
                    }
                } catch (CairnException e) {
                    if (e.code() != ErrorCode.INVALID_STATE) throw e;
                    refused = e.getMessage();
                }
            }
            print(result, promoted, pending, refused);
            if (refused != null) {
                command.commandLine().getErr().println("cairn: not promoted: " + refused);
                command.commandLine().getErr().flush();
            }
            return verdict.blessed() && refused == null ? 0 : 1;
        }
    }

    private void print(EvaluationResult result, ModelVersion promoted, AliasRequest pending, String refused) {
        Verdict verdict = result.verdict();
        String report = localPath(result.reportHtmlLocation());
        if (output.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("run_id", result.runId());
            out.put("blessed", verdict.blessed());
            out.put("report_html", report);
            out.put("report_html_uri", result.reportHtmlUri());
            out.put("report_json_uri", result.reportJsonUri());
            if (result.thresholdedModelUri() != null) out.put("thresholded_model_uri", result.thresholdedModelUri());
            out.put("verdict", verdict);
            out.put("metrics", result.report().candidate().metrics());
            if (promoted != null) out.put("promoted", promoted.name() + "/" + promoted.version() + " @" + verdict.alias());
            if (pending != null) out.put("promotion_requested", pending);
            if (refused != null) out.put("promotion_refused", refused);
            output.printJson(System.out, out);
            return;
        }
        Report.ModelResult c = result.report().candidate();
        Report.ModelResult ch = result.report().champion();
        System.out.println("Evaluation run " + result.runId() + ": " + (verdict.blessed() ? "BLESSED" : "NOT BLESSED"));
        System.out.println("Report: " + report);
        System.out.println("JSON:   " + result.reportJsonUri());
        String business = result.report().businessMetric();
        Bootstrap.Interval ci = c.intervals().get(business);
        System.out.println(business + " = " + num(c.metrics().get(business))
                + (ci == null ? "" : " (95% CI " + num(ci.lower()) + "–" + num(ci.upper()) + ")")
                + (ch == null ? "; no champion yet" : "; champion " + num(ch.metrics().get(business)))
                + (c.threshold() == null ? "" : " at threshold " + num(c.threshold()) + " (" + c.thresholdSource() + ")"));
        List<List<String>> rows = new ArrayList<>();
        for (Verdict.Check k : verdict.checks()) {
            rows.add(List.of(k.threshold() + (k.column() == null ? "" : " [" + k.column() + "]"), num(k.candidate()), num(k.champion()),
                    num(k.observed()), k.skipped() ? "skipped" : k.passed() ? "pass" : "FAIL"));
        }
        Output.printTable(System.out, List.of("THRESHOLD", "CANDIDATE", "CHAMPION", "OBSERVED", "RESULT"), rows);
        for (Report.FairnessReport f : c.fairness() == null ? List.<Report.FairnessReport>of() : c.fairness()) {
            List<String> small = f.groups().stream().filter(Report.FairnessGroup::tooSmall).map(g -> g.group() + " (" + g.count() + ")").toList();
            String ratio = f.disparateImpactRatio() == null ? "n/a (" + f.note() + ")"
                    : num(f.disparateImpactRatio()) + (f.fourFifthsRuleViolated()
                    ? " BREAKS THE FOUR-FIFTHS RULE ('" + f.lowestSelectionGroup() + "' vs '" + f.highestSelectionGroup() + "')"
                    : " (meets the four-fifths rule)");
            System.out.println("fairness " + f.column() + ": disparate impact " + ratio
                    + (small.isEmpty() ? "" : "; too small to judge (under " + f.minGroupSize() + " rows): " + String.join(", ", small)));
        }
        System.out.println(verdict.summary());
        if (result.thresholdedModelUri() != null) {
            System.out.println("Model with the chosen threshold: " + result.thresholdedModelUri() + " (register it so serving uses the threshold)");
        }
        if (promoted != null) System.out.println("Promoted " + promoted.name() + " version " + promoted.version() + " to '" + verdict.alias() + "'");
        if (pending != null) {
            System.out.println("'" + pending.alias() + "' is protected: request " + pending.id() + " to move it to version " + pending.version()
                    + " awaits a second person's approval (cairn aliases approve " + pending.model() + " " + pending.id() + ")");
        }
    }

    /**
     * picocli splits {@code age:25,40,60} on its commas; bucket edges are put back on the column
     * they follow (a part that is a number belongs to the previous column's edges).
     */
    static List<String> splitBuckets(List<String> parts) {
        List<String> out = new ArrayList<>();
        for (String part : parts) {
            if (!out.isEmpty() && out.getLast().contains(":") && part.trim().matches("-?[0-9.]+([eE][-+]?[0-9]+)?")) {
                out.set(out.size() - 1, out.getLast() + "," + part.trim());
            } else {
                out.add(part.trim());
            }
        }
        return out;
    }

    static String localPath(String location) {
        if (location != null && location.startsWith("file:")) return Path.of(URI.create(location)).toString();
        return location;
    }

    private static String actor() {
        String user = System.getenv("CAIRN_USER");
        if (user == null || user.isBlank()) user = System.getProperty("user.name", "unknown");
        return user;
    }

    private static String num(Double v) {
        return v == null ? "" : v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
