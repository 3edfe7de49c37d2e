package dev.cairn.pipeline.steps;

import dev.cairn.data.engine.DataEngine;
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
        return all(null);
    }

    /** As {@link #all()}, validate and profile steps that say {@code engine: spark} running on {@code spark}'s engines (null: refused). */
    public static List<StepRunner> all(DataEngine.Factory spark) {
        return List.of(new ReadStep(), new ValidateStep(spark), new ProfileStep(spark), new DriftStep(), new TrainStep(), new TuneStep(),
                new EvaluateStep(), new RegisterStep(), new PromoteStep(), new MaterializeStep(), new NotifyStep(), new CommandStep());
    }
}
