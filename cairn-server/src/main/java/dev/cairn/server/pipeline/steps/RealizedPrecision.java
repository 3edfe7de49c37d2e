package dev.cairn.server.pipeline.steps;

import dev.cairn.data.source.Progress;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.WindowMetrics;
import dev.cairn.monitor.performance.Cbpe;
import dev.cairn.monitor.window.WindowSize;
import dev.cairn.server.serving.PredictionLog;
import java.time.Instant;

/**
 * A canary's precision as monitoring realizes it: its predictions in the prediction log joined with the labels that
 * have arrived (feedback by request id, imported label tables), in the deployment's monitoring windows, with
 * evaluation's own metrics at the model's decision threshold. The confusion counts of the candidate version's windows
 * since the canary started are added up, so the precision is over all its labeled predictions, not an average of
 * windows. Monitoring windows are aligned (a day by default), so a window the canary started in counts whole.
 */
final class RealizedPrecision {

    /** Labeled rows and the positives among the predictions, right and wrong. */
    record Evidence(long labeled, long truePositives, long falsePositives) {
        /** Null while no labeled row was predicted positive: precision says nothing yet. */
        Double precision() {
            long positives = truePositives + falsePositives;
            return positives == 0 ? null : (double) truePositives / positives;
        }
    }

    private final Monitoring monitoring;
    private final PredictionLog log;

    /** @param log the server's prediction log, flushed first so the latest requests count; null when there is none */
    RealizedPrecision(Monitoring monitoring, PredictionLog log) {
        this.monitoring = monitoring;
        this.log = log;
    }

    /** The evidence about {@code model} version {@code version} in {@code deployment}'s windows from {@code from} on. */
    Evidence since(String deployment, String model, String version, Instant from) {
        if (log != null) log.flush();
        WindowSize size = monitoring.window(deployment, null);
        monitoring.update(deployment, size, Progress.NONE);
        long labeled = 0;
        long truePositives = 0;
        long falsePositives = 0;
        for (Monitoring.WindowResult r : monitoring.windows(deployment, size, from, null, version)) {
            WindowMetrics m = r.metrics();
            if (!model.equals(m.model())) continue;
            Double tp = m.get(MetricNames.realized(Cbpe.TRUE_POSITIVES));
            Double fp = m.get(MetricNames.realized(Cbpe.FALSE_POSITIVES));
            Double tn = m.get(MetricNames.realized(Cbpe.TRUE_NEGATIVES));
            Double fn = m.get(MetricNames.realized(Cbpe.FALSE_NEGATIVES));
            if (tp == null || fp == null) continue;
            truePositives += Math.round(tp);
            falsePositives += Math.round(fp);
            labeled += Math.round(tp + fp + (tn == null ? 0 : tn) + (fn == null ? 0 : fn));
        }
        return new Evidence(labeled, truePositives, falsePositives);
    }
}
