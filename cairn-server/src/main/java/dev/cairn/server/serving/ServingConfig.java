package dev.cairn.server.serving;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a server serves models: its limits; where the prediction log goes (null: no log), what share
 * of requests it logs and how many records may wait for the writer; how often aliases are
 * re-resolved (zero: only on request); and how many predictions warm a model before it is ready.
 */
public record ServingConfig(ServingLimits limits, Path logDir, double logSampleRate, int logQueueCapacity,
                            Duration logRollInterval, Duration aliasRefreshInterval, int warmUpIterations) {

    public static ServingConfig defaults(Path logDir) {
        return new ServingConfig(ServingLimits.DEFAULTS, logDir, 1.0, 65_536, Duration.ofSeconds(10), Duration.ofSeconds(30), 300);
    }

    public ServingConfig withLimits(ServingLimits newLimits) {
        return new ServingConfig(newLimits, logDir, logSampleRate, logQueueCapacity, logRollInterval, aliasRefreshInterval, warmUpIterations);
    }

    public ServingConfig withLog(Path dir, double sampleRate, int queueCapacity) {
        return new ServingConfig(limits, dir, sampleRate, queueCapacity, logRollInterval, aliasRefreshInterval, warmUpIterations);
    }

    public ServingConfig withAliasRefreshInterval(Duration interval) {
        return new ServingConfig(limits, logDir, logSampleRate, logQueueCapacity, logRollInterval, interval, warmUpIterations);
    }
}
