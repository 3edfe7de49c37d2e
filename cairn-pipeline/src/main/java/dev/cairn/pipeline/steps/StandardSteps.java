package dev.cairn.pipeline.steps;

import dev.cairn.pipeline.engine.StepRunner;
import java.util.List;

/**
 * The step runners cairn-pipeline runs by itself: data, training, evaluation, registry, feature materialization,
 * notify and command. The server adds deploy, canary and score, which need its deployments:
 * {@code new StepRunners().addAll(StandardSteps.all()).add(new DeployStep(...))}.
 */
public final class StandardSteps {
    private StandardSteps() {}

    public static List<StepRunner> all() {
        return List.of(new ReadStep(), new ValidateStep(), new ProfileStep(), new DriftStep(), new TrainStep(), new TuneStep(),
                new EvaluateStep(), new RegisterStep(), new PromoteStep(), new MaterializeStep(), new NotifyStep(), new CommandStep());
    }
}
