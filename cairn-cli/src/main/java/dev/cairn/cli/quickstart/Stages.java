package dev.cairn.cli.quickstart;

import java.util.List;

/** The example's stages, in the order of a model's life. */
final class Stages {
    private Stages() {}

    static List<Stage> all() {
        return List.of(new DataStage(), new TrainStage(), new EvaluateStage(), new ServeStage(), new MonitorStage());
    }
}
