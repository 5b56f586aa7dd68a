package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

final class GraphIndexTest {

    private static List<Node> nodes(int count) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(Node.of("N" + i));
        }
        return nodes;
    }

    private static List<Edge> edges(List<int[]> pairs, int count) {
        return pairs.stream()
                .map(pair -> Edge.of("N" + Math.floorMod(pair[0], count), "N" + Math.floorMod(pair[1], count)))
                .toList();
    }

    @Property(tries = 500)
    void canReach_randomGraph_agreesWithNaiveSearch(
            @ForAll @IntRange(min = 1, max = 12) int count,
            @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 11) Integer> sources,
            @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 11) Integer> targets) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < Math.min(sources.size(), targets.size()); i++) {
            pairs.add(new int[] {sources.get(i), targets.get(i)});
        }
        List<Edge> edges = edges(pairs, count);
        GraphIndex graph = GraphIndex.of(nodes(count), edges);
        for (int from = 0; from < count; from++) {
            BitSet expected = naive(edges, count, from);
            for (int to = 0; to < count; to++) {
                assertThat(graph.canReach(from, to)).as("N%d -> N%d", from, to).isEqualTo(expected.get(to));
            }
        }
        for (List<Integer> cycle : graph.cycles()) {
            for (int a : cycle) {
                for (int b : cycle) {
                    assertThat(graph.canReach(a, b)).isTrue();
                }
            }
        }
        long onCycles = graph.cycles().stream().mapToLong(List::size).sum();
        long selfReaching = java.util.stream.IntStream.range(0, count)
                .filter(i -> graph.canReach(i, i))
                .count();
        assertThat(onCycles).isEqualTo(selfReaching);
    }

    @Test
    void cycles_longChainClosedIntoRing_noStackOverflow() {
        int count = 20_000;
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(new int[] {i, i + 1});
        }
        GraphIndex graph = GraphIndex.of(nodes(count), edges(pairs, count));
        assertThat(graph.cycles()).singleElement().satisfies(cycle -> assertThat(cycle)
                .hasSize(count));
    }

    @Test
    void reachableOverAllEdges_followsErrorEdges() {
        List<Node> nodes = nodes(3);
        GraphIndex graph = GraphIndex.of(nodes, List.of(Edge.of("N0", "N1"), Edge.onError("N1", "N2")));
        assertThat(graph.reachableOverAllEdges(0).cardinality()).isEqualTo(3);
        assertThat(graph.canReach(0, 2)).isFalse();
        assertThat(graph.invokeSuccessors(1)).isEmpty();
        assertThat(graph.indexOf("missing")).isEqualTo(-1);
    }

    private static BitSet naive(List<Edge> edges, int count, int from) {
        BitSet seen = new BitSet(count);
        Deque<String> queue = new ArrayDeque<>(List.of("N" + from));
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (Edge edge : edges) {
                int target = Integer.parseInt(edge.target().substring(1));
                if (edge.source().equals(current) && !seen.get(target)) {
                    seen.set(target);
                    queue.add(edge.target());
                }
            }
        }
        return seen;
    }
}
