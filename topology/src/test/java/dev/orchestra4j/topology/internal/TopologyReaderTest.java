package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Rule;
import dev.orchestra4j.topology.Topology;
import dev.orchestra4j.topology.TopologyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

final class TopologyReaderTest {

    private static final List<String> FLOWS = List.of("Start -> A", "A <-> B", "A -> End");

    private static Topology expected() {
        return Topology.builder()
                .node("A")
                .node("B")
                .edges(FLOWS.toArray(String[]::new))
                .build();
    }

    private static List<String> problems(Map<String, ?> map) {
        return catchThrowableOfType(TopologyException.class, () -> TopologyReader.fromMap(map))
                .problems();
    }

    @Test
    void fromMap_agentsAndFlows_buildsTopology() {
        assertThat(Topology.fromMap(Map.of("agents", List.of("A", "B"), "flows", FLOWS)))
                .isEqualTo(expected());
    }

    @Test
    void fromMap_marsysNodesAndEdges_areAliases() {
        assertThat(Topology.fromMap(Map.of("nodes", List.of("A", "B"), "edges", FLOWS)))
                .isEqualTo(expected());
    }

    @Test
    void fromMap_unknownKey_isNamed() {
        assertThat(problems(Map.of("agents", List.of("A", "B"), "flows", FLOWS, "agent_list", List.of())))
                .singleElement()
                .asString()
                .startsWith("unknown key 'agent_list'");
    }

    @Test
    void fromMap_keyAndItsAlias_rejected() {
        assertThat(problems(Map.of("agents", List.of("A", "B"), "nodes", List.of("A"), "flows", FLOWS)))
                .containsExactly("use either 'agents' or its alias 'nodes', not both");
    }

    @Test
    void fromMap_flowNamingUndeclaredAgent_rejected() {
        assertThat(problems(Map.of("agents", List.of("A"), "flows", FLOWS)))
                .containsExactly("flow 'A -> B' references 'B', which is not listed in 'agents'");
    }

    @Test
    void fromMap_wrongValueTypes_reportedTogether() {
        assertThat(problems(Map.of("agents", "A", "flows", List.of(3), "rules", List.of(true), "metadata", "x")))
                .containsExactlyInAnyOrder(
                        "'agents' must be a list, was the string 'A'",
                        "flows[0]: expected an edge notation, an Edge or an object, was the integer 3",
                        "rules[0]: expected a rule notation or an object, was the boolean true",
                        "'metadata' must be an object, was the string 'x'");
    }

    @Test
    void fromMap_objects_forNodesEdgesAndRules() {
        Topology topology = Topology.fromMap(Map.of(
                "agents",
                List.of(Map.of("name", "A", "convergence", "force", "metadata", Map.of("role", "lead")), "F"),
                "flows",
                List.of(
                        "Start -> A",
                        Map.of("source", "A", "target", "End", "condition", "done"),
                        Map.of("source", "A", "target", "F", "kind", "error"),
                        "F -> End"),
                "rules",
                List.of(
                        Map.of("type", "timeout", "seconds", 1.5),
                        Map.of("type", "max_turns", "agent", "A", "turns", 2),
                        Map.of("type", "parallel", "agents", List.of("A", "F")))));
        assertThat(topology.node("A").orElseThrow().convergence()).isEqualTo(ConvergenceMode.FORCE);
        assertThat(topology.node("A").orElseThrow().metadata()).containsEntry("role", "lead");
        assertThat(topology.edges().get(1)).isEqualTo(Edge.when("A", "End", "done"));
        assertThat(topology.edges().get(2).kind()).isEqualTo(EdgeKind.ERROR);
        assertThat(topology.rules())
                .containsExactly(
                        new Rule.Timeout(Duration.ofMillis(1500)),
                        new Rule.MaxTurns("A", 2),
                        new Rule.Parallel(List.of("A", "F")));
    }

    @Test
    void fromMap_badObjects_eachReported() {
        assertThat(problems(Map.of(
                        "agents",
                                List.of(Map.of("name", "A", "colour", "red"), Map.of("name", "B", "convergence", "x")),
                        "flows", List.of(Map.of("source", "A")),
                        "rules", List.of(Map.of("type", "retries"), Map.of("type", "max_steps", "count", 3)))))
                .containsExactly(
                        "agents[0]: unknown key 'colour', expected one of [convergence, kind, metadata, name]",
                        "agents[1]: convergence must be one of [auto, force, disabled], was 'x'",
                        "flows[0]: missing 'target'",
                        "rules[0]: rule object needs a 'type', one of [convergence_point, max_agents, max_steps, "
                                + "max_turns, parallel, timeout], was the string 'retries'",
                        "rules[1]: unknown key 'count' in a 'max_steps' rule, expected [steps]");
    }

