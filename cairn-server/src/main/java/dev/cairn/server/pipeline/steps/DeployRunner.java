package dev.cairn.server.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.features.offline.FeatureTraining;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.DeploymentSpec;
import dev.cairn.server.serving.Deployments;
import dev.cairn.server.serving.ModelLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code deploy} step: makes a deployment of this server serve a model, all of its traffic, as
 * {@code PUT /api/v1/deployments/{name}} does: the model is loaded and warmed first and the routing table swapped in
 * one step ({@link Deployments#apply}), so requests never wait for the change and never fail because of it. The
 * deployment's shadow, sticky key and rollback policy are kept; {@code sticky_key} sets the sticky key (a request field
 * such as {@code customer_id}: a later canary's share is then chosen by a hash of its value, so one customer always meets
 * the same version and the split is reproducible, instead of a draw per request); a URI with an alias stays an alias (the deployment
 * follows it, as one deployed over the REST API does). Deploying what the deployment already serves changes nothing
 * and writes no audit event, so a nightly pipeline can deploy every night.
 *
 * <p><b>Environments.</b> A server's deployments have no environment of their own: an environment is a deployment
 * of its own, by a naming convention. Without {@code deployment}, {@code production} is the deployment named after
 * the registered model ({@code credit-risk}) and any other environment adds its name ({@code credit-risk-staging}),
 * so staging and production serve side by side on one server and clients of production keep the plain name. A
 * model that is not registered ({@code runs:/...}, a package) has no name to go by: the step then needs
 * {@code deployment}. Given, {@code deployment} is used as is whatever the environment. The environment is recorded
 * in the audit comment of the change, as tags of the step's run ({@value #ENVIRONMENT_TAG}, {@value #DEPLOYMENT_TAG})
 * and in the lineage edge of the deployment ({@code deployment:credit-risk-staging?environment=staging}); the
 * deployment itself carries no label (its spec has no such field).
 *
 * <p>{@code feature_service} makes the deployment complete each request's rows with that service's features from the
 * server's online store ({@code cairn server --online-store}); without it the deployment keeps the one it has.
 *
 * <p>Outputs: {@code deployment} (its name) and {@code model} (the URI it now serves, as given).
 */
public final class DeployRunner implements StepRunner {
    public static final String PRODUCTION = "production";
    static final String ENVIRONMENT_TAG = "cairn.deployment.environment";
    static final String DEPLOYMENT_TAG = "cairn.deployment.name";
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,31}");
    private static final int ALL_TRAFFIC = 100;

    private final Deployments deployments;

    public DeployRunner(Deployments deployments) {
        this.deployments = deployments;
    }

    @Override
    public StepType type() {
        return StepType.DEPLOY;
    }

    @Override
    public StepResult run(StepContext context) {
        String model = StepModels.modelUri(context, "model");
        String environment = context.text("environment").strip().toLowerCase(Locale.ROOT);
        if (!ENVIRONMENT.matcher(environment).matches()) {
            throw CairnException.invalid(context.field("environment"), context.text("environment"),
                    "an environment name of letters, digits, '-' and '_' (at most 32), e.g. staging or production");
        }
        String name = StepModels.deploymentName(context, "deployment").orElseGet(() -> defaultName(context, model, environment));
        Deployment existing = deployments.find(name);
        String featureService = featureService(context, existing);
        ModelLoader.Resolved resolved = StepModels.resolve(context, "model", deployments.loader(), model);
        context.consumed(StepModels.lineageKind(resolved), resolved.key(), null);

        String stickyKey = context.optionalText("sticky_key").map(String::strip).filter(k -> !k.isEmpty())
                .orElse(existing == null ? null : existing.spec().stickyKey());
        List<DeploymentSpec.Target> all = List.of(new DeploymentSpec.Target(model, ALL_TRAFFIC));
        DeploymentSpec spec = existing == null ? new DeploymentSpec(name, all, null, stickyKey, null, featureService)
                : new DeploymentSpec(name, all, existing.spec().shadow(), stickyKey, existing.spec().rollback(), featureService);
        boolean unchanged = existing != null && existing.spec().equals(spec) && existing.stable().model().uri().equals(resolved.key());
        if (unchanged) {
            context.log("Deployment " + name + " (" + environment + ") already serves " + model + " (" + resolved.key() + "): nothing to change");
        } else {
            context.checkCancelled();
            context.log("Deploying " + model + (model.equals(resolved.key()) ? "" : " (" + resolved.key() + ")") + " to " + environment
                    + " as deployment " + name + (existing == null ? " (new)" : " (it served " + targets(existing.spec()) + ")")
                    + ": loading and warming it before traffic moves");
            Deployment after = deployments.apply(spec, StepModels.actor(context),
                    StepModels.comment(context, "deploy " + model + " to environment " + environment));
            context.log("Deployment " + name + " now serves " + after.stable().model() + " (generation " + after.generation() + ")");
        }
        context.produced("deployment", "deployment:" + name + "?environment=" + environment, null);
        Deployment now = deployments.find(name);
        if (now != null && now.features() != null) {
            // The deployment reads these views at prediction time: the deployment half of the features' lineage.
            for (var view : now.features().views()) context.consumed(FeatureTraining.KIND_VIEW,
                    FeatureTraining.Used.uri(FeatureTraining.KIND_VIEW, view.name(), view.version()), null);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ENVIRONMENT_TAG, environment);
        tags.put(DEPLOYMENT_TAG, name);
        StepModels.tag(context, tags);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("deployment", name);
        outputs.put("model", model);
        return StepResult.of(outputs);
    }

    /**
     * The feature service the deployment serves: the step's {@code feature_service}, checked against the registry before
     * the model is resolved or loaded (an unknown service, another kind of definition, or a server without an online
     * store fails the step naming the field), else the one the deployment already serves (none for a new one).
     */
    private String featureService(StepContext context, Deployment existing) {
        String given = context.optionalText("feature_service").map(String::strip).filter(f -> !f.isEmpty()).orElse(null);
        if (given == null) return existing == null ? null : existing.spec().featureService();
        try {
            DeploymentSpec.single("check", "models:/check/1").withFeatureService(given); // the name's form
            deployments.features().resolve(given);
        } catch (CairnException e) {
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            details.put("field", context.field("feature_service"));
            details.put("value", given);
            throw new CairnException(e.code(), context.field("feature_service") + ": " + e.getMessage(), details, e);
        }
        return given;
    }

    /** {@code credit-risk} in production, {@code credit-risk-<environment>} elsewhere. */
    static String deploymentName(String registeredName, String environment) {
        return environment.equals(PRODUCTION) ? registeredName : registeredName + "-" + environment;
    }

    private static String defaultName(StepContext context, String model, String environment) {
        String registered = StepModels.registeredName(model);
        if (registered == null) {
            throw CairnException.invalid(context.field("deployment"), null, "a deployment name: the model " + model
                    + " is not a registered model, so there is no name to default to");
        }
        String name = deploymentName(registered, environment);
        if (!StepModels.isDeploymentName(name)) {
            throw CairnException.invalid(context.field("deployment"), null, "a deployment name: the registered model's name '"
                    + registered + "' cannot name a deployment (letters, digits, '_', '.' and '-', at most 128)");
        }
        return name;
    }

    private static String targets(DeploymentSpec spec) {
        return spec.targets().stream().map(t -> t.model() + "=" + t.weight()).collect(Collectors.joining(", "));
    }
}
