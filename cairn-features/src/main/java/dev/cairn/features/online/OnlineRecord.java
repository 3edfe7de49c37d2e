package dev.cairn.features.online;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An entity's latest feature values of one view: {@code eventTime} is the event time of the latest source row they
 * come from (the reader applies the view's TTL to it), {@code values} map feature names to JSON values (text, number,
 * boolean or null; times as ISO-8601 text).
 */
public record OnlineRecord(EntityKey key, Instant eventTime, Map<String, Object> values) {
    public OnlineRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eventTime, "eventTime");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
