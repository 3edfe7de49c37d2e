package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.features.online.OnlineService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named deployments of a server. The whole table is one immutable map behind an
 * {@link AtomicReference}: a change loads and warms its models first, off the request path, then
 * swaps the map in one step, so requests never wait for a change and never fail because of one.
 * Changes are serialised among themselves and written to the registry's audit log.
 */
public final class Deployments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);
    public static final String DEFAULT = "default";

    private final ModelLoader loader;
    private final ServingMetrics metrics;
    private final RegistryStore audit;
    private final FeatureServing features;
    private final AtomicReference<Map<String, Deployment>> table = new AtomicReference<>(Map.of());
    private final Map<String, ServingMetrics.RouteMeters> meters = new ConcurrentHashMap<>();
    private final Map<String, WindowStats> windows = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();
    /** Who changed each deployment last in this process, for a conflict's message. */
    private final Map<String, Change> changes = new ConcurrentHashMap<>();

    private record Change(String actor, Instant at) {}
    private volatile String defaultName;
    private volatile DeploymentState state;
    /** The directory shared with the other servers ({@link SharedDeployments}); null: this server alone. */
    private volatile SharedDeployments shared;
    /** Set while a change another server made is applied, so it is not shared back. Guarded by this. */
    private boolean applyingShared;

    /**
     * @param audit where deployment changes and rollbacks are recorded; null for a server without a
     *              registry (a standalone {@code cairn serve} of a package path), which logs them only
     */
    public Deployments(ModelLoader loader, ServingMetrics metrics, RegistryStore audit) {
        this(loader, metrics, audit, FeatureServing.none());
    }

    /** @param features where deployments that declare a feature service read it from */
    public Deployments(ModelLoader loader, ServingMetrics metrics, RegistryStore audit, FeatureServing features) {
        this.loader = loader;
        this.metrics = metrics;
        this.audit = audit;
        this.features = features;
    }

    /** Where deployments read their feature services from. */
    public FeatureServing features() {
        return features;
    }

    public ModelLoader loader() {
        return loader;
    }

    /**
     * Keeps the deployments in {@code state} from now on and deploys what it holds; a saved
     * deployment that no longer loads is logged and skipped, so one bad version cannot keep the
     * others from serving. Returns the names restored.
     */
    public synchronized List<String> restore(DeploymentState state) {
        List<String> restored = new ArrayList<>();
        for (DeploymentSpec spec : state.load()) {
            try {
                swap(build(spec));
                restored.add(spec.name());
            } catch (RuntimeException e) {
                LOG.error("Could not restore deployment {} from {}: {}", spec.name(), state.file(), e.getMessage());
            }
        }
        this.state = state;
        return restored;
    }

    public Deployment find(String name) {
        return table.get().get(name);
    }

    public Deployment get(String name) {
        Deployment d = table.get().get(name);
        if (d == null) throw CairnException.notFound("Deployment", name);
        return d;
    }

    public Collection<Deployment> all() {
        return table.get().values();
    }

    /**
     * The deployment {@code POST /invocations} (which names none) answers with: the one named by
     * {@link #setDefault}, else {@value #DEFAULT}, else the only one there is.
     */
    public Deployment defaultDeployment() {
        Map<String, Deployment> current = table.get();
        String preferred = defaultName != null ? defaultName : DEFAULT;
        Deployment d = current.get(preferred);
        if (d == null && current.size() == 1) d = current.values().iterator().next();
        if (d == null) {
            throw new CairnException(dev.cairn.core.error.ErrorCode.RESOURCE_DOES_NOT_EXIST,
                    current.isEmpty() ? "No model is deployed yet"
                            : "No default deployment: name one with /v2/models/{name}/infer or /api/v1/deployments/{name}/predict (deployed: "
                              + String.join(", ", current.keySet()) + ")");
        }
        return d;
    }

    public void setDefault(String name) {
        this.defaultName = name;
    }

    /** Whether every deployment has its models loaded and warmed (and there is at least one). */
    public boolean isReady() {
        Map<String, Deployment> current = table.get();
        if (current.isEmpty()) return false;
        for (Deployment d : current.values()) if (!d.isReady()) return false;
        return true;
    }

    /**
     * Runs {@code change} only if deployment {@code name} is still as the caller saw it: {@code ifMatch} its
     * {@link Deployment#etag}, or {@code ifNoneMatch} {@code *} for one that must not exist yet (neither: no condition).
     * Otherwise CONFLICT naming who changed it last. The check and the change hold this object's lock together, as
     * every change does, so nothing can come between them.
     */
    public synchronized <T> T ifMatch(String name, String ifMatch, String ifNoneMatch, Supplier<T> change) {
        Deployment current = find(name);
        if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
            if (!ifNoneMatch.trim().equals("*")) throw CairnException.invalid("If-None-Match", ifNoneMatch, "* (the deployment must not exist yet)");
            if (current != null) throw conflict(name, current, "no deployment yet");
        } else if (ifMatch != null && !ifMatch.isBlank()) {
            String expected = ifMatch.trim().startsWith("W/") ? ifMatch.trim().substring(2) : ifMatch.trim();
            if (current == null) throw conflict(name, null, "ETag " + expected);
            if (!current.etag().equals(expected)) throw conflict(name, current, "ETag " + expected);
        }
        return change.get();
    }

    private CairnException conflict(String name, Deployment current, String expected) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deployment", name);
        details.put("expected", expected);
        String now = current == null ? "does not exist" : "is now " + describe(current) + " (ETag " + current.etag() + ")";
        if (current != null) details.put("etag", current.etag());
        Change last = changes.get(name);
        String by = "";
        if (last != null) {
            details.put("changed_by", last.actor());
            details.put("changed_at", last.at().toString());
            by = ", changed by " + last.actor() + " at " + last.at();
        }
        return new CairnException(ErrorCode.CONFLICT, "Deployment '" + name + "' " + now + by + ", not " + expected
                + " as this change expected; read it again and decide", details);
    }

    /** Creates or replaces a deployment: loads and warms its models, then swaps it in. */
    public synchronized Deployment apply(DeploymentSpec spec, String actor, String comment) {
        Deployment before = find(spec.name());
        Deployment after = build(spec);
        swap(after);
        record(AuditAction.DEPLOYMENT_CHANGED, after, actor, describe(before), describe(after), comment);
        return after;
    }

    /** Changes only the weights (by target URI), keeping models, shadow and sticky key. */
    public synchronized Deployment setWeights(String name, Map<String, Integer> weights, String actor, String comment) {
        Deployment current = get(name);
        List<DeploymentSpec.Target> targets = new ArrayList<>();
        Set<String> unknown = new HashSet<>(weights.keySet());
        for (DeploymentSpec.Target t : current.spec().targets()) {
            Integer w = weights.get(t.model());
            unknown.remove(t.model());
            targets.add(new DeploymentSpec.Target(t.model(), w == null ? t.weight() : w));
        }
        if (!unknown.isEmpty()) {
            throw CairnException.invalid("weights", String.join(", ", unknown), "targets of deployment '" + name + "': "
                    + current.spec().targets().stream().map(DeploymentSpec.Target::model).collect(Collectors.joining(", ")));
        }
        return apply(current.spec().withTargets(targets), actor, comment);
    }

    /**
     * Re-resolves the aliases of a deployment's targets (models:/name@alias), and its feature service's definitions, and
     * swaps in a new table when an alias now points at another version or a definition has a new version; returns whether
     * anything changed.
     */
    public synchronized boolean refresh(String name, String actor) {
        Deployment current = get(name);
        boolean moved = false;
        for (Deployment.Route r : routesOf(current)) {
            ModelLoader.Resolved now = loader.resolve(r.target());
            if (!now.key().equals(r.model().uri())) moved = true;
        }
        OnlineService service = resolveFeatures(current.spec());
        boolean redefined = service != null && !service.versions().equals(current.features().versions());
        if (!moved && !redefined) return false;
        Deployment after = moved ? buildWith(current.spec(), null, service) : buildWith(current.spec(), current, service);
        swap(after);
        record(AuditAction.DEPLOYMENT_CHANGED, after, actor, describe(current), describe(after),
                moved && redefined ? "an alias moved; feature definitions changed" : moved ? "an alias moved" : "feature definitions changed");
        return true;
    }

    /** Refreshes every deployment; failures are logged and left for the next round. */
    public void refreshAll(String actor) {
        for (Deployment d : all()) {
            try {
                refresh(d.name(), actor);
            } catch (RuntimeException e) {
                LOG.warn("Could not refresh deployment {}: {}", d.name(), e.getMessage());
            }
        }
    }

    public synchronized void remove(String name, String actor) {
        Deployment d = get(name);
        Map<String, Deployment> next = new LinkedHashMap<>(table.get());
        next.remove(name);
        table.set(Map.copyOf(next));
        save();
        SharedDeployments s = shared;
        if (s != null && !applyingShared) s.removed(name);
        record(AuditAction.DEPLOYMENT_CHANGED, d, actor, describe(d), "(removed)", null);
    }

    /** From now on every change is written to {@code shared} too (see {@link SharedDeployments}). */
    synchronized void share(SharedDeployments sharedDeployments) {
        this.shared = sharedDeployments;
    }

    /**
     * Makes this server's table what the other servers wrote ({@code specs}, read by {@code read} while this object's lock
     * is held, so no change of this server's comes between the read and what is done with it): a deployment whose spec
     * differs is built and swapped in, one that is gone is removed; neither is recorded (the server it was made through
     * did) nor shared back. A spec that does not load is logged and left for the next round. Returns the names changed.
     */
    synchronized List<String> takeUp(Supplier<Map<String, DeploymentSpec>> read) {
        Map<String, DeploymentSpec> specs = read.get();
        List<String> changed = new ArrayList<>();
        applyingShared = true;
        try {
            for (DeploymentSpec spec : specs.values()) {
                Deployment current = find(spec.name());
                if (current != null && current.spec().equals(spec)) continue;
                try {
                    swap(current == null ? build(spec) : buildWith(spec, current, resolveFeatures(spec)));
                    changed.add(spec.name());
                } catch (RuntimeException e) {
                    LOG.warn("Could not take up deployment {} as another server changed it: {}", spec.name(), e.getMessage());
                }
            }
            for (String name : List.copyOf(table.get().keySet())) {
                if (specs.containsKey(name)) continue;
                Map<String, Deployment> next = new LinkedHashMap<>(table.get());
                next.remove(name);
                table.set(Map.copyOf(next));
                save();
                changed.add(name);
                LOG.info("Deployment {} was removed through another server", name);
            }
        } finally {
            applyingShared = false;
        }
        return changed;
    }

    /**
     * The first deployment (by name) that routes to or shadows {@code version} of registered model {@code model}, or
     * any of its versions when {@code version} is null; empty when none does.
     */
    public synchronized java.util.Optional<String> servingDeployment(String model, Long version) {
        return all().stream().filter(d -> {
            List<Deployment.Route> routes = new ArrayList<>(d.routes());
            if (d.shadow() != null) routes.add(d.shadow());
            return routes.stream().anyMatch(r -> r.model().name().equals(model) && r.model().version().matches("[0-9]+")
                    && (version == null || r.model().version().equals(Long.toString(version))));
        }).map(Deployment::name).sorted().findFirst();
    }

    /** Gives all traffic back to the stable version, and records why. */
    public synchronized Deployment rollback(String name, String reason) {
        Deployment current = get(name);
        List<DeploymentSpec.Target> targets = new ArrayList<>();
        List<DeploymentSpec.Target> old = current.spec().targets();
        for (int i = 0; i < old.size(); i++) {
            targets.add(new DeploymentSpec.Target(old.get(i).model(), i == 0 ? 100 : 0));
        }
        Deployment after = buildWith(current.spec().withTargets(targets), current, current.features());
        swap(after);
        record(AuditAction.ROLLBACK, after, "cairn-rollback", describe(current), describe(after), reason);
        LOG.warn("Rolled back deployment {}: {}", name, dev.cairn.core.text.Printable.escape(reason));
        return after;
    }

    /** Every model some deployment routes to (or shadows), for {@link ModelLoader#sweep}. */
    public synchronized void sweep(long graceMillis) {
        Set<ServedModel> inUse = new HashSet<>();
        for (Deployment d : all()) for (Deployment.Route r : routesOf(d)) inUse.add(r.model());
        loader.sweep(inUse, graceMillis);
    }

    static List<Deployment.Route> routesOf(Deployment d) {
        List<Deployment.Route> all = new ArrayList<>(d.routes());
        if (d.shadow() != null) all.add(d.shadow());
        return all;
    }

    private Deployment build(DeploymentSpec spec) {
        return buildWith(spec, null, resolveFeatures(spec));
    }

    /** The spec's feature service as the registry defines it now; null when it declares none. */
    private OnlineService resolveFeatures(DeploymentSpec spec) {
        return spec.featureService() == null ? null : features.resolve(spec.featureService());
    }

    /**
     * A routing table for {@code spec} serving {@code service}'s features; with {@code reuse}, its already loaded models
     * are kept as they are.
     */
    private Deployment buildWith(DeploymentSpec spec, Deployment reuse, OnlineService service) {
        List<Deployment.Route> routes = new ArrayList<>();
        for (DeploymentSpec.Target t : spec.targets()) {
            ServedModel model = reused(reuse, t.model());
            if (model == null) model = loader.acquire(t.model());
            routes.add(route(spec, t.model(), model, t.weight(), false));
        }
        Deployment.Route shadow = null;
        if (spec.shadow() != null) {
            ServedModel model = reused(reuse, spec.shadow());
            if (model == null) model = loader.acquire(spec.shadow());
            shadow = route(spec, spec.shadow(), model, 0, true);
        }
        return new Deployment(spec, routes, shadow, generations.incrementAndGet(), service);
    }

    private static ServedModel reused(Deployment reuse, String target) {
        if (reuse == null) return null;
        for (Deployment.Route r : routesOf(reuse)) if (r.target().equals(target)) return r.model();
        return null;
    }

    private Deployment.Route route(DeploymentSpec spec, String target, ServedModel model, int weight, boolean shadow) {
        String deployment = spec.name();
        int windowSeconds = (spec.rollback() == null ? RollbackPolicy.DEFAULT : spec.rollback()).windowSeconds();
        String key = routeKey(deployment, model.uri(), shadow);
        ServingMetrics.RouteMeters m = meters.computeIfAbsent(key,
                k -> metrics.route(deployment, model.name(), model.version(), shadow));
        // Kept across swaps (a weight change must not forget the canary's record), renewed when the window changes.
        WindowStats w = windows.compute(key + '\u0000' + windowSeconds,
                (k, old) -> old != null ? old : new WindowStats(windowSeconds));
        return new Deployment.Route(target, model, weight, m, w);
    }

    private static String routeKey(String deployment, String modelUri, boolean shadow) {
        return deployment + '\u0000' + modelUri + '\u0000' + shadow;
    }

    /**
     * The statistics a (non-shadow) route of deployment {@code name} to {@code modelUri} (a resolved URI, as
     * {@link ServedModel#uri}) keeps under {@code spec}'s rollback window, or null when no such route was built yet: what
     * a canary reads before it gives a version traffic, since the statistics outlive the routes that count into them.
     */
    public WindowStats routeStats(DeploymentSpec spec, String modelUri) {
        int windowSeconds = (spec.rollback() == null ? RollbackPolicy.DEFAULT : spec.rollback()).windowSeconds();
        return windows.get(routeKey(spec.name(), modelUri, false) + '\u0000' + windowSeconds);
    }

    private void swap(Deployment d) {
        Map<String, Deployment> next = new LinkedHashMap<>(table.get());
        next.put(d.name(), d);
        table.set(Map.copyOf(next));
        LOG.info("Deployment {} now serves {}", d.name(), describe(d));
        save();
        SharedDeployments s = shared;
        if (s != null && !applyingShared) s.written(d.spec());
    }

    private void save() {
        DeploymentState s = state;
        if (s != null) s.save(table.get().values());
    }

    static String describe(Deployment d) {
        if (d == null) return "(none)";
        StringBuilder b = new StringBuilder();
        for (Deployment.Route r : d.routes()) {
            if (!b.isEmpty()) b.append(", ");
            b.append(r.model().name()).append('/').append(r.model().version()).append('=').append(r.weight());
        }
        if (d.shadow() != null) b.append("; shadow ").append(d.shadow().model().name()).append('/').append(d.shadow().model().version());
        if (d.spec().stickyKey() != null) b.append("; sticky by ").append(d.spec().stickyKey());
        if (d.features() != null) b.append("; features ").append(d.features().versions());
        return b.toString();
    }

    private void record(AuditAction action, Deployment d, String actor, String from, String to, String comment) {
        changes.put(d.name(), new Change(actor == null ? "anonymous" : actor, Instant.now()));
        if (audit == null) return;
        ServedModel stable = d.stable().model();
        Long version = null;
        try {
            version = Long.parseLong(stable.version());
        } catch (NumberFormatException notRegistered) {
            // A package path has no registry version.
        }
        try {
            audit.appendAuditEvent(new AuditEvent(0, System.currentTimeMillis(), actor == null ? "anonymous" : actor, action,
                    stable.name(), version, "deployment:" + d.name(), from, to, comment));
        } catch (RuntimeException e) {
            // The change is in effect already; a failed audit write must be seen in the server log.
            LOG.error("Could not write the audit event for deployment {} ({} -> {})", d.name(), from, to, e);
        }
    }

    @Override
    public synchronized void close() {
        table.set(Map.of());
        loader.close();
        features.close();
    }
}
