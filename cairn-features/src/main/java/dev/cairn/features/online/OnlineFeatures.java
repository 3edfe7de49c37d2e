package dev.cairn.features.online;

import dev.cairn.core.error.CairnException;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Feature;
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

    /**
     * An entity (the values of one set of join keys in one row) that no view keyed by those join keys has a record of:
     * the online store has never seen it, which at serving time is a wrong id far more often than a new entity.
     */
    public record Unknown(int row, List<String> joinKeys, List<Object> values, List<String> views) {}

    /** The features of each row, and the entities no view had a record of (in row order). */
    public record Result(List<Map<String, Object>> features, List<Unknown> unknown) {}

    public static List<Map<String, Object>> read(Catalog catalog, OnlineStore store, String serviceName, List<Map<String, Object>> entities,
                                                 Instant now) {
        return read(catalog.select(catalog.service(serviceName)), store, entities, now, "entities").features();
    }

    /**
     * The features of {@code selections} (a service's views, see {@link Catalog#select(dev.cairn.features.definition.FeatureService)})
     * for each entity row: one batched read per view, whatever the number of rows. A row without a value for a join key
     * is refused naming {@code field[i].key}.
     */
    public static Result read(List<Catalog.Selection> selections, OnlineStore store, List<Map<String, Object>> entities, Instant now,
                              String field) {
        List<Map<String, Object>> result = new ArrayList<>(entities.size());
        for (int i = 0; i < entities.size(); i++) result.add(new LinkedHashMap<>());
        // Per set of join keys (an entity), whether some view keyed by it has a record of each row's entity.
        Map<List<String>, boolean[]> found = new LinkedHashMap<>();
        Map<List<String>, List<String>> viewsOf = new LinkedHashMap<>();
        for (Catalog.Selection selection : selections) {
            List<String> joinKeys = selection.joinKeys();
            boolean[] seen = found.computeIfAbsent(joinKeys, k -> new boolean[entities.size()]);
            viewsOf.computeIfAbsent(joinKeys, k -> new ArrayList<>()).add(selection.view().name());
            List<EntityKey> keys = new ArrayList<>(entities.size());
            for (int i = 0; i < entities.size(); i++) keys.add(EntityKey.of(values(entities.get(i), joinKeys, field, i, selection)));
            List<Optional<OnlineRecord>> records = store.get(selection.view().name(), keys);
            Duration ttl = selection.view().ttl();
            for (int i = 0; i < entities.size(); i++) {
                OnlineRecord record = records.get(i).orElse(null);
                if (record != null) seen[i] = true;
                boolean expired = record != null && ttl != null && record.eventTime().isBefore(now.minus(ttl));
                for (Feature f : selection.features()) {
                    Object value;
                    if (record == null) value = f instanceof Feature.Aggregate a ? empty(a) : null;
                    else value = expired && !(f instanceof Feature.Aggregate) ? null : record.values().get(f.name());
                    result.get(i).put(f.name(), value);
                }
            }
        }
        List<Unknown> unknown = new ArrayList<>();
        for (int i = 0; i < entities.size(); i++) {
            for (Map.Entry<List<String>, boolean[]> e : found.entrySet()) {
                if (e.getValue()[i]) continue;
                List<Object> values = new ArrayList<>();
                for (String k : e.getKey()) values.add(entities.get(i).get(k));
                unknown.add(new Unknown(i, e.getKey(), values, viewsOf.get(e.getKey())));
            }
        }
        return new Result(result, unknown);
    }

    private static List<Object> values(Map<String, Object> entity, List<String> joinKeys, String field, int row, Catalog.Selection selection) {
        List<Object> values = new ArrayList<>(joinKeys.size());
        for (String k : joinKeys) {
            Object v = entity.get(k);
            if (v == null) {
                throw CairnException.invalid(field + "[" + row + "]." + k, null, "a value for the join key '" + k + "' (feature view '"
                        + selection.view().name() + "')");
            }
            values.add(v);
        }
        return values;
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
