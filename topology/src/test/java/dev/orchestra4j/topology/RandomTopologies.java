package dev.orchestra4j.topology;

import dev.orchestra4j.topology.internal.EdgeParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random valid topologies for property tests: a chain {@code Start -> a0 -> ... -> End} keeps every agent
 * reachable and finishing, and random extra edges of every notation, conditions, error routes, convergence
 * modes, metadata and rules are added on top.
 */
final class RandomTopologies {
    private static final String[] ARROWS = {" -> ", " <-> ", " <~> ", " <|> "};

    private RandomTopologies() {}

    static Arbitrary<Topology> valid() {
        return Arbitraries.randoms().map(RandomTopologies::build);
    }

    static Topology build(Random random) {
        List<String> agents = agents(random);
        Topology.Builder builder = Topology.builder();
        agents.forEach(agent -> builder.node(node(agent, random)));
        Set<String> used = new HashSet<>();
        add(builder, used, "Start -> " + agents.get(0));
        for (int i = 0; i + 1 < agents.size(); i++) {
            add(builder, used, agents.get(i) + " -> " + agents.get(i + 1));
        }
        add(builder, used, agents.get(agents.size() - 1) + " -> End");
        Set<String> errorSources = new HashSet<>();
        for (int i = random.nextInt(2 * agents.size() + 1); i > 0; i--) {
            extraEdge(builder, used, errorSources, agents, random);
        }
        rules(builder, agents, random);
        if (random.nextBoolean()) {
            builder.metadata("pattern", "random").metadata("data", metadata(random, 2));
        }
        return builder.build();
    }

    private static List<String> agents(Random random) {
        List<String> agents = new ArrayList<>();
        int count = 1 + random.nextInt(7);
        for (int i = 0; i < count; i++) {
            agents.add(random.nextBoolean() ? "Agent " + i : "a-" + i + (random.nextBoolean() ? " (x)" : ""));
        }
        return agents;
    }

    private static Node node(String name, Random random) {
        ConvergenceMode mode = ConvergenceMode.values()[random.nextInt(3)];
        Map<String, Object> metadata = random.nextInt(3) == 0 ? metadata(random, 1) : Map.of();
        return new Node(name, NodeKind.AGENT, mode, metadata);
    }

    private static Map<String, Object> metadata(Random random, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "v" + random.nextInt(100));
        map.put("int", random.nextInt());
        map.put("long", random.nextLong() | (1L << 40));
        map.put("double", random.nextDouble() * 1e6);
        map.put("flag", random.nextBoolean());
        map.put("list", List.of(1, "two", 3.5, false));
        if (depth > 0) {
            map.put("nested", metadata(random, depth - 1));
        }
        return map;
    }

    private static void extraEdge(
            Topology.Builder builder, Set<String> used, Set<String> errorSources, List<String> agents, Random random) {
        String source = agents.get(random.nextInt(agents.size()));
        String target = random.nextInt(6) == 0 ? "User" : agents.get(random.nextInt(agents.size()));
        int style = random.nextInt(8);
        if (style < 4 && !target.equals("User") && !source.equals(target)) {
            add(builder, used, source + ARROWS[style] + target);
        } else if (style == 4) {
            add(builder, used, source + " -> " + target + " [when label " + random.nextInt(3) + "]");
        } else if (style == 5 && errorSources.add(source)) {
            add(builder, used, source + " -> " + target + " [on error]");
        } else if (style == 6) {
            Map<String, Object> metadata = Map.of("pattern", "directed", "weight", random.nextInt(5));
            Edge edge = new Edge(source, target, EdgeKind.INVOKE, Optional.empty(), metadata);
            if (used.add(edge.notation())) {
                builder.edge(edge);
            }
        } else {
            add(builder, used, source + " -> " + target);
        }
    }

    private static void add(Topology.Builder builder, Set<String> used, String notation) {
        List<Edge> edges = EdgeParser.parse(notation);
        if (edges.stream().allMatch(edge -> !used.contains(edge.notation()))) {
            edges.forEach(edge -> used.add(edge.notation()));
            builder.edge(notation);
        }
    }

    private static void rules(Topology.Builder builder, List<String> agents, Random random) {
        if (random.nextBoolean()) {
            builder.rule("timeout(" + (1 + random.nextInt(600)) + "." + random.nextInt(10) + ")");
        }
        if (random.nextBoolean()) {
            builder.rule(new Rule.MaxSteps(1 + random.nextInt(1000)));
        }
        if (random.nextBoolean()) {
            builder.rule(new Rule.MaxAgents(1 + random.nextInt(10)));
        }
        if (random.nextBoolean()) {
            builder.rule(new Rule.MaxTurns(agents.get(0), 1 + random.nextInt(9)));
        }
        if (agents.size() >= 2 && random.nextBoolean()) {
            builder.rule(new Rule.Parallel(agents.subList(0, 2)));
        }
    }
}
