package dev.cairn.bench.pipeline;

import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real runner with its time inside {@code run} measured; store calls it makes are counted in the runner's scope
 * ({@link StoreTimings#RUNNER}), so the breakdown separates the engine's own writes from the step's.
 */
final class TimedRunner implements StepRunner {
    private final StepRunner runner;
    private final LongAdder nanos = new LongAdder();

    TimedRunner(StepRunner runner) {
        this.runner = runner;
    }

    @Override
    public StepType type() {
        return runner.type();
    }

    @Override
    public List<String> cacheKeyParts(StepContext context) {
        return runner.cacheKeyParts(context);
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
        long start = System.nanoTime();
        StoreTimings.SCOPE.set(StoreTimings.RUNNER);
        try {
            return runner.run(context);
        } finally {
            StoreTimings.SCOPE.remove();
            nanos.add(System.nanoTime() - start);
        }
    }

    long nanos() {
        return nanos.sum();
    }

    void reset() {
        nanos.reset();
    }
}
