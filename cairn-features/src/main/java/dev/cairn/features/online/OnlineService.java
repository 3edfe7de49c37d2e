package dev.cairn.features.online;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.features.FeatureKind;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Feature;
import dev.cairn.features.definition.FeatureService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A feature service resolved for serving: its views and features as the registry defined them when it was resolved,
 * with the versions of those definitions. Resolved once (when a deployment is built), not per request: a request then
 * reads the online store only, and the versions a deployment serves stay what its record says until it is resolved
 * again.
 */
public final class OnlineService {

    /** One view the service reads: its definition's version, the join keys of its entities, and the features used. */
    public record View(String name, long version, List<String> joinKeys, List<String> features) {}

    private final String name;
    private final long version;
    private final List<Catalog.Selection> selections;
    private final List<View> views;
    private final List<String> joinKeys;
    private final List<String> featureNames;

    private OnlineService(String name, long version, List<Catalog.Selection> selections, List<View> views) {
        this.name = name;
        this.version = version;
        this.selections = List.copyOf(selections);
        this.views = List.copyOf(views);
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        List<String> features = new ArrayList<>();
        for (View v : views) {
            keys.addAll(v.joinKeys());
            features.addAll(v.features());
        }
        this.joinKeys = List.copyOf(keys);
        this.featureNames = List.copyOf(features);
    }

    /**
     * The latest version of feature service {@code service} in {@code registry}; an unknown name (or another kind's)
     * is refused naming {@code field}.
     */
    public static OnlineService resolve(FeatureRegistry registry, String service, String field) {
        FeatureDefinition stored = registry.get(service).orElse(null);
        if (stored == null || stored.kind() != FeatureKind.FEATURE_SERVICE) {
            String known = registry.list().stream().filter(d -> d.kind() == FeatureKind.FEATURE_SERVICE).map(FeatureDefinition::name)
                    .collect(Collectors.joining(", "));
            String expected = "the name of a feature service in the registry (" + (known.isEmpty() ? "there is none; apply definitions first" : known) + ")";
            if (stored != null) throw CairnException.invalid(field, service, expected + "; '" + service + "' is " + stored.kind().withArticle());
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No feature service '" + service + "' in the registry; expected "
                    + expected, Map.of("field", field, "value", String.valueOf(service), "expected", expected));
        }
        Catalog catalog = Catalog.of(registry);
        FeatureService definition = catalog.service(service);
        List<Catalog.Selection> selections = catalog.select(definition);
        List<View> views = new ArrayList<>();
        for (Catalog.Selection s : selections) {
            views.add(new View(s.view().name(), catalog.stored(s.view().name()).version(), s.joinKeys(),
                    s.features().stream().map(Feature::name).toList()));
        }
        return new OnlineService(service, catalog.stored(service).version(), selections, views);
    }

    public String name() {
        return name;
    }

    /** The version of the service's definition this was resolved from. */
    public long version() {
        return version;
    }

    public List<View> views() {
        return views;
    }

    /** The join keys of every entity of the service's views, each once, in the order the views name them. */
    public List<String> joinKeys() {
        return joinKeys;
    }

    /** The names of the features, the columns the service adds to a row (as in its training sets). */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Which definitions, at which versions: equal for two resolutions of the same definitions. */
    public String versions() {
        StringBuilder b = new StringBuilder(name).append('/').append(version);
        for (View v : views) b.append(' ').append(v.name()).append('/').append(v.version());
        return b.toString();
    }

    /** The features of each row's entities from {@code store} (one read per view), TTLs applied at {@code now}. */
    public OnlineFeatures.Result read(OnlineStore store, List<Map<String, Object>> rows, Instant now, String field) {
        return OnlineFeatures.read(selections, store, rows, now, field);
    }

    @Override
    public String toString() {
        return versions();
    }
}
