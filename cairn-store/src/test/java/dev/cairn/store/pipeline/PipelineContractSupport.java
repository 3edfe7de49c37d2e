package dev.cairn.store.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.store.contract.StoreContractSupport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Set-up and helpers of the pipeline-store contract: a new empty store per test, specs, runs, and racing threads. */
abstract class PipelineContractSupport extends StoreContractSupport {

    /** Every test's clock starts here (times are stored in milliseconds, so test times are whole milliseconds). */
    protected static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");

    protected PipelineStore pipelines() {
        return store.pipelines();
    }

    protected static String spec(String name, int version) {
        return "name: " + name + "\n# version " + version + "\nsteps:\n  - id: train\n    type: train\n";
    }

    protected static String sha(String text) {
        return Sha256.of(text.getBytes(StandardCharsets.UTF_8));
    }

    protected PipelineDefinition register(String name, int version) {
        String text = spec(name, version);
        return pipelines().putPipeline(name, text, sha(text), "pipelines/" + name + ".yaml", "alice");
    }

    /** A queued run of version 1 of {@code pipeline}, created at {@code at}, to hand to createRun. */
    protected static PipelineRun queued(String pipeline, Instant at) {
        return PipelineRun.queued(pipeline, sha(spec(pipeline, 1)), "manual", "test", Map.of("alpha", "0.5"), null, at, "abc123", "alice");
    }

    /** Registers version 1 of {@code pipeline} if needed and stores a queued run of it. */
    protected PipelineRun newRun(String pipeline, Instant at) {
        if (pipelines().getPipeline(pipeline).isEmpty()) register(pipeline, 1);
        return pipelines().createRun(queued(pipeline, at), null);
    }

    /** A run claimed by {@code owner} at {@code at}. */
    protected PipelineRun runningRun(String pipeline, String owner, Instant at) {
        PipelineRun run = newRun(pipeline, at);
        assertThat(pipelines().claimRun(run.runId(), owner, 100, at)).isTrue();
        return pipelines().getRun(run.runId());
    }

    protected static void assertCode(Runnable action, ErrorCode code) {
        CairnException e = failure(action);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    }

    /** Runs the tasks on their own threads, released together, and returns their results in task order. */
    protected static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) results.add(future.get(120, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
