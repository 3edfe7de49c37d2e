package dev.cairn.pipeline.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The steps' "needs" graph by id, in declaration order: topological order, transitive upstream and downstream,
 * and cycles. Edges to unknown ids are left out by whoever builds it.
 */
final class Dag {
    private final List<String> ids;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, List<String>> needs;

    /** {@code needs}: every id, in declaration order, to the ids it needs. */
    Dag(Map<String, List<String>> needs) {
        this.needs = new LinkedHashMap<>(needs);
        this.ids = List.copyOf(needs.keySet());
        for (int i = 0; i < ids.size(); i++) index.put(ids.get(i), i);
    }

    /**
     * Kahn's order; among the steps ready at once, the one declared first goes first, so the order is stable and
     * a spec already written in dependency order keeps its order. Steps on a cycle are left out.
     */
    List<String> order() {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (String id : ids) {
            Set<String> distinct = new LinkedHashSet<>(needs.get(id));
            waiting.put(id, distinct.size());
            for (String n : distinct) dependents.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
        }
        PriorityQueue<String> ready = new PriorityQueue<>((a, b) -> Integer.compare(index.get(a), index.get(b)));
        for (String id : ids) if (waiting.get(id) == 0) ready.add(id);
        List<String> order = new ArrayList<>(ids.size());
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(id);
            for (String d : dependents.getOrDefault(id, List.of())) {
                if (waiting.merge(d, -1, Integer::sum) == 0) ready.add(d);
            }
        }
        return order;
    }

    /** Every step {@code id} needs, directly or not, in declaration order. */
    Set<String> upstream(String id) {
        return reach(id, needs);
    }

    /** Every step that needs {@code id}, directly or not, in declaration order. */
    Set<String> downstream(String id) {
        Map<String, List<String>> reverse = new LinkedHashMap<>();
        for (String s : ids) reverse.put(s, new ArrayList<>());
        needs.forEach((s, ns) -> ns.forEach(n -> reverse.computeIfAbsent(n, k -> new ArrayList<>()).add(s)));
        return reach(id, reverse);
    }

    private Set<String> reach(String id, Map<String, List<String>> edges) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(edges.getOrDefault(id, List.of()));
        while (!todo.isEmpty()) {
            String s = todo.pop();
            if (seen.add(s)) todo.addAll(edges.getOrDefault(s, List.of()));
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String s : ids) if (seen.contains(s)) ordered.add(s);
        return ordered;
    }

    /**
     * One cycle per group of steps that need each other, as a path that starts and ends at its first-declared step
     * and follows "needs": [a, b, a] is "a needs b, b needs a".
     */
    List<List<String>> cycles() {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> onReported = new HashSet<>();
        for (String start : ids) {
            if (onReported.contains(start) || !upstream(start).contains(start)) continue;
            List<String> path = pathBack(start);
            cycles.add(path);
            // Every step that reaches and is reached by this one is on the same knot: reported once.
            Set<String> down = downstream(start);
            for (String s : upstream(start)) if (down.contains(s)) onReported.add(s);
            onReported.add(start);
        }
        return cycles;
    }

    /** The shortest path of needs from {@code start} back to itself (breadth-first, declaration order on ties). */
    private List<String> pathBack(String start) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String n : needs.get(start)) {
            if (n.equals(start)) return List.of(start, start);
            if (!parent.containsKey(n)) {
                parent.put(n, start);
                queue.add(n);
            }
        }
        while (!queue.isEmpty()) {
            String s = queue.poll();
            for (String n : needs.getOrDefault(s, List.of())) {
                if (n.equals(start)) {
                    List<String> path = new ArrayList<>();
                    for (String at = s; !at.equals(start); at = parent.get(at)) path.addFirst(at);
                    path.addFirst(start);
                    path.add(start);
                    return path;
                }
                if (!parent.containsKey(n)) {
                    parent.put(n, s);
                    queue.add(n);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + start);
    }
}