    @Test
    void fromMap_duplicateAgent_reported() {
        assertThat(problems(Map.of("agents", List.of("A", "A", "B"), "flows", FLOWS)))
                .containsExactly("agents[1]: duplicate agent 'A'");
    }

    @Test
    void fromMap_badNotations_allReportedWithPositions() {
        assertThat(problems(
                        Map.of("flows", List.of("Start -> A", "A => B", "A -> End"), "rules", List.of("max_steps(0)"))))
                .hasSize(2)
                .allMatch(problem -> problem.contains("position"));
    }

    @Test
    void fromMap_validationProblems_reportedAfterReading() {
        assertThat(problems(Map.of("flows", List.of("Start -> A", "A -> B"))))
                .containsExactly("'A' cannot reach 'End' or 'User'", "'B' cannot reach 'End' or 'User'");
    }

    @Test
    void fromJson_documentFromMarsysDocs_readsNodesAsAgents() {
        Topology topology = Topology.fromJson("""
                {"nodes": ["Summarizer"], "edges": []}
                """);
        assertThat(topology.analysis().entryAgents()).containsExactly("Summarizer");
        assertThat(topology.analysis().exitAgents()).containsExactly("Summarizer");
    }

    @Test
    void fromJson_malformed_reportsLine() {
        assertThatThrownBy(() -> Topology.fromJson("{\"agents\": [\n\"A\",, ]}"))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("cannot parse topology JSON at line 2");
    }

    @Test
    void fromJson_notAnObject_rejected() {
        assertThatThrownBy(() -> Topology.fromJson("[1, 2]"))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("must be an object");
    }

    @Test
    void fromJson_duplicateKey_rejected() {
        assertThatThrownBy(() -> Topology.fromJson("{\"flows\": [], \"flows\": []}"))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("flows");
    }

    @Test
    void fromYaml_fullDocument_buildsTopology() {
        Topology topology = Topology.fromYaml("""
                agents:
                  - Planner
                  - Web Searcher
                  - Fixer
                  - name: Merger
                    convergence: force
                flows:
                  - Start -> Planner
                  - Planner -> Web Searcher
                  - Web Searcher -> Merger [when found]
                  - Planner -> Merger
                  - Merger -> End
                  - Planner -> Fixer [on error]
                  - Fixer -> End
                rules:
                  - timeout(300)
                  - max_steps(40)
                metadata:
                  owner: research
                """);
        assertThat(topology.analysis().rendezvousNodes()).containsExactly("Merger");
        assertThat(topology.analysis().errorTarget("Planner")).contains("Fixer");
        assertThat(topology.edges().get(2).condition()).contains("found");
        assertThat(topology.rules(Rule.MaxSteps.class)).containsExactly(new Rule.MaxSteps(40));
        assertThat(topology.metadata()).containsEntry("owner", "research");
    }

    @Test
    void fromYaml_unknownKey_rejected() {
        assertThatThrownBy(() -> Topology.fromYaml("agent: [A]\nflows: ['A -> B']"))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("unknown key 'agent'");
    }

    @Property(tries = 1000)
    void fromMap_randomDocument_onlyEverThrowsTopologyException(@ForAll("documents") Map<String, Object> document) {
        try {
            Topology topology = Topology.fromMap(document);
            assertThat(Topology.fromJson(topology.toJson())).isEqualTo(topology);
        } catch (TopologyException e) {
            assertThat(e.problems()).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> documents() {
        return Arbitraries.randoms().map(TopologyReaderTest::document);
    }

    private static final List<String> KEYS = List.of(
            "agents",
            "nodes",
            "flows",
            "edges",
            "rules",
            "metadata",
            "entry_point",
            "exit_points",
            "name",
            "convergence",
            "source",
            "target",
            "kind",
            "condition",
            "type",
            "seconds",
            "steps",
            "agent",
            "turns",
            "node",
            "bogus");
    private static final List<Object> SCALARS = List.of(
            "A",
            "B",
            "Start",
            "End",
            "User",
            "A -> B",
            "Start -> A",
            "A -> End",
            "B -> User",
            "User -> A",
            "A <~> B",
            "A -> B [when ok]",
            "A -> B [on error]",
            "max_steps(3)",
            "timeout(1.5)",
            "parallel(A, B)",
            "force",
            "error",
            "timeout",
            "max_turns",
            0,
            -1,
            3,
            2.5,
            true,
            "");

    private static Map<String, Object> document(Random random) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i >= 0; i--) {
            map.put(KEYS.get(random.nextInt(9)), value(random, 2));
        }
        return map;
    }

