package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.MlflowTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eight clients logging to one run at the same time over HTTP lose nothing. */
class ConcurrentLoggingTest {

    private static final int THREADS = 8;
    private static final int SINGLE_METRICS_PER_THREAD = 40;
    private static final int BATCHES_PER_THREAD = 10;
    private static final int METRICS_PER_BATCH = 20;

    @TempDir
    Path dir;

    @Test
    @DisplayName("8 threads logging metrics, params and tags to one run at once lose nothing")
    void concurrentLoggingToOneRun() throws Exception {
        try (MlflowTestServer server = MlflowTestServer.sqlite(dir)) {
            String experimentId = server.ok("/api/2.0/mlflow/experiments/create", "{\"name\": \"concurrent\"}")
                    .get("experiment_id").asText();
            String runId = server.ok("/api/2.0/mlflow/runs/create", "{\"experiment_id\": " + q(experimentId) + "}")
                    .at("/run/info/run_id").asText();

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> failures = new ArrayList<>();
                    for (int i = 0; i < SINGLE_METRICS_PER_THREAD; i++) {
                        long step = thread * 10_000L + i;
                        expectOk(failures, server.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": " + q(runId)
                                + ", \"key\": \"shared\", \"value\": " + step + ", \"timestamp\": \"" + (1000 + i) + "\", \"step\": \"" + step + "\"}"));
                    }
                    for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                        StringJoiner metrics = new StringJoiner(", ", "[", "]");
                        for (int j = 0; j < METRICS_PER_BATCH; j++) {
                            long step = thread * 10_000L + 1_000 + b * METRICS_PER_BATCH + j;
                            metrics.add("{\"key\": \"batched\", \"value\": " + step + ", \"timestamp\": 5, \"step\": " + step + "}");
                        }
                        expectOk(failures, server.post("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": " + q(runId)
                                + ", \"metrics\": " + metrics + ", \"params\": [{\"key\": \"p_" + thread + "_" + b + "\", \"value\": \"v\"}]"
                                + ", \"tags\": [{\"key\": \"writer\", \"value\": \"" + thread + "\"}]}"));
                    }
                    return failures;
                }));
            }
            start.countDown();
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> result : results) failures.addAll(result.get(120, TimeUnit.SECONDS));
            pool.shutdown();
            assertThat(failures).isEmpty();

            Set<Long> expectedShared = new HashSet<>();
            Set<Long> expectedBatched = new HashSet<>();
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < SINGLE_METRICS_PER_THREAD; i++) expectedShared.add(t * 10_000L + i);
                for (int k = 0; k < BATCHES_PER_THREAD * METRICS_PER_BATCH; k++) expectedBatched.add(t * 10_000L + 1_000 + k);
            }
            assertThat(steps(server, runId, "shared")).containsExactlyInAnyOrderElementsOf(expectedShared);
            assertThat(steps(server, runId, "batched")).containsExactlyInAnyOrderElementsOf(expectedBatched);
            JsonNode run = server.okGet("/api/2.0/mlflow/runs/get?run_id=" + runId);
            assertThat(run.at("/run/data/params")).hasSize(THREADS * BATCHES_PER_THREAD);
        }
    }

    private static List<Long> steps(MlflowTestServer server, String runId, String key) {
        JsonNode history = server.okGet("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=" + key);
        List<Long> steps = new ArrayList<>();
        history.get("metrics").forEach(m -> {
            assertThat(m.get("value").asDouble()).isEqualTo(m.get("step").asDouble());
            steps.add(m.get("step").asLong());
        });
        return steps;
    }

    private static void expectOk(List<String> failures, HttpResponse<String> response) {
        if (response.statusCode() != 200) failures.add(response.statusCode() + " " + response.body());
    }
}
