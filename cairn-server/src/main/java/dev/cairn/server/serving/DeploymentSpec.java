package dev.cairn.server.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.core.error.CairnException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a deployment should serve: one or more model versions with traffic weights (the first is the
 * stable one, the others canaries, as in KServe's canaryTrafficPercent or Seldon's weighted
 * candidates), an optional shadow that sees every request but whose answers are only logged, an
 * optional sticky key (a field of the request, e.g. {@code customer_id}) so that one key always
 * meets the same version, an optional automatic rollback policy, and an optional feature service: requests then carry
 * entity ids (and request-time values), and the server completes each row with the service's features from its online
 * store before the model sees it (see {@link RowCompletion}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentSpec(String name, List<Target> targets, String shadow, String stickyKey, RollbackPolicy rollback,
                             String featureService) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

    /** One model (a {@code models:/} URI or a package location) and its share of traffic. */
    public record Target(String model, int weight) {
        public Target {
            if (model == null || model.isBlank()) throw CairnException.invalid("targets.model", model, "a model URI such as models:/credit-risk@champion");
            if (weight < 0 || weight > 1_000_000) throw CairnException.invalid("targets.weight", weight, "a weight from 0 to 1000000");
        }
    }

    public DeploymentSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw CairnException.invalid("name", name, "a deployment name of letters, digits, '_', '.' and '-' (at most 128)");
        }
        if (targets == null || targets.isEmpty()) {
            throw CairnException.invalid("targets", targets, "at least one target {model, weight}");
        }
        targets = List.copyOf(targets);
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (Target t : targets) {
            if (!seen.add(t.model())) throw CairnException.invalid("targets.model", t.model(), "each model at most once");
            total += t.weight();
        }
        if (total <= 0) throw CairnException.invalid("targets.weight", 0, "weights that add up to more than 0");
        if (shadow != null && shadow.isBlank()) shadow = null;
        if (stickyKey != null && stickyKey.isBlank()) stickyKey = null;
        if (featureService != null && featureService.isBlank()) featureService = null;
        if (featureService != null && !NAME.matcher(featureService).matches()) {
            throw CairnException.invalid("feature_service", featureService, "the name of a feature service (letters, digits, '_', '.' and '-', at most 128)");
        }
    }

    /** Without a feature service. */
    public DeploymentSpec(String name, List<Target> targets, String shadow, String stickyKey, RollbackPolicy rollback) {
        this(name, targets, shadow, stickyKey, rollback, null);
    }

    /** One model taking all traffic. */
    public static DeploymentSpec single(String name, String model) {
        return new DeploymentSpec(name, List.of(new Target(model, 100)), null, null, null, null);
    }

    public DeploymentSpec withTargets(List<Target> newTargets) {
        return new DeploymentSpec(name, newTargets, shadow, stickyKey, rollback, featureService);
    }

    /** This spec serving {@code service}'s features (null: none). */
    public DeploymentSpec withFeatureService(String service) {
        return new DeploymentSpec(name, targets, shadow, stickyKey, rollback, service);
    }
}
