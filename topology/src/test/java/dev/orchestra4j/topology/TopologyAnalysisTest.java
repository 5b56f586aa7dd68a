package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

final class TopologyAnalysisTest {

    private static TopologyAnalysis analyse(String... edges) {
        return Topology.builder().edges(edges).build().analysis();
    }

    @Test
    void rendezvous_hubWithReturnEdges_isNot() {
        TopologyAnalysis analysis = analyse("Start -> Hub", "Hub <-> A", "Hub <-> B", "Hub -> End");
        assertThat(analysis.rendezvousNodes()).isEmpty();
        assertThat(analysis.isRendezvous("Hub")).isFalse();
    }

    @Test
    void rendezvous_aggregatorFedByTwoOneWayPaths_is() {
        TopologyAnalysis analysis =
                analyse("Start -> Split", "Split -> A", "Split -> B", "A -> Merge", "B -> Merge", "Merge -> End");
        assertThat(analysis.rendezvousNodes()).containsExactly("Merge");
    }

    @Test
    void rendezvous_startCountsAsIncoming_makesEntryARendezvous() {
        // Start and X are two inputs of A (the loop C -> A would not be one: see rendezvous_loopBack...)
        TopologyAnalysis analysis = analyse("Start -> A", "Start -> X", "X -> A", "A -> B", "B -> End");
        assertThat(analysis.isRendezvous("A")).isTrue();
    }

    @Test
    void rendezvous_twoEdgesFromOneSource_countOnce() {
        TopologyAnalysis analysis = analyse("Start -> A", "A -> B [when x]", "A -> B [when y]", "B -> End", "A -> End");
        assertThat(analysis.isRendezvous("B")).isFalse();
    }

    @Test
    void rendezvous_errorEdges_doNotCount() {
        TopologyAnalysis analysis = analyse(
                "Start -> A", "A -> B", "B -> End", "A -> Fixer [on error]", "B -> Fixer [on error]", "Fixer -> End");
        assertThat(analysis.isRendezvous("Fixer")).isFalse();
    }

    @Test
    void rendezvous_forceWinsOverReciprocalEdges() {
        Topology topology = Topology.builder()
                .edges("Start -> Hub", "Hub <-> A", "Hub -> End")
                .convergence("A", ConvergenceMode.FORCE)
                .build();
        assertThat(topology.analysis().rendezvousNodes()).containsExactly("A");
    }

    @Test
    void rendezvous_disabledWinsOverOneWayInputs() {
        Topology topology = Topology.builder()
                .edges("Start -> S", "S -> A", "S -> B", "A -> M", "B -> M", "M -> End")
                .convergence("M", ConvergenceMode.DISABLED)
                .build();
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
    }

    @Test
    void rendezvous_convergencePointRule_forces() {
        Topology topology = Topology.builder()
                .edges("Start -> A", "A -> B", "B -> End")
                .rule("convergence_point(B)")
                .build();
        assertThat(topology.analysis().rendezvousNodes()).containsExactly("B");
    }

    @Test
    void rendezvous_reservedNodes_never() {
        TopologyAnalysis analysis = analyse("Start -> A", "Start -> B", "A -> End", "B -> End", "A -> User");
        assertThat(analysis.rendezvousNodes()).isEmpty();
    }

    @Test
    void entryAndExitAgents_followStartAndEndEdges() {
        TopologyAnalysis analysis = analyse("Start -> A", "Start -> B", "A -> End", "B -> C", "C -> End", "B -> End");
        assertThat(analysis.entryAgents()).containsExactly("A", "B");
        assertThat(analysis.exitAgents()).containsExactly("A", "C", "B");
    }

    @Test
    void successors_invokeTargetsInDeclarationOrder_distinct_withEndAndUser() {
        TopologyAnalysis analysis = analyse(
                "Start -> A",
                "A -> C",
                "A -> B [when b]",
                "A -> B [when bb]",
                "A -> User",
                "A -> End",
                "A -> F [on error]",
                "B -> End",
                "C -> End",
                "F -> End");
        assertThat(analysis.successors("A")).containsExactly("C", "B", "User", "End");
        assertThat(analysis.outgoing("A")).hasSize(5).allMatch(edge -> edge.kind() == EdgeKind.INVOKE);
        assertThat(analysis.canInvoke("A", "B")).isTrue();
        assertThat(analysis.canInvoke("A", "F")).isFalse();
        assertThat(analysis.errorTarget("A")).contains("F");
        assertThat(analysis.errorTarget("B")).isEmpty();
        assertThat(analysis.canFinish("A")).isTrue();
        assertThat(analysis.canAskUser("A")).isTrue();
        assertThat(analysis.canAskUser("B")).isFalse();
    }

