package dev.cairn.features.definition;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.features.FeatureKind;
import dev.cairn.core.features.FeatureRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The latest applied version of every feature definition, read from the registry: what training sets and
 * materialization use. A definition names others by name, so a view uses the latest version of its source and
 * entities; {@link #stored} says which versions those are.
 */
public final class Catalog {
    private final Map<String, Definition> definitions;
    private final Map<String, FeatureDefinition> stored;

    private Catalog(Map<String, Definition> definitions, Map<String, FeatureDefinition> stored) {
        this.definitions = definitions;
        this.stored = stored;
    }

    public static Catalog of(FeatureRegistry registry) {
        Map<String, Definition> definitions = new LinkedHashMap<>();
        Map<String, FeatureDefinition> stored = new LinkedHashMap<>();
        for (FeatureDefinition d : registry.list()) {
            definitions.put(d.name(), DefinitionJson.read(d));
            stored.put(d.name(), d);
        }
        return new Catalog(definitions, stored);
    }

    /** Every definition by name (the latest versions). */
    public Map<String, Definition> definitions() {
        return definitions;
    }

    /** The stored version of a definition. */
    public FeatureDefinition stored(String name) {
        FeatureDefinition d = stored.get(name);
        if (d == null) throw CairnException.notFound("feature definition", name);
        return d;
    }

    public FeatureService service(String name) {
        return get(name, FeatureKind.FEATURE_SERVICE, FeatureService.class, "--service");
    }

    public FeatureView view(String name) {
        return get(name, FeatureKind.FEATURE_VIEW, FeatureView.class, "--view");
    }

    public SourceDefinition source(String name) {
        return get(name, FeatureKind.SOURCE, SourceDefinition.class, "source");
    }

    public Entity entity(String name) {
        return get(name, FeatureKind.ENTITY, Entity.class, "entity");
    }

    /** Every feature view, by name. */
    public List<FeatureView> views() {
        return definitions.values().stream().filter(FeatureView.class::isInstance).map(FeatureView.class::cast)
                .sorted(java.util.Comparator.comparing(FeatureView::name)).toList();
    }

    /** A view with what it needs: its source, its entities, and the features of it that are wanted. */
    public record Selection(FeatureView view, SourceDefinition source, List<Entity> entities, List<Feature> features) {
        /** The join keys of the view's entities, in order. */
        public List<String> joinKeys() {
            return entities.stream().flatMap(e -> e.joinKeys().stream()).toList();
        }
    }

    /** Every feature of a view. */
    public Selection select(FeatureView view) {
        return new Selection(view, source(view.source()), view.entities().stream().map(this::entity).toList(), view.features());
    }

    /** The views of a service, in the order it first names them, each with the features of it the service uses. */
    public List<Selection> select(FeatureService service) {
        Map<String, List<Feature>> wanted = new LinkedHashMap<>();
        for (FeatureReference reference : service.features()) {
            FeatureView view = view(reference.view());
            List<Feature> features = wanted.computeIfAbsent(view.name(), v -> new ArrayList<>());
            List<Feature> add = reference.feature() == null ? view.features()
                    : List.of(view.feature(reference.feature()).orElseThrow(() -> new CairnException(ErrorCode.INVALID_STATE,
                    "Feature service '" + service.name() + "' uses '" + reference + "', but feature view '" + view.name()
                            + "' has no feature '" + reference.feature() + "' any more; apply the service again without it",
                    Map.of("service", service.name(), "feature", reference.toString()))));
            for (Feature f : add) if (!features.contains(f)) features.add(f);
        }
        List<Selection> selections = new ArrayList<>();
        wanted.forEach((viewName, features) -> {
            Selection all = select(view(viewName));
            selections.add(new Selection(all.view(), all.source(), all.entities(), features));
        });
        return selections;
    }

    private <T extends Definition> T get(String name, FeatureKind kind, Class<T> type, String field) {
        Definition d = definitions.get(name);
        if (type.isInstance(d)) return type.cast(d);
        String known = definitions.values().stream().filter(x -> x.kind() == kind).map(Definition::name).sorted()
                .collect(Collectors.joining(", "));
        String expected = "the name of " + kind.withArticle() + " in the registry (" + (known.isEmpty() ? "there is none; apply definitions first"
                : known) + ")";
        if (d != null) throw CairnException.invalid(field, name, expected + "; '" + name + "' is " + d.kind().withArticle());
        throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No " + kind.label() + " '" + name + "' in the registry; expected "
                + expected, Map.of("field", field, "value", String.valueOf(name), "expected", expected));
    }
}
