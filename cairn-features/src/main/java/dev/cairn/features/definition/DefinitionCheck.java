package dev.cairn.features.definition;

import dev.cairn.core.features.FeatureKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What can be checked only once every file of an apply has been read: names defined twice, names that another kind
 * of definition has in the registry, the names views and services use (an entity, a source, a view and its features,
 * in these files or in the registry), and that the features of a service, which become the columns of its training
 * sets, have distinct names that are not join keys.
 */
public final class DefinitionCheck {
    private DefinitionCheck() {}

    /**
     * Adds the problems of {@code read} (every file's definitions and uses) to {@code problems}; {@code registry} holds
     * the latest stored definition of every name.
     */
    public static void check(List<DefinitionReader.Result> read, Map<String, Definition> registry, DefinitionProblems problems) {
        Map<String, DefinitionReader.Located> applied = new LinkedHashMap<>();
        for (DefinitionReader.Result result : read) {
            for (DefinitionReader.Located located : result.definitions()) {
                Definition d = located.definition();
                DefinitionReader.Located first = applied.get(d.name());
                if (first != null) {
                    problems.add(located.site(), "'" + d.name() + "' is defined twice (first at " + first.site().file() + " line "
                            + first.site().line() + "); expected one definition per name");
                    continue;
                }
                Definition stored = registry.get(d.name());
                if (stored != null && stored.kind() != d.kind()) {
                    problems.add(located.site(), "'" + d.name() + "' is the name of " + stored.kind().withArticle() + " in the registry; "
                            + "expected a name no other kind of definition has");
                    continue;
                }
                applied.put(d.name(), located);
            }
        }
        Map<String, Definition> all = new HashMap<>(registry);
        applied.forEach((name, located) -> all.put(name, located.definition()));

        for (DefinitionReader.Result result : read) {
            for (DefinitionReader.Use use : result.uses()) checkUse(use, all, problems);
        }
        for (DefinitionReader.Located located : applied.values()) {
            switch (located.definition()) {
                case FeatureView view -> checkView(view, located.site(), all, problems);
                case FeatureService service -> checkService(service, located.site(), all, problems);
                default -> { }
            }
        }
        // A service already in the registry that uses a view applied now must still make sense with the view's new
        // version: the problem is the view's (it removed or renamed what the service uses).
        for (Definition d : registry.values()) {
            if (!(d instanceof FeatureService service) || applied.containsKey(service.name())) continue;
            for (FeatureReference reference : service.features()) {
                DefinitionReader.Located view = applied.get(reference.view());
                if (view == null || !(view.definition() instanceof FeatureView changed)) continue;
                if (reference.feature() != null && changed.feature(reference.feature()).isEmpty()) {
                    problems.add(view.site(), "feature service '" + service.name() + "' in the registry uses '" + reference
                            + "', which this version of feature view '" + changed.name() + "' does not have; expected the feature "
                            + "kept, or the service applied without it");
                }
            }
            DefinitionReader.Located first = service.features().stream().map(r -> applied.get(r.view()))
                    .filter(l -> l != null && l.definition() instanceof FeatureView).findFirst().orElse(null);
            if (first != null) checkService(service, first.site(), all, problems);
        }
    }

    private static void checkUse(DefinitionReader.Use use, Map<String, Definition> all, DefinitionProblems problems) {
        Definition target = all.get(use.name());
        String kind = use.kind().label();
        if (target == null) {
            String known = names(all, use.kind());
            problems.add(use.site(), "unknown " + kind + " '" + use.name() + "'; expected the name of " + use.kind().withArticle() + " in these files or "
                    + "in the registry (" + (known.isEmpty() ? "there is none" : known) + ")");
            return;
        }
        if (target.kind() != use.kind()) {
            problems.add(use.site(), "'" + use.name() + "' is " + target.kind().withArticle() + "; expected " + use.kind().withArticle());
            return;
        }
        if (use.feature() != null && target instanceof FeatureView view && view.feature(use.feature()).isEmpty()) {
            problems.add(use.site(), "feature view '" + view.name() + "' has no feature '" + use.feature() + "'; expected one of "
                    + view.features().stream().map(Feature::name).collect(Collectors.joining(", ")));
        }
    }

    private static void checkView(FeatureView view, DefinitionReader.Site site, Map<String, Definition> all, DefinitionProblems problems) {
        Map<String, String> keyOwners = new LinkedHashMap<>();
        for (String entityName : view.entities()) {
            if (!(all.get(entityName) instanceof Entity entity)) continue;
            for (String key : entity.joinKeys()) {
                String other = keyOwners.putIfAbsent(key, entity.name());
                if (other != null) {
                    problems.add(site, "entities '" + other + "' and '" + entity.name() + "' of feature view '" + view.name()
                            + "' both have the join key '" + key + "'; expected entities with distinct join keys");
                }
            }
        }
        if (all.get(view.source()) instanceof SourceDefinition source) keyOwners.putIfAbsent(source.eventTimestamp(), "the event timestamp");
        for (Feature f : view.features()) {
            String owner = keyOwners.get(f.name());
            if (owner != null) {
                problems.add(site, "feature '" + f.name() + "' of feature view '" + view.name() + "' has the name of "
                        + (owner.equals("the event timestamp") ? owner : "a join key of entity '" + owner + "'")
                        + "; expected another name (name: " + f.name() + "_value, column: " + f.name() + ")");
            }
        }
    }

    private static void checkService(FeatureService service, DefinitionReader.Site site, Map<String, Definition> all,
                                     DefinitionProblems problems) {
        Map<String, String> columns = new HashMap<>();
        for (FeatureReference reference : service.features()) {
            if (!(all.get(reference.view()) instanceof FeatureView view)) continue;
            List<String> names = new ArrayList<>();
            if (reference.feature() == null) view.features().forEach(f -> names.add(f.name()));
            else if (view.feature(reference.feature()).isPresent()) names.add(reference.feature());
            for (String name : names) {
                String other = columns.putIfAbsent(name, view.name());
                if (other != null && !other.equals(view.name())) {
                    problems.add(site, "feature '" + name + "' of feature service '" + service.name() + "' comes from both feature views '"
                            + other + "' and '" + view.name()
                            + "'; the features of a service are the columns of its training sets, so expected distinct names "
                            + "(rename one in its view)");
                } else if (other != null) {
                    problems.add(site, "feature '" + view.name() + ":" + name + "' is listed twice in feature service '" + service.name()
                            + "' (once through the whole view)");
                }
            }
        }
    }

    private static String names(Map<String, Definition> all, FeatureKind kind) {
        return all.values().stream().filter(d -> d.kind() == kind).map(Definition::name)
                .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(", "));
    }
}
