package dev.cairn.bench.pipeline;

import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.store.RunStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and times every call the engine makes to the metadata store, per store method ({@code pipelines.putStep},
 * {@code runs.logBatch}): where a step's time goes when it is not the runner. A timing decorator over the real
 * store (a JDK dynamic proxy of its interfaces), not a stand-in: every call reaches SQLite as it would without it.
 */
final class StoreTimings {
    /** Calls and nanoseconds of one method. */
    record Cost(long calls, long nanos) {}

    /** Calls made inside a step runner are named {@code runner:<method>}, a baseline's {@code direct:<method>}; the engine's own have no prefix. */
    static final ThreadLocal<String> SCOPE = new ThreadLocal<>();
    static final String RUNNER = "runner:";
    /** Calls made by a benchmark's baseline, kept out of the engine's figures. */
    static final String DIRECT = "direct:";

    private final Map<String, LongAdder[]> costs = new ConcurrentHashMap<>();

    /** The store with every call to it and to its sub-stores (experiments, runs, registry, pipelines) timed. */
    MetadataStore wrap(MetadataStore store) {
        Map<String, Object> parts = Map.of(
                "experiments", timed(ExperimentStore.class, store.experiments(), "experiments"),
                "runs", timed(RunStore.class, store.runs(), "runs"),
                "registry", timed(RegistryStore.class, store.registry(), "registry"),
                "pipelines", timed(PipelineStore.class, store.pipelines(), "pipelines"));
        InvocationHandler handler = (proxy, method, args) -> {
            if (args == null && parts.containsKey(method.getName())) return parts.get(method.getName());
            return invoke(store, method, args);
        };
        return (MetadataStore) Proxy.newProxyInstance(MetadataStore.class.getClassLoader(), new Class<?>[] {MetadataStore.class}, handler);
    }

    private <T> T timed(Class<T> type, T target, String prefix) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) return invoke(target, method, args);
            long start = System.nanoTime();
            try {
                return invoke(target, method, args);
            } finally {
                LongAdder[] cost = costs.computeIfAbsent(scope() + prefix + "." + method.getName(), k -> new LongAdder[] {new LongAdder(), new LongAdder()});
                cost[0].increment();
                cost[1].add(System.nanoTime() - start);
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String scope() {
        String scope = SCOPE.get();
        return scope == null ? "" : scope;
    }

    /** What was counted since the last reset, by method name. */
    Map<String, Cost> snapshot() {
        Map<String, Cost> out = new TreeMap<>();
        costs.forEach((name, c) -> out.put(name, new Cost(c[0].sum(), c[1].sum())));
        return out;
    }

    void reset() {
        costs.clear();
    }
}
