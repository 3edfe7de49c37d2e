package dev.cairn.server.serving;

import dev.cairn.features.online.OnlineFeatures;
import dev.cairn.features.online.OnlineService;
import dev.cairn.features.online.OnlineStore;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Completes the rows of a request to a deployment with a feature service: each row carries its entities' join keys
 * (and any request-time values), and gets the service's features from the online store, all rows of a request in one
 * read per view. The completed row (keys, request values, features) is what the model validates against its signature,
 * predicts on and the prediction log records, so monitoring profiles the features as served.
 *
 * <p>The request is not trusted: a row may not bring a value of its own for a feature (it would replace what the store
 * serves, unseen), a join key must be a single value, and an entity no view of the service has a record of is refused
 * naming the field and value, since at serving time an unknown id is a wrong id far more often than a new entity. An
 * entity known to some views but not to others gets what a training set gives it: nulls, and 0 for counts and sums.
 */
final class RowCompletion {
    private RowCompletion() {}

    static List<Map<String, Object>> complete(OnlineService service, OnlineStore store, List<Map<String, Object>> rows, Instant now) {
        Problems problems = new Problems();
        Set<String> features = new HashSet<>(service.featureNames());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            for (String key : service.joinKeys()) {
                Object v = row.get(key);
                if (v == null) {
                    problems.add(key, null, "the join key of an entity of feature service '" + service.name() + "' (the server reads "
                            + "the features " + String.join(", ", service.featureNames()) + " by " + String.join(", ", service.joinKeys()) + ")", i);
                } else if (!(v instanceof String || v instanceof Long || v instanceof Integer || v instanceof BigInteger
                        || v instanceof Double || v instanceof Boolean)) {
                    problems.add(key, v, "a single value (text or number) identifying an entity", i);
                }
            }
            for (String field : row.keySet()) {
                if (features.contains(field)) {
                    problems.add(field, row.get(field), "no value: '" + field + "' is a feature of service '" + service.name()
                            + "', which the server reads from the online store", i);
                }
            }
        }
        problems.throwIfAny();
        OnlineFeatures.Result read = service.read(store, rows, now, "inputs");
        for (OnlineFeatures.Unknown u : read.unknown()) {
            String field = String.join(", ", u.joinKeys());
            Object value = u.values().size() == 1 ? u.values().getFirst() : u.values().toString();
            // The store's URI stays out of the answer: it is the server's configuration (a path, a host), not the client's.
            problems.add(field, value, "an entity the server's online store has features of (feature view"
                    + (u.views().size() == 1 ? " '" + u.views().getFirst() + "' has" : "s '" + String.join("', '", u.views()) + "' have")
                    + " no record of it: check the id, or materialize the view" + (u.views().size() == 1 ? "" : "s") + ")", u.row());
        }
        problems.throwIfAny();
        List<Map<String, Object>> completed = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>(rows.get(i));
            row.putAll(read.features().get(i));
            completed.add(row);
        }
        return completed;
    }
}
