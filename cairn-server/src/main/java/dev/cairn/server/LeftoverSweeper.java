package dev.cairn.server;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.server.serving.ModelLoader;
import dev.cairn.store.artifact.Leftovers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans what a killed server leaves on disk (partial uploads, abandoned multipart uploads,
 * half-made copies in the model cache): once at start-up, then every {@code period}. Only what
 * has been untouched for {@code olderThan} goes, so another server process writing to the same
 * directories is not disturbed. Runs on a daemon thread: start-up does not wait for a large tree.
 */
final class LeftoverSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweeper.class);

    static final Duration PERIOD = Duration.ofHours(1);

    private final ArtifactRepository artifacts;
    private final Path modelCache;
    private final Duration olderThan;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cairn-leftover-sweeper").daemon(true).factory());

    LeftoverSweeper(ArtifactRepository artifacts, Path modelCache, Duration olderThan) {
        this.artifacts = artifacts;
        this.modelCache = modelCache;
        this.olderThan = olderThan;
    }

    static LeftoverSweeper start(ArtifactRepository artifacts, Path modelCache) {
        LeftoverSweeper sweeper = new LeftoverSweeper(artifacts, modelCache, Leftovers.DEFAULT_AGE);
        sweeper.scheduler.scheduleWithFixedDelay(sweeper::sweepQuietly, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return sweeper;
    }

    /** One sweep; returns how many leftovers were removed. */
    int sweep() {
        int uploads = artifacts.removeLeftovers(olderThan);
        int copies = ModelLoader.removeAbandonedCopies(modelCache, olderThan);
        if (uploads + copies > 0) {
            LOG.info("Removed {} leftover upload(s) from {} and {} half-made model copies from {}",
                    uploads, artifacts.rootUri(), copies, modelCache);
        }
        return uploads + copies;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // A failed sweep must not end the schedule: the next one tries again.
            LOG.warn("Removing leftovers failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