    @Test
    void queries_unknownNode_answerEmpty() {
        TopologyAnalysis analysis = analyse("Start -> A", "A -> End");
        assertThat(analysis.successors("X")).isEmpty();
        assertThat(analysis.outgoing("X")).isEmpty();
        assertThat(analysis.canReach("X", "A")).isFalse();
        assertThat(analysis.reachableRendezvous("X")).isEmpty();
        assertThat(analysis.errorTarget("X")).isEmpty();
    }

    @Test
    void stronglyConnectedComponents_findsCyclesAndSelfLoops() {
        TopologyAnalysis analysis = analyse(
                "Start -> A", "A -> B", "B -> C", "C -> A", "C -> B", "C -> End", "Start -> D", "D -> D", "D -> End");
        assertThat(analysis.stronglyConnectedComponents()).containsExactly(Set.of("A", "B", "C"), Set.of("D"));
    }

    @Test
    void canReach_transitiveOverInvokeEdges_needsAtLeastOneEdge() {
        TopologyAnalysis analysis =
                analyse("Start -> A", "A -> B", "B -> C", "C -> End", "A -> F [on error]", "F -> End");
        assertThat(analysis.canReach("A", "C")).isTrue();
        assertThat(analysis.canReach("A", "End")).isTrue();
        assertThat(analysis.canReach("C", "A")).isFalse();
        assertThat(analysis.canReach("A", "A")).isFalse();
        assertThat(analysis.canReach("A", "F")).isFalse();
    }

    @Test
    void canReach_onCycle_reachesItself() {
        TopologyAnalysis analysis = analyse("Start -> A", "A <-> B", "A -> End");
        assertThat(analysis.canReach("A", "A")).isTrue();
    }

    @Test
    void reachableRendezvous_stopsAtFirstRendezvousOnEachPath() {
        TopologyAnalysis analysis = analyse(
                "Start -> S",
                "S -> A",
                "S -> B",
                "A -> M1",
                "B -> M1",
                "M1 -> X",
                "M1 -> Y",
                "X -> M2",
                "Y -> M2",
                "M2 -> End");
        assertThat(analysis.rendezvousNodes()).containsExactly("M1", "M2");
        assertThat(analysis.reachableRendezvous("S")).containsExactly("M1");
        assertThat(analysis.reachableRendezvous("M1")).containsExactly("M2");
        assertThat(analysis.reachableRendezvous("X")).containsExactly("M2");
        assertThat(analysis.reachableRendezvous("M2")).isEmpty();
        assertThat(analysis.reachableRendezvous("Start")).containsExactly("M1");
    }

    @Test
    void maxTurns_alternatingEdge_defaultsToTen() {
        TopologyAnalysis analysis = analyse("Start -> A", "A <~> B", "A -> End");
        assertThat(analysis.maxTurns("A", "B")).hasValue(10);
        assertThat(analysis.maxTurns("B", "A")).hasValue(10);
        assertThat(analysis.maxTurns("Start", "A")).isEmpty();
    }

    @Test
    void maxTurns_ruleOnEitherEndpoint_winsOverEdge() {
        Topology topology = Topology.builder()
                .edges("Start -> A", "A <~> B", "A -> End")
                .rule("max_turns(B, 3)")
                .build();
        assertThat(topology.analysis().maxTurns("A", "B")).hasValue(3);
        assertThat(topology.analysis().maxTurns("B", "A")).hasValue(3);
    }

