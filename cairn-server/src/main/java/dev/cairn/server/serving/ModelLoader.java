package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.ModelResolver;
import dev.cairn.runtime.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns model URIs into loaded, warmed models, once per version: {@code models:/name@alias} is
 * resolved to its current version through the registry, {@code models:/name/3} and {@code runs:/}
 * through the resolver to a local package, and a plain path is loaded as is. Versions stay loaded
 * while a deployment routes to them; {@link #sweep} closes the ones no deployment has used for a
 * while, after requests still holding them have finished.
 */
public final class ModelLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    /** Where a URI points right now: the model's name, its version and how to load it. */
    public record Resolved(String name, String version, String key, String uri, ModelReference reference) {}

    private final RegistryStore registry;
    private final ModelResolver resolver;
    private final int warmUpIterations;
    private final Map<String, ServedModel> loaded = new ConcurrentHashMap<>();
    private final Map<String, Long> unusedSince = new ConcurrentHashMap<>();

    /**
     * @param registry the registry that resolves aliases; null when only paths are served
     * @param resolver the resolver from {@code models:/name/version} and {@code runs:/} to a local package; null likewise
     */
    public ModelLoader(RegistryStore registry, ModelResolver resolver, int warmUpIterations) {
        this.registry = registry;
        this.resolver = resolver;
        this.warmUpIterations = warmUpIterations;
    }

    /** Only local packages (a directory or zip per URI). */
    public static ModelLoader local() {
        return new ModelLoader(null, null, 200);
    }

    /**
     * A loader of the caller's own over the same registry and resolver, without warm-up, for batch scoring: the
     * model stays loaded as long as the scoring holds it (this loader's {@link #sweep} would unload a model no
     * deployment routes to while it scores). Close it afterwards.
     */
    public ModelLoader forBatch() {
        return new ModelLoader(registry, resolver, 0);
    }

    public Resolved resolve(String uri) {
        ModelReference ref = ModelReference.parse(uri);
        return switch (ref) {
            case ModelReference.ByAlias a -> {
                ModelVersion v = registry().getModelVersionByAlias(a.name(), a.alias());
                ModelReference.ByVersion byVersion = new ModelReference.ByVersion(a.name(), v.version());
                yield new Resolved(a.name(), Long.toString(v.version()), byVersion.toString(), byVersion.toString(), byVersion);
            }
            case ModelReference.ByVersion v -> {
                registry().getModelVersion(v.name(), v.version());
                yield new Resolved(v.name(), Long.toString(v.version()), v.toString(), v.toString(), v);
            }
            case ModelReference.RunArtifact r -> new Resolved(r.runId(), "run", r.toString(), r.toString(), r);
            case ModelReference.Location l -> {
                Path path = Path.of(l.uri().startsWith("file:") ? java.net.URI.create(l.uri()).getPath() : l.uri())
                        .toAbsolutePath().normalize();
                String file = path.getFileName() == null ? "model" : path.getFileName().toString();
                String name = file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file;
                yield new Resolved(name, "1", path.toString(), path.toString(), new ModelReference.Location(path.toString()));
            }
        };
    }

    private RegistryStore registry() {
        if (registry == null) {
            throw CairnException.invalid("model", "models:/…", "a package path: this server has no model registry");
        }
        return registry;
    }

    /** The loaded (and warmed) model for a resolved URI, loading it on first use. */
    public ServedModel acquire(Resolved resolved) {
        unusedSince.remove(resolved.key());
        ServedModel existing = loaded.get(resolved.key());
        if (existing != null) return existing;
        synchronized (this) {
            existing = loaded.get(resolved.key());
            if (existing != null) return existing;
            long started = System.nanoTime();
            Path local = localPackage(resolved);
            Model model;
            try {
                model = Models.load(local);
            } catch (RuntimeException e) {
                // A copy the resolver made that does not load is removed (a path the user named is not a copy: kept).
                if (resolver instanceof RegistryPackages packages) packages.discard(local);
                throw e;
            }
            ServedModel served = new ServedModel(resolved.name(), resolved.version(), resolved.uri(), model);
            served.warmUp(warmUpIterations);
            loaded.put(resolved.key(), served);
            LOG.info("Loaded and warmed {} ({}) in {} ms", served, resolved.uri(), (System.nanoTime() - started) / 1_000_000);
            return served;
        }
    }

    /**
     * The package of a resolved URI on this machine: a registered version or run copied out of the artifact store by
     * the resolver, a path as it is. {@link #acquire} loads it; an engine that loads models elsewhere (cairn-spark,
     * which ships the package to its executors) takes it from here, so both score the same package.
     */
    public Path localPackage(Resolved resolved) {
        return switch (resolved.reference()) {
            // A person's loader (cairn serve, the CLI) loads the package its user named; the server's resolves
            // every URI through its confined resolver, which takes models only from the artifact store.
            case ModelReference.Location l when !(resolver instanceof RegistryPackages p && p.isConfined()) -> Path.of(l.uri());
            default -> {
                if (resolver == null) {
                    throw CairnException.invalid("model", resolved.uri(), "a package path: this server has no model resolver");
                }
                yield resolver.resolve(resolved.reference());
            }
        };
    }

    public ServedModel acquire(String uri) {
        return acquire(resolve(uri));
    }

    /**
     * Closes models that no deployment has routed to for at least {@code graceMillis}, so requests
     * that picked them just before a swap finish first.
     */
    public void sweep(Set<ServedModel> inUse, long graceMillis) {
        long now = System.currentTimeMillis();
        List<String> close = new ArrayList<>();
        for (Map.Entry<String, ServedModel> e : loaded.entrySet()) {
            if (inUse.contains(e.getValue())) {
                unusedSince.remove(e.getKey());
                continue;
            }
            long since = unusedSince.computeIfAbsent(e.getKey(), k -> now);
            if (now - since >= graceMillis) close.add(e.getKey());
        }
        for (String key : close) {
            ServedModel m = loaded.remove(key);
            unusedSince.remove(key);
            if (m != null) {
                LOG.info("Unloading {}: no deployment routes to it", m);
                m.close();
            }
        }
    }

    /**
     * Removes the copies a deploy left half-made in a model cache ({@link RegistryPackages} copies
     * a package to a hidden {@code .<hash>-<uuid>} directory and renames it when complete; a
     * process killed, or a copy that failed, leaves the hidden directory behind) once nothing in
     * them changed for {@code olderThan}. Returns how many were removed.
     */
    public static int removeAbandonedCopies(Path cache, java.time.Duration olderThan) {
        return dev.cairn.store.artifact.Leftovers.removeStaleEntries(cache, name -> name.startsWith("."), olderThan);
    }

    public int loadedCount() {
        return loaded.size();
    }

    @Override
    public void close() {
        loaded.values().forEach(ServedModel::close);
        loaded.clear();
    }
}