    private static Object value(Random random, int depth) {
        int choice = depth == 0 ? 0 : random.nextInt(4);
        if (choice == 1) {
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                list.add(value(random, depth - 1));
            }
            return list;
        }
        if (choice == 2) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                map.put(KEYS.get(random.nextInt(KEYS.size())), value(random, depth - 1));
            }
            return map;
        }
        return SCALARS.get(random.nextInt(SCALARS.size()));
    }

    @Test
    void fromMap_marsysEdgeObjectWithMetadataCondition_isConditional() {
        Topology topology = Topology.fromMap(Map.of(
                "nodes",
                List.of("Validator", "ProcessorA", "ProcessorB", "Finalizer"),
                "edges",
                List.of(
                        "Validator -> ProcessorA",
                        "Validator -> ProcessorB",
                        Map.of("source", "ProcessorA", "target", "Finalizer", "metadata", Map.of("condition", "valid")),
                        Map.of(
                                "source",
                                "ProcessorB",
                                "target",
                                "Finalizer",
                                "metadata",
                                Map.of("condition", "invalid")))));
        assertThat(topology.edges().stream().map(Edge::notation))
                .contains("ProcessorA -> Finalizer [when valid]", "ProcessorB -> Finalizer [when invalid]");
    }

    @Test
    void fromMap_edgeObjectWithKnobMetadata_reportedWithItsPlace() {
        assertThat(problems(Map.of(
                        "agents", List.of("A", "B"),
                        "flows", List.of(Map.of("source", "A", "target", "B", "metadata", Map.of("priority", 1))))))
                .singleElement()
                .asString()
                .startsWith("flows[0]: edge metadata 'priority' is not an edge setting");
    }

    @Test
    void fromMap_selfReferencingMetadata_topologyException() {
        Map<String, Object> loop = new LinkedHashMap<>();
        loop.put("me", loop);
        assertThat(problems(Map.of("agents", List.of("A"), "flows", List.of(), "metadata", loop)))
                .singleElement()
                .asString()
                .contains("contains itself");
    }

    @Test
    void fromMap_selfReferencingRuleObject_topologyException() {
        List<Object> agents = new ArrayList<>();
        Map<String, Object> rule = new LinkedHashMap<>(Map.of("type", "parallel"));
        rule.put("agents", agents);
        agents.add(rule);
        assertThat(problems(Map.of("agents", List.of("A"), "flows", List.of(), "rules", List.of(rule))))
                .singleElement()
                .asString()
                .contains("rule arguments must be names or numbers");
    }

    @Test
    void fromYaml_anchorsAndAliases_buildOrThrowTopologyException() {
        String yaml = "agents: &a [A, *a]\nflows: []\n";
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(2), () -> {
            try {
                Topology.fromYaml(yaml);
            } catch (TopologyException expected) {
                assertThat(expected.problems()).isNotEmpty();
            }
        });
    }

    @Test
    void fromMap_edgeInstancesBesideNotations_areTaken() {
        Topology topology = Topology.fromMap(Map.of(
                "agents", List.of("A", "B"),
                "flows", List.of("Start -> A", Edge.when("A", "B", "ok"), "A -> End", "B -> End")));
        assertThat(topology.edges()).contains(Edge.when("A", "B", "ok"));
    }

    @Test
    void fromMap_legacyUserToEnd_reportedInsteadOfBecomingStartToEnd() {
        assertThat(problems(Map.of("agents", List.of("A"), "flows", List.of("User -> End", "A -> End"))))
                .containsExactly("flow 'User -> End' starts no agent: 'User -> X' makes X the entry agent, so X "
                        + "must be an agent");
    }
}
