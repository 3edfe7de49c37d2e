package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.train.evaluation.EvaluationSpec;
import dev.cairn.train.evaluation.Evaluations;
import dev.cairn.train.evaluation.Promotion;
import dev.cairn.train.evaluation.Verdict;
import dev.cairn.train.tracking.Tracking;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code promote}: points an alias at a registered version, audited. When the version was evaluated against that
 * alias, the promotion goes through the same gate as {@code cairn evaluate --promote} and the server's promote
 * endpoint ({@link Promotion}): a blessed version is promoted; an unblessed one, or one that breaks the four-fifths
 * rule, only with the step's {@code reason}, audited as a forced promotion naming what it overrode (a spec that
 * promotes on a condition such as "no champion yet" says why in {@code reason}); without a reason it is refused.
 * A version no evaluation judged for that alias is promoted as {@code cairn aliases set} would, with the reason as
 * the audit comment.
 */
public final class PromoteStep implements StepRunner {

    @Override
    public StepType type() {
        return StepType.PROMOTE;
    }

    @Override
    public StepResult run(StepContext context) {
        Tracking tracking = context.tracking();
        RegistryStore registry = tracking.registry();
        String alias = context.text("alias");
        if (!ModelReference.ALIAS.matcher(alias).matches()) {
            throw CairnException.invalid(context.field("alias"), alias, "letters, digits, '_' and '-', starting with a letter or '_'");
        }
        ModelVersion version = Fields.naming(context, "model", () -> version(context, registry));
        String name = version.name();
        String previous = current(registry, name, alias).map(v -> "models:/" + name + "/" + v.version()).orElse("");
        String reason = context.optionalText("reason").filter(r -> !r.isBlank()).orElse(null);
        String origin = "pipeline " + context.run().pipeline() + " run " + context.run().runId() + " step " + context.step().id();
        String comment = reason == null ? origin : reason + " (" + origin + ")";
        String actor = tracking.user();

        Optional<Verdict> verdict = verdict(context, version, alias);
        if (verdict.isPresent()) {
            Verdict v = verdict.get();
            boolean force = !v.blessed() && reason != null;
            context.log("Promoting " + name + " version " + version.version() + " to '" + alias + "' on the verdict of evaluation run "
                    + v.evaluationRunId() + " (" + (v.blessed() ? "blessed" : force ? "not blessed: forced with the reason given" : "not blessed") + ")");
            Promotion.Outcome outcome = Fields.naming(context, "reason", () -> Promotion.promote(registry, name, version.version(), v, actor,
                    force, comment));
            if (outcome.pending()) {
                // A protected alias (four-eyes): the step files the request and succeeds; a person approves it.
                context.log("'" + alias + "' is protected: request " + outcome.request().id() + " awaits a second person's approval");
                return StepResult.of(Map.of("version", version.version(), "previous", previous, "request_id", outcome.request().id()));
            }
        } else {
            context.log("Promoting " + name + " version " + version.version() + " to '" + alias + "' (no evaluation of it against '"
                    + alias + "' found)");
            Fields.naming(context, "alias", () -> {
                registry.setAlias(name, alias, version.version(), actor, comment);
                return null;
            });
        }
        String uri = "models:/" + name + "/" + version.version();
        context.log(name + "@" + alias + " -> version " + version.version() + (previous.isEmpty() ? " (no version had it before)"
                : " (was " + previous + ")") + ", as " + actor);
        context.consumed("model_version", uri, null);
        context.produced("model_version", "models:/" + name + "@" + alias, null);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("version", version.version());
        outputs.put("previous", previous);
        return StepResult.of(outputs);
    }

    /** The version {@code models:/name/version} names, or the one {@code models:/name@alias} names now. */
    private static ModelVersion version(StepContext context, RegistryStore registry) {
        String model = context.text("model");
        return switch (ModelReference.parse(model)) {
            case ModelReference.ByVersion v -> registry.getModelVersion(v.name(), v.version());
            case ModelReference.ByAlias a -> registry.getModelVersionByAlias(a.name(), a.alias());
            default -> throw CairnException.invalid(context.field("model"), model,
                    "a registered version, models:/<name>/<version> (e.g. ${steps.register.outputs.uri})");
        };
    }

    private static Optional<ModelVersion> current(RegistryStore registry, String name, String alias) {
        try {
            return Optional.of(registry.getModelVersionByAlias(name, alias));
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return Optional.empty();
            throw e;
        }
    }

    /**
     * The latest verdict about this version against its model's {@code alias}: the evaluation that judged the registered version itself (it tags the
     * version), the evaluation whose thresholded copy the version was registered from, or the latest evaluation of
     * the package the version was registered from (a pipeline evaluates {@code runs:/...} before registering it).
     */
    private static Optional<Verdict> verdict(StepContext context, ModelVersion version, String alias) {
        Tracking tracking = context.tracking();
        for (Tag tag : version.tags()) {
            if (tag.key().equals(Evaluations.TAG_RUN)) {
                Optional<Verdict> v = verdictOf(tracking, tag.value(), version.name(), alias);
                if (v.isPresent()) return v;
            }
        }
        String source = version.source();
        if (source == null || source.indexOf('\'') >= 0 || source.indexOf('\\') >= 0) return Optional.empty();
        if (ModelReference.parse(source) instanceof ModelReference.RunArtifact run
                && run.path().equals(Evaluations.THRESHOLDED_MODEL)) {
            Optional<Verdict> v = verdictOf(tracking, run.runId(), version.name(), alias);
            if (v.isPresent()) return v;
        }
        Optional<Experiment> evaluations = tracking.experiments().getExperimentByName(EvaluationSpec.DEFAULT_EXPERIMENT);
        if (evaluations.isEmpty()) return Optional.empty();
        List<Run> runs = tracking.runs().searchRuns(List.of(evaluations.get().experimentId()),
                "tags.`" + Evaluations.TAG_CANDIDATE + "` = '" + source + "'", ViewType.ACTIVE_ONLY,
                List.of("attributes.start_time DESC"), 10, null).items();
        for (Run run : runs) {
            Optional<Verdict> v = verdictOf(tracking, run.info().runId(), version.name(), alias);
            if (v.isPresent()) return v;
        }
        return Optional.empty();
    }

    /**
     * The verdict an evaluation run recorded, if it judged a candidate for {@code name}'s {@code alias}, or the
     * package alone (no registered model to compare with): the same package evaluated against another registered
     * model's champion says nothing about this one's.
     */
    private static Optional<Verdict> verdictOf(Tracking tracking, String runId, String name, String alias) {
        try {
            return Optional.of(Evaluations.verdictOf(runId, tracking))
                    .filter(v -> alias.equals(v.alias()) && (v.registeredName() == null || name.equals(v.registeredName())));
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return Optional.empty();
            throw e;
        }
    }
}
