package dev.cairn.pipeline.engine;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.pipeline.spec.StepType;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The runners an engine has, one per step type. cairn-pipeline provides those it can run by itself (data,
 * training, evaluation, registry, notify, command); the server adds deploy, canary and score, which need its
 * deployments. A spec using a type without a runner fails before any step runs, naming the type.
 */
public final class StepRunners {
    private final Map<StepType, StepRunner> runners = new EnumMap<>(StepType.class);

    public StepRunners add(StepRunner runner) {
        runners.put(runner.type(), runner);
        return this;
    }

    public StepRunners addAll(Collection<? extends StepRunner> more) {
        more.forEach(this::add);
        return this;
    }

    public Optional<StepRunner> find(StepType type) {
        return Optional.ofNullable(runners.get(type));
    }

    public StepRunner get(StepType type) {
        StepRunner runner = runners.get(type);
        if (runner == null) {
            throw new CairnException(ErrorCode.INVALID_STATE, "Steps of type '" + type.label() + "' cannot run here: "
                    + "they need cairn server (its deployments), e.g. cairn pipelines run --server URL");
        }
        return runner;
    }
}
