package dev.cairn.features.online;

import dev.cairn.core.error.CairnException;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Feature;
import dev.cairn.features.definition.FeatureService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a feature service's features for entities from an online store, as a model would at serving time: for each
 * entity row (its join keys), the features of each view in the order the service first names the view. As in a
 * training set, a column or expression feature whose record is older than its view's TTL at {@code now} is null, and an
 * entity without a record (no source row yet) has nulls, except counts and sums, which are 0 over no rows.
 */
public final class OnlineFeatures {
    private OnlineFeatures() {}

    public static List<Map<String, Object>> read(Catalog catalog, OnlineStore store, String serviceName, List<Map<String, Object>> entities,
                                                 Instant now) {
        FeatureService service = catalog.service(serviceName);
        List<Map<String, Object>> result = new ArrayList<>(entities.size());
        for (int i = 0; i < entities.size(); i++) result.add(new LinkedHashMap<>());
        for (Catalog.Selection selection : catalog.select(service)) {
            List<String> joinKeys = selection.joinKeys();
            List<EntityKey> keys = new ArrayList<>(entities.size());
            for (int i = 0; i < entities.size(); i++) {
                List<Object> values = new ArrayList<>(joinKeys.size());
                for (String k : joinKeys) {
                    Object v = entities.get(i).get(k);
                    if (v == null) {
                        throw CairnException.invalid("entities[" + i + "]." + k, null, "a value for the join key '" + k + "' (feature view '"
                                + selection.view().name() + "')");
                    }
                    values.add(v);
                }
                keys.add(EntityKey.of(values));
            }
            List<Optional<OnlineRecord>> records = store.get(selection.view().name(), keys);
            Duration ttl = selection.view().ttl();
            for (int i = 0; i < entities.size(); i++) {
                OnlineRecord record = records.get(i).orElse(null);
                boolean expired = record != null && ttl != null && record.eventTime().isBefore(now.minus(ttl));
                for (Feature f : selection.features()) {
                    Object value;
                    if (record == null) value = f instanceof Feature.Aggregate a ? empty(a) : null;
                    else value = expired && !(f instanceof Feature.Aggregate) ? null : record.values().get(f.name());
                    result.get(i).put(f.name(), value);
                }
            }
        }
        return result;
    }

    /** An aggregation over no rows, as the training set has it. */
    private static Object empty(Feature.Aggregate a) {
        return switch (a.function()) {
            case COUNT -> 0L;
            case SUM -> 0.0;
            default -> null;
        };
    }
}
