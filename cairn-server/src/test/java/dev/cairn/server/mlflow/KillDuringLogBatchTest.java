package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.MlflowTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import dev.cairn.server.ServerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL while clients stream log-batch requests at it loses no batch it
 * acknowledged and leaves no batch half-written: every batch carries a unique marker metric, and
 * after the kill every run is readable, every acknowledged batch is complete, and every other
 * batch is complete or absent.
 */
class KillDuringLogBatchTest {

    private static final int RUNS = 3;
    private static final int VALUES_PER_BATCH = 50;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 25;

    @TempDir
    Path dir;

    @Test
    @DisplayName("SIGKILL during a stream of log-batch calls leaves every batch whole or absent")
    void killDuringLogBatch() throws Exception {
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifactRoot = dir.resolve("artifacts").toUri().toString();
        Path childErrors = dir.resolve("child-stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The real entry point, as `cairn server` runs it, in a JVM of its own that the test can kill.
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName(), "--store", storeUri, "--artifacts", artifactRoot, "--host", "127.0.0.1", "--port", "0")
                .redirectError(childErrors.toFile())
                .start();
        try {
            String base = awaitUrl(child, childErrors);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String experimentId = MlflowTestServer.json(post(http, base + "/api/2.0/mlflow/experiments/create",
                    "{\"name\": \"killed\"}").body()).get("experiment_id").asText();
            List<String> runIds = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                runIds.add(MlflowTestServer.json(post(http, base + "/api/2.0/mlflow/runs/create",
                        "{\"experiment_id\": " + q(experimentId) + "}").body()).at("/run/info/run_id").asText());
            }

            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger attempted = new AtomicInteger();
            CountDownLatch enough = new CountDownLatch(ACKNOWLEDGED_BEFORE_KILL);
            List<String> unexpected = new ArrayList<>();
            Thread writer = new Thread(() -> {
                for (int batch = 0; batch < 100_000; batch++) {
                    attempted.set(batch + 1);
                    try {
                        HttpResponse<String> response = post(http, base + "/api/2.0/mlflow/runs/log-batch",
                                body(runIds.get(batch % RUNS), batch));
                        if (response.statusCode() == 200) {
                            acknowledged.add(batch);
                            enough.countDown();
                        } else {
                            synchronized (unexpected) {
                                unexpected.add(batch + ": " + response.statusCode() + " " + response.body());
                            }
                        }
                    } catch (IOException e) {
                        return; // the server is gone
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "log-batch-writer");
            writer.start();
            assertThat(enough.await(120, TimeUnit.SECONDS)).as("batches acknowledged before the kill").isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).isFalse();
            assertThat(unexpected).isEmpty();

            try (MetadataStore store = Stores.openMetadata(storeUri, artifactRoot)) {
                int complete = 0;
                for (int r = 0; r < RUNS; r++) {
                    Run run = store.runs().getRun(runIds.get(r));
                    assertThat(run.info().runId()).isEqualTo(runIds.get(r));
                    Set<Integer> markers = store.runs().getMetricHistory(runIds.get(r), "batch_marker").stream()
                            .map(m -> (int) m.value()).collect(Collectors.toSet());
                    List<Metric> values = store.runs().getMetricHistory(runIds.get(r), "value");
                    Set<String> params = run.data().params().stream().map(p -> p.key()).collect(Collectors.toSet());
                    Set<String> tags = run.data().tags().stream().map(t -> t.key()).collect(Collectors.toSet());
                    for (int batch = r; batch < attempted.get(); batch += RUNS) {
                        int b = batch;
                        long points = values.stream().filter(m -> m.step() / 1000 == b).count();
                        boolean present = markers.contains(batch);
                        if (acknowledged.contains(batch)) {
                            assertThat(present).as("acknowledged batch %d has its marker", batch).isTrue();
                        }
                        if (present) {
                            complete++;
                            assertThat(points).as("batch %d's values", batch).isEqualTo(VALUES_PER_BATCH);
                            assertThat(params).as("batch %d's param", batch).contains("p" + batch);
                            assertThat(tags).as("batch %d's tag", batch).contains("t" + batch);
                        } else {
                            assertThat(points).as("absent batch %d's values", batch).isZero();
                            assertThat(params).as("absent batch %d's param", batch).doesNotContain("p" + batch);
                            assertThat(tags).as("absent batch %d's tag", batch).doesNotContain("t" + batch);
                        }
                    }
                    for (int marker : markers) {
                        assertThat(marker).isLessThan(attempted.get());
                    }
                }
                assertThat(complete).isGreaterThanOrEqualTo(acknowledged.size());
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String body(String runId, int batch) {
        StringJoiner metrics = new StringJoiner(", ", "[", "]");
        for (int j = 0; j < VALUES_PER_BATCH; j++) {
            metrics.add("{\"key\": \"value\", \"value\": " + j + ", \"timestamp\": \"" + (1_700_000_000_000L + batch)
                    + "\", \"step\": \"" + (batch * 1000L + j) + "\"}");
        }
        metrics.add("{\"key\": \"batch_marker\", \"value\": " + batch + ", \"timestamp\": 1, \"step\": " + batch + "}");
        return "{\"run_id\": " + q(runId) + ", \"metrics\": " + metrics
                + ", \"params\": [{\"key\": \"p" + batch + "\", \"value\": \"" + batch + "\"}]"
                + ", \"tags\": [{\"key\": \"t" + batch + "\", \"value\": \"" + batch + "\"}]}";
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads the child's standard output until it says where it listens ("Cairn server listening on http://…"). */
    private static String awaitUrl(Process child, Path errors) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            int at = line.indexOf("listening on http");
            if (at >= 0) {
                // Keep draining the child's output so that it never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (IOException ignored) {
                        // the child is gone
                    }
                }, "child-stdout-drain");
                drain.setDaemon(true);
                drain.start();
                return line.substring(at + "listening on ".length()).trim();
            }
        }
        throw new AssertionError("The child server exited before listening: " + Files.readString(errors));
    }
}
