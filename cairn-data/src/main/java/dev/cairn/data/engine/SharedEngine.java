package dev.cairn.data.engine;

import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One user's share of an engine others use too (a process has one Spark session, however many steps run on it): the
 * engine's work, and {@code onClose} (run once) instead of the engine's own close.
 */
final class SharedEngine implements DataEngine {
    private final DataEngine engine;
    private final Runnable onClose;
    private boolean closed;

    SharedEngine(DataEngine engine, Runnable onClose) {
        this.engine = engine;
        this.onClose = onClose;
    }

    @Override
    public DatasetProfile profile(String location) {
        return engine.profile(location);
    }

    @Override
    public ValidationResult validate(String location, DataSpec spec, String environment, MetricsHistory history) {
        return engine.validate(location, spec, environment, history);
    }

    @Override
    public long score(String input, Path modelPackage, String idColumn, int batchRows, String modelVersion, Instant scoredAt,
                      String output) {
        return engine.score(input, modelPackage, idColumn, batchRows, modelVersion, scoredAt, output);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        onClose.run();
    }
}
