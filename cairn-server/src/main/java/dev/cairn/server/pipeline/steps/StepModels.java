package dev.cairn.server.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.server.serving.ModelLoader;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the server's step runners share: a step's model URI as the server's model loader resolves it (a package path
 * confined to the pipeline's workspace like every other path a spec names), deployment names, the lineage kind of a
 * model, and who the changes are recorded as.
 */
final class StepModels {
    /** The names {@link dev.cairn.server.serving.DeploymentSpec} and the prediction log accept. */
    private static final Pattern DEPLOYMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

    private StepModels() {}

    /**
     * The model URI input {@code key} names: a {@code models:/} or {@code runs:/} URI as given; a package path (or
     * {@code file:} URI) resolved in the workspace, which refuses one outside a confined workspace.
     */
    static String modelUri(StepContext context, String key) {
        String uri = context.text(key).strip();
        ModelReference reference;
        try {
            reference = ModelReference.parse(uri);
        } catch (CairnException e) {
            throw CairnException.invalid(context.field(key), uri, "models:/<name>/<version>, models:/<name>@<alias>, "
                    + "runs:/<run-id>/<path> or a model package path");
        }
        if (reference instanceof ModelReference.Location location) {
            String path = location.uri();
            if (path.startsWith("file:")) {
                try {
                    path = URI.create(path).getPath();
                } catch (IllegalArgumentException e) {
                    throw CairnException.invalid(context.field(key), uri, "a valid file: URI or a model package path");
                }
            } else if (path.contains("://")) {
                throw CairnException.invalid(context.field(key), uri, "models:/..., runs:/... or a model package path on the "
                        + "server (register a model stored elsewhere first)");
            }
            return context.workspace().file(context.field(key), path).toString();
        }
        return uri;
    }

    /** Where {@code uri} points now, through the server's loader; a model that does not exist is named by its field. */
    static ModelLoader.Resolved resolve(StepContext context, String key, ModelLoader loader, String uri) {
        try {
            return loader.resolve(uri);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST && e.code() != ErrorCode.INVALID_PARAMETER_VALUE) throw e;
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            details.put("field", context.field(key));
            details.put("value", uri);
            throw new CairnException(e.code(), "The model '" + uri + "' of " + context.field(key) + " cannot be used: "
                    + e.getMessage(), details, e);
        }
    }

    /** {@code model_version} for a registered version, {@code model} for a run's model or a package. */
    static String lineageKind(ModelLoader.Resolved resolved) {
        return resolved.reference() instanceof ModelReference.ByVersion ? "model_version" : "model";
    }

    /** The registered model a URI names, or null for a run's model or a package. */
    static String registeredName(String uri) {
        return switch (ModelReference.parse(uri)) {
            case ModelReference.ByVersion v -> v.name();
            case ModelReference.ByAlias a -> a.name();
            default -> null;
        };
    }

    static boolean isDeploymentName(String name) {
        return name != null && DEPLOYMENT.matcher(name).matches();
    }

    /** Input {@code key} as a deployment name, or empty when the step does not give one. */
    static Optional<String> deploymentName(StepContext context, String key) {
        Optional<String> name = context.optionalText(key).map(String::strip);
        name.ifPresent(n -> {
            if (!isDeploymentName(n)) {
                throw CairnException.invalid(context.field(key), n, "a deployment name of letters, digits, '_', '.' and '-' (at most 128)");
            }
        });
        return name;
    }

    /** Who the step's changes are recorded as in the audit log: whoever started the run (the engine's tracking user). */
    static String actor(StepContext context) {
        return context.tracking().user();
    }

    /** The audit comment of a change a step makes: which pipeline run and step, and why. */
    static String comment(StepContext context, String why) {
        return "pipeline " + context.run().pipeline() + " run " + context.run().runId() + " step " + context.step().id() + ": " + why;
    }

    /** Tags on the step's own tracking run, when it has one; a failure to tag is logged, not fatal (the change is made). */
    static void tag(StepContext context, Map<String, String> tags) {
        if (context.stepRunId() == null) return;
        try {
            List<Tag> list = tags.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
            context.tracking().runs().logBatch(context.stepRunId(), List.of(), List.of(), list);
        } catch (RuntimeException e) {
            context.warn("Could not tag the step's run " + context.stepRunId() + ": " + e.getMessage());
        }
    }
}
