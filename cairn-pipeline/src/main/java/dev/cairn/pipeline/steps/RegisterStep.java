package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.Registrations;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.train.evaluation.ModelSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code register}: the model as the next version of a registered model (created if missing), optionally under an
 * alias, as {@code cairn models register} does: the package is read and verified first, so nothing is registered
 * that would not load. The registry records the tracking user as the actor and audits the alias change with the
 * pipeline run. The version is tagged with the pipeline run and step, so a retried attempt finds the version an
 * earlier attempt created instead of registering a second one; and a model already registered under the name from
 * the same source (a re-run whose training was cached) is that version, not a new one.
 */
public final class RegisterStep implements StepRunner {

    @Override
    public StepType type() {
        return StepType.REGISTER;
    }

    @Override
    public StepResult run(StepContext context) {
        String model = context.text("model");
        String name = context.text("name");
        String alias = context.optionalText("alias").filter(a -> !a.isBlank()).orElse(null);
        if (alias != null && !ModelReference.ALIAS.matcher(alias).matches()) {
            throw CairnException.invalid(context.field("alias"), alias, "letters, digits, '_' and '-', starting with a letter or '_'");
        }
        if (!ModelReference.NAME.matcher(name).matches()) {
            throw CairnException.invalid(context.field("name"), name, "a model name of 1 to 256 characters without NUL");
        }
        String source = Models.uri(context, "model");
        ModelReference reference = ModelReference.parse(source);
        String runId = reference instanceof ModelReference.RunArtifact run ? run.runId() : null;
        // Everything is checked before anything is written: the run, then the package itself.
        ModelSource pkg = Fields.naming(context, "model", () -> ModelSource.open(source, context.tracking()));
        context.consumed("model", model, null);

        String actor = context.tracking().user();
        String why = "pipeline " + context.run().pipeline() + " run " + context.run().runId() + " step " + context.step().id();
        ModelVersion version = context.attempt() > 1 ? earlierAttempt(context, name).orElse(null) : null;
        if (version == null) {
            // A re-run whose training was cached hands the same model again: it is that version, not a new one.
            version = sameSource(context, name, source).orElse(null);
            if (version != null) context.log("Version " + version.version() + " of " + name + " already holds " + source + ": not registered again");
        } else {
            context.log("Version " + version.version() + " of " + name + " was registered by an earlier attempt of this step");
        }
        if (version != null) {
            if (alias != null && !version.aliases().contains(alias)) {
                context.tracking().registry().setAlias(name, alias, version.version(), actor, why);
            }
        } else {
            List<Tag> tags = new ArrayList<>();
            context.map("tags").forEach((k, v) -> tags.add(new Tag(k, String.valueOf(v))));
            tags.add(new Tag("cairn.source", "pipeline"));
            tags.add(new Tag("cairn.flavor", String.valueOf(pkg.pkg().manifest().flavor())));
            StepRuns.tags(context).forEach((k, v) -> {
                if (!k.startsWith("mlflow.")) tags.add(new Tag(k, v));
            });
            String description = context.optionalText("description").orElse(null);
            version = Fields.naming(context, "name", () -> Registrations.registerVersion(context.tracking().registry(), name, source,
                    runId, description, tags, alias, actor, why));
        }
        String uri = "models:/" + name + "/" + version.version();
        context.log("Registered " + name + " version " + version.version() + " from " + source + " as " + actor
                + (alias == null ? "" : " with alias " + alias));
        context.produced("model_version", uri, null);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("version", version.version());
        outputs.put("uri", uri);
        return StepResult.of(outputs);
    }

    /** The newest live version of {@code name} registered from exactly {@code source}, if any. */
    private static Optional<ModelVersion> sameSource(StepContext context, String name, String source) {
        if (name.contains("'") || name.contains("\\") || source.contains("'") || source.contains("\\")) return Optional.empty();
        String filter = "name = '" + name + "' AND source = '" + source + "'";
        try {
            return context.tracking().registry().searchModelVersions(filter, List.of(), 100, null).items().stream()
                    .filter(v -> source.equals(v.source()))
                    .max(Comparator.comparingLong(ModelVersion::version));
        } catch (CairnException e) {
            return Optional.empty(); // a registered model that does not exist yet
        }
    }

    /** The version an earlier attempt of this step in this run registered, if any. */
    private static Optional<ModelVersion> earlierAttempt(StepContext context, String name) {
        if (name.contains("'") || name.contains("\\")) return Optional.empty();
        String filter = "name = '" + name + "' AND tags.`" + StepRuns.TAG_PIPELINE_RUN + "` = '" + context.run().runId()
                + "' AND tags.`" + StepRuns.TAG_STEP + "` = '" + context.step().id() + "'";
        return context.tracking().registry().searchModelVersions(filter, List.of(), 100, null).items().stream()
                .max(Comparator.comparingLong(ModelVersion::version));
    }
}