    @Test
    void maxTurns_edgeMetadata_isRead() {
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge(new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), Map.of("max_turns", 4)))
                .edge("B -> End")
                .build();
        assertThat(topology.analysis().maxTurns("A", "B")).hasValue(4);
    }

    @Test
    void lists_areImmutable() {
        TopologyAnalysis analysis = analyse("Start -> A", "A -> End");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> analysis.successors("A").add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(analysis.entryAgents()).isEqualTo(List.of("A"));
    }

    @Property(tries = 300)
    void canReach_randomTopology_agreesWithNaiveSearch(@ForAll("topologies") Topology topology) {
        TopologyAnalysis analysis = topology.analysis();
        for (Node from : topology.nodes()) {
            Set<String> reached = naiveReach(topology, from.name());
            for (Node to : topology.nodes()) {
                assertThat(analysis.canReach(from.name(), to.name()))
                        .as(from.name() + " -> " + to.name())
                        .isEqualTo(reached.contains(to.name()));
            }
        }
    }

    @Property(tries = 200)
    void stronglyConnectedComponents_randomTopology_membersReachEachOther(@ForAll("topologies") Topology topology) {
        TopologyAnalysis analysis = topology.analysis();
        Set<String> seen = new HashSet<>();
        for (Set<String> component : analysis.stronglyConnectedComponents()) {
            for (String a : component) {
                assertThat(seen.add(a)).as("%s in two components", a).isTrue();
                for (String b : component) {
                    assertThat(analysis.canReach(a, b)).isTrue();
                }
            }
        }
        for (Node node : topology.nodes()) {
            boolean onCycle = analysis.canReach(node.name(), node.name());
            assertThat(seen.contains(node.name())).as(node.name()).isEqualTo(onCycle);
        }
    }

    @Provide
    Arbitrary<Topology> topologies() {
        return RandomTopologies.valid();
    }

    private static Set<String> naiveReach(Topology topology, String from) {
        Set<String> reached = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (Edge edge : topology.edges()) {
                if (edge.kind() == EdgeKind.INVOKE && edge.source().equals(current) && reached.add(edge.target())) {
                    queue.add(edge.target());
                }
            }
        }
        return reached;
    }

    @Test
    void rendezvous_loopBackToEntryAgent_notARendezvous() {
        TopologyAnalysis analysis = analyse(
                "Start -> Planner",
                "Planner -> Coder",
                "Coder -> Tester",
                "Tester -> Planner [when fail]",
                "Tester -> End [when pass]");
        assertThat(analysis.rendezvousNodes()).isEmpty();
    }

    @Test
    void rendezvous_loopBackIntoTheMiddleOfAChain_notARendezvous() {
        TopologyAnalysis analysis =
                analyse("Start -> A", "A -> B", "B -> C", "C -> B", "X -> B", "Start -> X", "C -> End");
        // B is fed by A and X (two inputs) and by C, which loops back: still a rendezvous of A and X
        assertThat(analysis.rendezvousNodes()).containsExactly("B");
        assertThat(analyse("Start -> A", "A -> B", "B -> C", "C -> B", "C -> End")
                        .rendezvousNodes())
                .isEmpty();
    }

    @Test
    void rendezvous_joinInsideALoop_stillARendezvous() {
        TopologyAnalysis analysis =
                analyse("Start -> A", "A -> B", "A -> C", "B -> D", "C -> D", "D -> A [when again]", "D -> End");
        assertThat(analysis.rendezvousNodes()).containsExactly("D");
    }

    @Test
    void rendezvous_selfLoop_notAnInput() {
        assertThat(analyse("Start -> A", "A -> A", "A -> End").rendezvousNodes())
                .isEmpty();
    }

    @Test
    void dispatchGroup_memberOfParallelRule_wholeReachableGroupInRuleOrder() {
        Topology topology = Topology.builder()
                .edges("Start -> Hub", "Hub <-> A", "Hub <-> B", "Hub <-> C", "Hub -> End")
                .rule("parallel(C, A, Z)")
                .edges("Start -> Z", "Z -> End")
                .build();
        TopologyAnalysis analysis = topology.analysis();
        assertThat(analysis.dispatchGroup("Hub", "A")).containsExactly("C", "A");
        assertThat(analysis.dispatchGroup("Hub", "B")).containsExactly("B");
        assertThat(analysis.dispatchGroup("A", "Hub")).containsExactly("Hub");
        // a member handing to a fellow member is a plain hand-off
        assertThat(analysis.dispatchGroup("C", "A")).containsExactly("A");
        assertThat(analysis.hasDispatchGroups()).isTrue();
    }

    @Test
    void hasDispatchGroups_withoutParallelRule_isFalse_andEveryGroupIsItsTarget() {
        TopologyAnalysis analysis = analyse("Start -> Hub", "Hub <-> A", "Hub <-> B", "Hub -> End");
        assertThat(analysis.hasDispatchGroups()).isFalse();
        assertThat(analysis.dispatchGroup("Hub", "A")).containsExactly("A");
    }

    @Test
    void isSymmetricPeer_onlyForTheSymmetricArrow() {
        TopologyAnalysis analysis = analyse("Start -> A", "A <|> B", "A <-> C", "A -> End");
        assertThat(analysis.isSymmetricPeer("A", "B")).isTrue();
        assertThat(analysis.isSymmetricPeer("B", "A")).isTrue();
        assertThat(analysis.isSymmetricPeer("A", "C")).isFalse();
    }

    @Property(tries = 300)
    void reachableRendezvous_randomValidTopology_sameSetsInSameOrderAsPlainWalk(
            @ForAll("topologies") Topology topology) {
        assertSameAsPlainWalk(topology.nodes(), topology.analysis());
        assertSameAsPlainWalk(topology.nodes(), topology.analysis().explicitConvergenceOnly());
    }

    @Property(tries = 500)
    void reachableRendezvous_randomGraph_sameSetsInSameOrderAsPlainWalk(@ForAll("randoms") Random random) {
        List<Node> nodes = new ArrayList<>(List.of(Node.of(Node.START), Node.of(Node.END), Node.of(Node.USER)));
        int agents = 1 + random.nextInt(40);
        for (int i = 0; i < agents; i++) {
            int mode = random.nextInt(10);
            nodes.add(Node.of("a" + i)
                    .withConvergence(
                            mode == 0
                                    ? ConvergenceMode.FORCE
                                    : mode == 1 ? ConvergenceMode.DISABLED : ConvergenceMode.AUTO));
        }
        List<Edge> edges = new ArrayList<>();
        edges.add(Edge.of(Node.START, "a0"));
        if (random.nextBoolean()) { // long chains are what the shortcuts are for
            for (int i = 0; i + 1 < agents; i++) {
                edges.add(Edge.of("a" + i, "a" + (i + 1)));
            }
        }
        for (int i = random.nextInt(3 * agents + 1); i > 0; i--) {
            String source = random.nextInt(8) == 0 ? Node.START : "a" + random.nextInt(agents);
            int pick = random.nextInt(agents + 2);
            String target = pick == agents ? Node.END : pick == agents + 1 ? Node.USER : "a" + pick;
            edges.add(random.nextInt(6) == 0 ? Edge.onError(source, target) : Edge.of(source, target));
        }
        List<Rule> rules =
                random.nextInt(4) == 0 ? List.of(new Rule.ConvergencePoint("a" + random.nextInt(agents))) : List.of();
        TopologyAnalysis analysis = new TopologyAnalysis(nodes, edges, rules);
        assertSameAsPlainWalk(nodes, analysis);
        assertSameAsPlainWalk(nodes, analysis.explicitConvergenceOnly());
    }

    @Test
    void reachableRendezvous_longChain_isLinear() {
        Topology.Builder builder = Topology.builder().edge("Start -> a0").edge("Start -> b");
        int length = 20_000;
        for (int i = 0; i + 1 < length; i++) {
            builder.edge(Edge.of("a" + i, "a" + (i + 1)));
        }
        builder.edge(Edge.of("a" + (length - 1), "M")).edge("b -> M").edge("M -> End");
        TopologyAnalysis analysis = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> builder.build().analysis());
        assertThat(analysis.rendezvousNodes()).containsExactly("M");
        assertThat(analysis.reachableRendezvous("a0")).containsExactly("M");
        assertThat(analysis.reachableRendezvous("Start")).containsExactly("M");
    }

    @Provide
    Arbitrary<Random> randoms() {
        return Arbitraries.randoms();
    }

    /** The reference: a breadth-first walk from every node, as {@link TopologyAnalysis} once did. */
    private static void assertSameAsPlainWalk(List<Node> nodes, TopologyAnalysis analysis) {
        for (Node node : nodes) {
            Set<String> found = new LinkedHashSet<>();
            Set<String> seen = new HashSet<>();
            Deque<String> queue = new ArrayDeque<>(analysis.successors(node.name()));
            while (!queue.isEmpty()) {
                String next = queue.poll();
                if (!seen.add(next)) {
                    continue;
                }
                if (analysis.isRendezvous(next)) {
                    found.add(next);
                } else if (Node.kindOf(next) == NodeKind.AGENT) {
                    queue.addAll(analysis.successors(next));
                }
            }
            assertThat(List.copyOf(analysis.reachableRendezvous(node.name())))
                    .as(node.name())
                    .isEqualTo(List.copyOf(found));
        }
    }
}
