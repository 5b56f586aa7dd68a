package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Nodes numbered in declaration order with their successor arrays, and the transitive closure over
 * {@code INVOKE} edges as one bit set per node, so that reachability questions cost O(1). Edges naming unknown
 * nodes are ignored here (the validator reports them).
 */
public final class GraphIndex {
    private final List<String> names;
    private final Map<String, Integer> index;
    private final int[][] invoke;
    private final int[][] all;
    private final BitSet[] reach;
    private final List<List<Integer>> cycles;

    private GraphIndex(List<String> names, Map<String, Integer> index, int[][] invoke, int[][] all) {
        this.names = names;
        this.index = index;
        this.invoke = invoke;
        this.all = all;
        this.reach = new BitSet[names.size()];
        this.cycles = closure(new Tarjan(invoke).components());
    }

    /** Indexes the nodes and edges. */
    public static GraphIndex of(List<Node> nodes, List<Edge> edges) {
        List<String> names = nodes.stream().map(Node::name).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        List<LinkedHashSet<Integer>> invoke = new ArrayList<>();
        List<LinkedHashSet<Integer>> all = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            invoke.add(new LinkedHashSet<>());
            all.add(new LinkedHashSet<>());
        }
        for (Edge edge : edges) {
            Integer source = index.get(edge.source());
            Integer target = index.get(edge.target());
            if (source != null && target != null) {
                all.get(source).add(target);
                if (edge.kind() == EdgeKind.INVOKE) {
                    invoke.get(source).add(target);
                }
            }
        }
        return new GraphIndex(names, Map.copyOf(index), toArrays(invoke), toArrays(all));
    }

    /** The number of nodes. */
    public int size() {
        return names.size();
    }

    /** The index of a node, or -1 when unknown. */
    public int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    /** The name of the node at {@code i}. */
    public String name(int i) {
        return names.get(i);
    }

    /** Distinct targets of {@code INVOKE} edges out of {@code i}, in declaration order. */
    public int[] invokeSuccessors(int i) {
        return invoke[i].clone();
    }

    /** {@link #invokeSuccessors(int)} without the copy, for this package: callers must not change it. */
    int[] invokeTargets(int i) {
        return invoke[i];
    }

    /** Whether a path of at least one {@code INVOKE} edge leads from {@code from} to {@code to}. */
    public boolean canReach(int from, int to) {
        return reach[from].get(to);
    }

    /** The nodes reachable from {@code from} over at least one {@code INVOKE} edge (a copy). */
    public BitSet reachable(int from) {
        return (BitSet) reach[from].clone();
    }

    /** The nodes reachable from {@code from} over edges of any kind, {@code from} included. */
    public BitSet reachableOverAllEdges(int from) {
        BitSet seen = walk(all, all[from]);
        seen.set(from);
        return seen;
    }

    /**
     * The non-trivial strongly connected components over {@code INVOKE} edges (more than one node, or one node
     * with a self-loop), found with an iterative Tarjan; each sorted by index, the list by first member.
     */
    public List<List<Integer>> cycles() {
        return cycles;
    }

    /**
     * Fills {@link #reach} from the components, which Tarjan emits sinks first: a component reaches its
     * successors and everything they reach, and, when it is a cycle, its own members. Members share one bit set.
     * Returns the cycles.
     */
    private List<List<Integer>> closure(List<List<Integer>> components) {
        int[] componentOf = componentOf(components);
        List<List<Integer>> found = new ArrayList<>();
        for (int c = 0; c < components.size(); c++) {
            List<Integer> component = components.get(c);
            BitSet reached = new BitSet(names.size());
            for (int member : component) {
                for (int next : invoke[member]) {
                    reached.set(next);
                    if (componentOf[next] != c) {
                        reached.or(reach[next]);
                    }
                }
            }
            int first = component.get(0);
            if (component.size() > 1 || reached.get(first)) {
                component.forEach(reached::set);
                found.add(component.stream().sorted().toList());
            }
            component.forEach(member -> reach[member] = reached);
        }
        found.sort(Comparator.comparing(cycle -> cycle.get(0)));
        return List.copyOf(found);
    }

    private int[] componentOf(List<List<Integer>> components) {
        int[] componentOf = new int[names.size()];
        for (int c = 0; c < components.size(); c++) {
            for (int member : components.get(c)) {
                componentOf[member] = c;
            }
        }
        return componentOf;
    }

    private static BitSet walk(int[][] successors, int[] start) {
        BitSet seen = new BitSet(successors.length);
        Deque<Integer> queue = new ArrayDeque<>();
        for (int next : start) {
            if (!seen.get(next)) {
                seen.set(next);
                queue.add(next);
            }
        }
        while (!queue.isEmpty()) {
            for (int next : successors[queue.poll()]) {
                if (!seen.get(next)) {
                    seen.set(next);
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    private static int[][] toArrays(List<LinkedHashSet<Integer>> sets) {
        int[][] arrays = new int[sets.size()][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = sets.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return arrays;
    }
}
