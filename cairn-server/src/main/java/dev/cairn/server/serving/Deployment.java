package dev.cairn.server.serving;

import dev.cairn.core.hash.Sha256;
import dev.cairn.features.online.OnlineService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deployment as it serves right now: an immutable routing table built from a
 * {@link DeploymentSpec} with every model loaded. Changes build a new table and swap it in whole,
 * so a request sees either the old table or the new one, never half of each.
 */
public final class Deployment {

    /** One model version the deployment routes to, with its share of traffic and its meters. */
    public record Route(String target, ServedModel model, int weight, ServingMetrics.RouteMeters meters, WindowStats window) {}

    private final DeploymentSpec spec;
    private final List<Route> routes;
    private final Route shadow;
    private final long[] cumulative;
    private final long total;
    private final long generation;
    private final OnlineService features;

    Deployment(DeploymentSpec spec, List<Route> routes, Route shadow, long generation, OnlineService features) {
        this.spec = spec;
        this.features = features;
        this.routes = List.copyOf(routes);
        this.shadow = shadow;
        this.generation = generation;
        this.cumulative = new long[routes.size()];
        long sum = 0;
        for (int i = 0; i < routes.size(); i++) {
            sum += routes.get(i).weight();
            cumulative[i] = sum;
        }
        this.total = sum;
    }

    public String name() {
        return spec.name();
    }

    public DeploymentSpec spec() {
        return spec;
    }

    public List<Route> routes() {
        return routes;
    }

    /** The feature service its requests' rows are completed with, as resolved when this table was built; null: none. */
    public OnlineService features() {
        return features;
    }

    /** The first target: the version that takes traffic back on rollback. */
    public Route stable() {
        return routes.get(0);
    }

    public Route shadow() {
        return shadow;
    }

    /** Increases with every change of this deployment. */
    public long generation() {
        return generation;
    }

    /**
     * The entity tag of this table, for {@code If-Match}: a hash of its spec and of the versions its targets resolved
     * to (and of the feature definitions' versions it serves). Not the generation, which restarts with the process: equal
     * states have equal tags across restarts, and a moved alias (same spec, another version) changes the tag.
     */
    public String etag() {
        StringBuilder b = new StringBuilder(spec.toString());
        for (Route r : routes) b.append('|').append(r.model().uri());
        if (shadow != null) b.append("|shadow ").append(shadow.model().uri());
        if (features != null) b.append("|features ").append(features.versions());
        return "\"" + Sha256.of(b.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 20) + "\"";
    }

    /**
     * Picks the version for one request: by weight at random, or, with a sticky key value, by a hash
     * of the value so that the same key meets the same version while the weights stay the same.
     */
    public Route choose(Object stickyValue) {
        if (routes.size() == 1) return routes.get(0);
        long point = stickyValue == null
                ? ThreadLocalRandom.current().nextLong(total)
                : Math.floorMod(mix(stickyValue.toString().hashCode()), total);
        for (int i = 0; i < cumulative.length; i++) {
            if (point < cumulative[i]) return routes.get(i);
        }
        return routes.get(routes.size() - 1);
    }

    /** The route serving {@code version}, or null; the shadow counts too. */
    public Route byVersion(String version) {
        for (Route r : routes) if (r.model().version().equals(version)) return r;
        if (shadow != null && shadow.model().version().equals(version)) return shadow;
        return null;
    }

    /** Whether every model is loaded and warmed. */
    public boolean isReady() {
        for (Route r : routes) if (!r.model().isWarm()) return false;
        return shadow == null || shadow.model().isWarm();
    }

    // A 64-bit finaliser (from SplitMix64) so neighbouring ids spread over the whole weight range.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
