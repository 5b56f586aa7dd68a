package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rendezvous nodes a branch at each node may arrive at next: a breadth-first walk over {@code INVOKE} edges
 * from the node's successors that passes through agents which are not rendezvous and stops at (and includes)
 * rendezvous nodes, each set in the order the walk finds them.
 *
 * <p>Walking from every node costs O(n²) on long chains, so the sets are computed in O(n + e) passes first
 * (strongly connected components of the pass-through agents, sinks first) and the walk runs only where its order
 * matters: a node that reaches no rendezvous gets none, a node that reaches one gets it, a node whose only
 * successor is a pass-through agent gets that agent's set (its walk is that agent's walk), and any other walk
 * skips agents that reach no rendezvous and stops once it has found every rendezvous the node reaches. Each of
 * these gives exactly the set, in exactly the order, that the plain walk gives.
 */
public final class RendezvousReach {
    private final GraphIndex graph;
    private final BitSet rendezvous;
    private final BitSet passThrough;
    private final int[] rank;
    private final int[] byRank;
    private final BitSet[] ahead;
    private final List<Set<String>> memo;

    private RendezvousReach(GraphIndex graph, Set<String> rendezvousNames) {
        this.graph = graph;
        int size = graph.size();
        this.rendezvous = new BitSet(size);
        this.passThrough = new BitSet(size);
        this.rank = new int[size];
        this.byRank = new int[rendezvousNames.size()];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (rendezvousNames.contains(graph.name(i))) {
                rendezvous.set(i);
                rank[i] = count;
                byRank[count++] = i;
            } else if (Node.kindOf(graph.name(i)) == NodeKind.AGENT) {
                passThrough.set(i);
            }
        }
        this.ahead = ahead();
        this.memo = new ArrayList<>(Collections.nCopies(size, null));
    }

    /**
     * For every node (by name) that may arrive at a rendezvous, the rendezvous nodes in walk order; nodes that
     * reach none are left out.
     *
     * @param graph the nodes and edges
     * @param rendezvousNames the rendezvous nodes
     */
    public static Map<String, Set<String>> of(GraphIndex graph, Set<String> rendezvousNames) {
        RendezvousReach reach = new RendezvousReach(graph, rendezvousNames);
        Map<String, Set<String>> result = new HashMap<>();
        for (int i = 0; i < graph.size(); i++) {
            Set<String> found = reach.resolve(i);
            if (!found.isEmpty()) {
                result.put(graph.name(i), found);
            }
        }
        return Map.copyOf(result);
    }

    /**
     * For every node, the ranks of the rendezvous nodes that a walk entering it finds: itself for a rendezvous,
     * none for Start, End and User, and for a pass-through agent those of its successors. Members of a component
     * of pass-through agents share one set; a component with a single contributing set shares that set.
     */
    private BitSet[] ahead() {
        int size = graph.size();
        int[][] inner = new int[size][];
        for (int i = 0; i < size; i++) {
            inner[i] = passThrough.get(i)
                    ? Arrays.stream(graph.invokeTargets(i))
                            .filter(passThrough::get)
                            .toArray()
                    : new int[0];
        }
        BitSet empty = new BitSet(0);
        BitSet[] ahead = new BitSet[size];
        for (int i = 0; i < size; i++) {
            if (rendezvous.get(i)) {
                BitSet own = new BitSet(byRank.length);
                own.set(rank[i]);
                ahead[i] = own;
            } else if (!passThrough.get(i)) {
                ahead[i] = empty;
            }
        }
        for (List<Integer> component : new Tarjan(inner).components()) { // sinks first
            int first = component.get(0);
            if (!passThrough.get(first)) {
                continue;
            }
            Set<Integer> members = Set.copyOf(component);
            BitSet shared = null;
            boolean copied = false;
            for (int member : component) {
                for (int next : graph.invokeTargets(member)) {
                    if (members.contains(next) || ahead[next].isEmpty()) {
                        continue;
                    }
                    if (shared == null) {
                        shared = ahead[next];
                    } else if (shared != ahead[next]) {
                        if (!copied) {
                            shared = (BitSet) shared.clone();
                            copied = true;
                        }
                        shared.or(ahead[next]);
                    }
                }
            }
            BitSet result = shared == null ? empty : shared;
            component.forEach(member -> ahead[member] = result);
        }
        return ahead;
    }

    private Set<String> resolve(int node) {
        List<Integer> chain = new ArrayList<>();
        BitSet onChain = new BitSet();
        int at = node;
        while (memo.get(at) == null && !onChain.get(at)) {
            int next = onlyPassThroughSuccessor(at);
            if (next < 0) {
                memo.set(at, walk(at));
                break;
            }
            chain.add(at);
            onChain.set(at);
            at = next;
        }
        Set<String> found = memo.get(at) != null ? memo.get(at) : walk(at);
        chain.forEach(member -> memo.set(member, found));
        return found;
    }

    /** The single successor of {@code node} when it is a pass-through agent that reaches a rendezvous, else -1. */
    private int onlyPassThroughSuccessor(int node) {
        int[] targets = graph.invokeTargets(node);
        return targets.length == 1 && passThrough.get(targets[0]) && !ahead[targets[0]].isEmpty() ? targets[0] : -1;
    }

    private Set<String> walk(int start) {
        BitSet wanted = new BitSet(byRank.length);
        for (int next : graph.invokeTargets(start)) {
            wanted.or(ahead[next]);
        }
        int total = wanted.cardinality();
        if (total == 0) {
            return Set.of();
        }
        if (total == 1) {
            return Set.of(graph.name(byRank[wanted.nextSetBit(0)]));
        }
        Set<String> found = new LinkedHashSet<>();
        BitSet seen = new BitSet(graph.size());
        Deque<Integer> queue = new ArrayDeque<>();
        enqueue(queue, graph.invokeTargets(start));
        while (!queue.isEmpty() && found.size() < total) {
            int next = queue.poll();
            if (seen.get(next)) {
                continue;
            }
            seen.set(next);
            if (rendezvous.get(next)) {
                found.add(graph.name(next));
            } else if (passThrough.get(next)) {
                enqueue(queue, graph.invokeTargets(next));
            }
        }
        return Collections.unmodifiableSet(found);
    }

    /** Queues the targets that can lead to a rendezvous; the others would find nothing and change no order. */
    private void enqueue(Deque<Integer> queue, int[] targets) {
        for (int target : targets) {
            if (!ahead[target].isEmpty()) {
                queue.add(target);
            }
        }
    }
}
