package dev.cairn.data;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Metric;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where data results go when they belong to a run: metrics (so their history accumulates across
 * runs) and artifacts (the JSON and HTML reports). {@link #of} adapts cairn-core's RunStore and the
 * run's ArtifactRepository; cairn-data needs nothing else of the stores.
 */
public interface RunRecorder {

    void logMetrics(Map<String, Double> metrics);

    void putArtifact(String path, String content);

    /** Records into a run of a RunStore, with artifacts under the run's own artifact repository. */
    static RunRecorder of(RunStore runs, String runId, ArtifactRepository runArtifacts) {
        return new RunRecorder() {
            @Override
            public void logMetrics(Map<String, Double> metrics) {
                long now = System.currentTimeMillis();
                List<Metric> batch = new ArrayList<>();
                for (Map.Entry<String, Double> e : metrics.entrySet()) {
                    if (e.getValue() == null || e.getValue().isNaN()) continue;
                    batch.add(new Metric(metricKey(e.getKey()), e.getValue(), now, 0));
                    if (batch.size() == 1000) {
                        runs.logBatch(runId, batch, List.of(), List.of());
                        batch = new ArrayList<>();
                    }
                }
                if (!batch.isEmpty()) runs.logBatch(runId, batch, List.of(), List.of());
            }

            @Override
            public void putArtifact(String path, String content) {
                runArtifacts.put(path, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
            }
        };
    }

    /** MLflow's metric names allow letters, digits, '_', '-', '.', ' ' and '/': anything else becomes '_'. */
    static String metricKey(String key) {
        return key.replaceAll("[^A-Za-z0-9_\\-. /]", "_");
    }
}
