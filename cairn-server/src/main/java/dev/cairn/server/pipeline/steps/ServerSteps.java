package dev.cairn.server.pipeline.steps;

import dev.cairn.monitor.Monitoring;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.server.serving.Serving;
import java.nio.file.Path;
import java.util.List;

/**
 * The step runners only a server can run, over its deployments: {@code deploy}, {@code canary} and {@code score}. Add
 * them to the engine's {@link dev.cairn.pipeline.engine.StepRunners} beside cairn-pipeline's own.
 */
public final class ServerSteps {
    private ServerSteps() {}

    /**
     * @param serving     the server's serving (its deployments, model loader and prediction log)
     * @param monitoring  the server's monitoring, for a canary's {@code min_precision}; null refuses that gate
     * @param servingHome the server's serving home: scored rows are logged to its {@code predictions/}, the
     *                    prediction log the server writes and monitoring reads
     */
    public static List<StepRunner> all(Serving serving, Monitoring monitoring, Path servingHome) {
        return List.of(
                new DeployRunner(serving.deployments()),
                new CanaryRunner(serving.deployments(), serving.log(), monitoring),
                new ScoreRunner(serving.deployments().loader(), predictionLog(servingHome)));
    }

    /** Where a server under {@code servingHome} keeps its prediction log (as {@link Serving#forStore} places it). */
    public static Path predictionLog(Path servingHome) {
        return servingHome == null ? null : servingHome.resolve("predictions");
    }
}
