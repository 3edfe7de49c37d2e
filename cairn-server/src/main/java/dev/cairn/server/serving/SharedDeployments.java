package dev.cairn.server.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.JsonMappers;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployments of several servers that mount one shared directory ({@code cairn server --shared-dir}): each
 * deployment's spec is one file, {@code DIR/<name>.json}, written (temporary file, then renamed) by the server a change
 * was made through, and every server reads the directory every refresh interval and takes up what differs from what it
 * serves (see {@link Deployments#takeUp}). So a change of weights, targets or shadow made through any server is served by
 * all within one interval (plus the time to load a new model); a moved alias is taken up by each server's own alias
 * refresh at the same interval. Requests never wait: a change is built off the request path and swapped in.
 *
 * <p>Why files and polling rather than a table and LISTEN/NOTIFY: the prediction log already needs the shared directory
 * (monitoring reads every server's segments from it), a rename is atomic there, a directory of a few specs is cheap to
 * read every few seconds, and polling needs no connection held open per server. One file per deployment means changes
 * of two deployments through two servers never overwrite each other; two changes of the same deployment through two
 * servers at once are last-writer-wins (If-Match is checked against the server's own copy, which lags by at most
 * one interval).
 */
public final class SharedDeployments implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedDeployments.class);
    private static final String SUFFIX = ".json";

    private final Path directory;
    private final Deployments deployments;
    private final ObjectMapper mapper = JsonMappers.lenient();
    private final ScheduledExecutorService poller;

    private SharedDeployments(Path directory, Deployments deployments, Duration interval) {
        this.directory = directory;
        this.deployments = deployments;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw CairnException.invalid("--shared-dir", directory, "a directory the server can write: " + e.getMessage());
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cairn-shared-deployments").daemon(true).factory());
        long millis = interval.toMillis();
        poller.scheduleWithFixedDelay(this::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Serves what {@code directory} holds now (before the server takes requests), then keeps {@code deployments} and the
     * directory in step: this server's changes are written there, the others' read every {@code interval}.
     */
    public static SharedDeployments start(Deployments deployments, Path directory, Duration interval) {
        SharedDeployments shared = new SharedDeployments(directory, deployments, interval);
        try {
            List<String> served = shared.refresh();
            if (!served.isEmpty()) LOG.info("Serving the shared deployments {} from {}", served, directory);
            deployments.share(shared);
        } catch (RuntimeException e) {
            shared.close();
            throw e;
        }
        return shared;
    }

    public Path directory() {
        return directory;
    }

    /** Takes up what the other servers changed now; returns the names of the deployments that changed here. */
    public List<String> refresh() {
        return deployments.takeUp(this::read);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("Could not read the shared deployments in {}: {}", directory, e.toString());
        }
    }

    /** Every spec in the directory; a file that cannot be read now (being replaced, or broken) keeps what is served. */
    private Map<String, DeploymentSpec> read() {
        Map<String, DeploymentSpec> specs = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || !name.endsWith(SUFFIX)) continue;
                String deployment = name.substring(0, name.length() - SUFFIX.length());
                try {
                    DeploymentSpec spec = mapper.readValue(Files.readAllBytes(file), DeploymentSpec.class);
                    if (spec.name().equals(deployment)) specs.put(deployment, spec);
                } catch (NoSuchFileException removedMeanwhile) {
                    // removed between the listing and the read: it is gone
                } catch (IOException | RuntimeException e) {
                    Deployment current = deployments.find(deployment);
                    if (current != null) specs.put(deployment, current.spec());
                    LOG.warn("Shared deployment file {} cannot be read, keeping what is served: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not list the shared deployments in " + directory + ": " + e.getMessage(), e);
        }
        return specs;
    }

    /** A change made through this server (under the deployments' lock): written unless the file already says so. */
    void written(DeploymentSpec spec) {
        Path file = directory.resolve(spec.name() + SUFFIX);
        try {
            if (Files.exists(file) && spec.equals(mapper.readValue(Files.readAllBytes(file), DeploymentSpec.class))) return;
        } catch (IOException | RuntimeException unreadable) {
            // rewritten below
        }
        Path temporary = directory.resolve("." + spec.name() + "-" + UUID.randomUUID() + ".tmp");
        try {
            Files.write(temporary, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // a dot-file, ignored by every reader
            }
            // The change is in effect here; the other servers would not see it, which must be seen in the log.
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Deployment " + spec.name() + " changed on this server but could not be "
                    + "shared in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** A deployment removed through this server. */
    void removed(String name) {
        try {
            Files.deleteIfExists(directory.resolve(name + SUFFIX));
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Deployment " + name + " was removed on this server but not from "
                    + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
