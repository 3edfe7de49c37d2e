package dev.cairn.features.online;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a view has been materialized into an online store: its rows up to {@code eventTime} (the latest event time
 * written; null when the source had no row yet), as of {@code asOf} (the time its window aggregations were computed
 * for). {@code fingerprint} identifies the definitions it was computed with (the view's, its source's and its
 * entities' SHA-256): another fingerprint means the view changed, and the next materialization rewrites it whole.
 */
public record Watermark(String view, String fingerprint, Instant eventTime, Instant asOf) {
    public Watermark {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(asOf, "asOf");
    }
}
