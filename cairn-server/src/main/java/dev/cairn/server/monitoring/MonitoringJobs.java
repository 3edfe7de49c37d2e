package dev.cairn.server.monitoring;

import dev.cairn.data.source.Progress;
import dev.cairn.monitor.Monitoring;
import dev.cairn.server.serving.Deployments;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's monitoring loop: every {@code interval}, each deployment that is served or has monitoring
 * state is refreshed (new log segments read, alert rules evaluated, gauges updated); once an hour the log's
 * retention policy is applied. One thread, so refreshes never overlap; a failing deployment is logged and
 * the others go on.
 */
public final class MonitoringJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringJobs.class);
    /** How often the server refreshes every deployment's windows; bench/monitoring measures serving at this cadence. */
    public static final Duration INTERVAL = Duration.ofSeconds(60);

    private final Monitoring monitoring;
    private final Supplier<Set<String>> served;
    private final Runnable flushLog;
    private final BooleanSupplier leader;
    private final ScheduledExecutorService scheduler;

    private MonitoringJobs(Monitoring monitoring, Supplier<Set<String>> served, Runnable flushLog, Duration interval, BooleanSupplier leader) {
        this.monitoring = monitoring;
        this.served = served;
        this.flushLog = flushLog;
        this.leader = leader;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cairn-monitoring").daemon(true).factory());
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshAll, millis, millis, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::retain, 60, 3600, TimeUnit.SECONDS);
    }

    /** Starts the loop; {@code deployments} are the names the server serves now. */
    public static MonitoringJobs start(Monitoring monitoring, Deployments deployments, Runnable flushLog, Duration interval) {
        return start(monitoring, deployments, flushLog, interval, () -> true);
    }

    /**
     * As above, refreshing and applying retention only while {@code leader} says this server's turn it is: of several
     * servers on one shared log, one evaluates the alerts and compacts the log (see ScaleOut).
     */
    public static MonitoringJobs start(Monitoring monitoring, Deployments deployments, Runnable flushLog, Duration interval,
                                       BooleanSupplier leader) {
        return new MonitoringJobs(monitoring, () -> {
            Set<String> names = new LinkedHashSet<>();
            deployments.all().forEach(d -> names.add(d.name()));
            return names;
        }, flushLog, interval, leader);
    }

    private boolean leads() {
        try {
            return leader.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("Cannot tell whether this server runs monitoring now: {}", e.toString());
            return false;
        }
    }

    void refreshAll() {
        // Every server writes its queued log records out, for whichever server refreshes.
        flushLog.run();
        if (!leads()) return;
        Set<String> names = new LinkedHashSet<>(served.get());
        try {
            names.addAll(monitoring.deployments());
        } catch (RuntimeException e) {
            LOG.warn("Cannot list monitored deployments: {}", e.toString());
        }
        for (String name : names) {
            try {
                monitoring.refresh(name, Progress.NONE);
            } catch (RuntimeException e) {
                LOG.warn("Monitoring refresh of '{}' failed: {}", name, e.toString());
            }
        }
    }

    private void retain() {
        if (!leads()) return;
        try {
            var r = monitoring.retain();
            if (r.segmentsCompacted() + r.filesDeleted() > 0) {
                LOG.info("Prediction log retention: {} segments compacted into {} daily files, {} files deleted",
                        r.segmentsCompacted(), r.dailyFilesWritten(), r.filesDeleted());
            }
        } catch (RuntimeException e) {
            LOG.warn("Prediction log retention failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
