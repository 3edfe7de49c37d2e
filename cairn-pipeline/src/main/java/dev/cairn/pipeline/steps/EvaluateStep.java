package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelSources;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.train.evaluation.EvaluationResult;
import dev.cairn.train.evaluation.EvaluationSpec;
import dev.cairn.train.evaluation.Evaluations;
import dev.cairn.train.evaluation.Report;
import dev.cairn.train.evaluation.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate}: scores the candidate and the model holding the compared alias on the same labelled data (as
 * {@code cairn evaluate}), records the evaluation run (tagged with the pipeline run and step, a child of the step's
 * run) and outputs the verdict later steps gate on. Its cache key includes the version the alias points at now:
 * the same candidate on the same data is judged again once the champion changed. With {@code feature_service} and
 * {@code entities} instead of {@code data} it evaluates on the service's point-in-time set for the entity rows, built
 * and kept as the train step builds and keeps its own ({@link FeatureInputs}), so a model trained on a feature service
 * is judged on the features it will be served.
 */
public final class EvaluateStep implements StepRunner {

    @Override
    public StepType type() {
        return StepType.EVALUATE;
    }

    @Override
    public List<String> cacheKeyParts(StepContext context) {
        List<String> parts = new ArrayList<>(champion(context));
        // On a feature service the labelled rows are its training set for the entity rows: their content is the key's.
        parts.addAll(FeatureInputs.cacheKeyParts(context));
        return parts;
    }

    private List<String> champion(StepContext context) {
        String alias = against(context);
        String name = registeredModel(context);
        if (name == null) return List.of("none");
        try {
            return List.of(Long.toString(context.tracking().registry().getModelVersionByAlias(name, alias).version()));
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return List.of("none");
            throw Fields.rename(context, e, context.has("registered_model") ? "registered_model" : "model");
        }
    }

    @Override
    public StepResult run(StepContext context) {
        String model = Models.uri(context, "model");
        // Labelled data as given, or a feature service's point-in-time set for the entity rows, built as train builds it.
        FeatureInputs.Built built = TrainingInputs.features(context);
        Path data = TrainingInputs.data(context, built);
        long seed = context.integer("seed").orElse(42L);
        Integer minGroupSize = context.integer("min_group_size").map(Long::intValue).orElse(null);
        EvaluationSpec spec = Fields.naming(context, "model", () -> new EvaluationSpec(model, data, context.text("label"),
                context.optionalText("positive_class").orElse(null), context.optionalText("registered_model").orElse(null),
                against(context), context.optionalText("business_metric").orElse(null),
                context.optionalText("threshold_target").orElse(null), context.list("thresholds"), context.list("slices"),
                context.list("sensitive"), null, seed, minGroupSize));
        context.checkCancelled();
        context.log("Evaluating " + model + " on " + (built == null ? context.text("data") : "the training set of feature service "
                + context.text("feature_service") + " (" + built.snapshotUri() + ")") + " against "
                + (spec.registeredModel() == null ? "the candidate's registered model" : spec.registeredModel()) + "@" + spec.against());
        EvaluationResult result = Fields.naming(context, "model", () -> Evaluations.evaluate(spec, context.tracking()));
        StepRuns.tag(context, result.runId());

        Verdict verdict = result.verdict();
        Report.ModelResult candidate = result.report().candidate();
        String business = result.report().businessMetric();
        context.log("Evaluation run " + result.runId() + ": " + verdict.summary());
        if (verdict.blessed()) context.log("BLESSED");
        else context.warn("NOT BLESSED: " + String.join("; ", verdict.failed().stream().map(Verdict.Check::message).toList()));
        if (result.thresholdedModelUri() != null) {
            context.log("The candidate with the chosen decision threshold: " + result.thresholdedModelUri()
                    + " (register that one for serving to use the threshold)");
        }

        // The champion as the version it was, not the alias, which may have moved by the time anyone looks.
        String champion = verdict.championUri() == null ? "" : verdict.championVersion() == null ? verdict.championUri()
                : "models:/" + verdict.registeredName() + "/" + verdict.championVersion();
        context.consumed("model", model, null);
        if (!champion.isEmpty()) context.consumed("model_version", champion, null);
        context.produced("run", "runs:/" + result.runId(), null);
        context.produced("report", result.reportHtmlUri(), null);
        if (result.thresholdedModelUri() != null) context.produced("model", result.thresholdedModelUri(), null);

        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("blessed", verdict.blessed());
        outputs.put("has_champion", verdict.championUri() != null);
        outputs.put("champion", champion);
        outputs.put("metric", finite(candidate.metrics().get(business)));
        outputs.put("threshold", finite(candidate.threshold()));
        outputs.put("run_id", result.runId());
        outputs.put("report", result.reportHtmlUri());
        outputs.put("evaluation_set", built == null ? "" : built.snapshotUri());
        return StepResult.of(outputs);
    }

    private static String against(StepContext context) {
        return context.optionalText("against").filter(a -> !a.isBlank()).orElse(EvaluationSpec.DEFAULT_ALIAS);
    }

    /** The registered model whose alias is compared with: the one named, else the candidate's own (as evaluation decides). */
    private static String registeredModel(StepContext context) {
        if (context.has("registered_model")) return context.text("registered_model");
        ModelReference reference = Fields.naming(context, "model", () -> ModelReference.parse(context.text("model")));
        if (!(reference instanceof ModelReference.ByVersion) && !(reference instanceof ModelReference.ByAlias)) return null;
        try {
            ModelVersion version = ModelSources.follow(reference, context.tracking().registry()).version();
            return version == null ? null : version.name();
        } catch (CairnException e) {
            // An unknown candidate fails the run itself, naming the model; for the cache key it compares with nothing.
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return null;
            throw Fields.rename(context, e, "model");
        }
    }

    /** A metric as an output: null when it has no value (NaN cannot be written as JSON). */
    private static Double finite(Double value) {
        return value == null || !Double.isFinite(value) ? null : value;
    }
}
