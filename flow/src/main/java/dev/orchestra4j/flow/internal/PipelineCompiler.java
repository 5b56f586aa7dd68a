package dev.orchestra4j.flow.internal;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.flow.CompiledFlow;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.Route;
import dev.orchestra4j.flow.Score;
import dev.orchestra4j.flow.Step;
import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a pipeline (research §2.3): a node per step occurrence (a step used twice gets {@code id#2}), an {@code
 * ensemble#k} hub forking its members, a {@code fork#k} gate with {@code [when route-i]} edges, a {@code cycle#k} gate
 * with {@code [when continue]}/{@code [when exit]} edges. No node is a rendezvous. {@code maxSteps} is derived.
 */
public final class PipelineCompiler {

    /** Node metadata: the step a node runs. */
    public static final String STEP = "flow.step";
    /** Node metadata: the node is a compiler's gate or hub. */
    public static final String SYNTHETIC = "flow.synthetic";

    private PipelineCompiler() {}

    public static CompiledFlow compile(Pipeline pipeline) {
        return new Run(pipeline).compile();
    }

    /** One compilation. */
    private static final class Run {
        private final Pipeline pipeline;
        private final PipelineNodes nodes;
        private final Map<String, Node> nodeDefs = new LinkedHashMap<>();
        private final List<Edge> edges = new ArrayList<>();
        private final AgentRegistry agents = AgentRegistry.create();
        private final Map<String, Integer> occurrences = new HashMap<>();
        private final List<List<String>> stepNames = new ArrayList<>();
        private java.util.Iterator<String> names = java.util.Collections.emptyIterator();
        private int steps;

        Run(Pipeline pipeline) {
            this.pipeline = pipeline;
            this.nodes = new PipelineNodes(pipeline.id(), pipeline.metadata());
        }

        CompiledFlow compile() {
            List<Score.Block> blocks = pipeline.blocks();
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                List<String> names = new ArrayList<>();
                for (Step<?, ?> step : blocks.get(i).steps()) {
                    int n = occurrences.merge(step.id(), 1, Integer::sum);
                    names.add(n == 1 ? step.id() : step.id() + NodeNames.SYNTHETIC + n);
                }
                stepNames.add(names);
                entries.add(entryName(blocks.get(i), i + 1, names));
            }
            edges.add(Edge.of(Node.START, entries.getFirst()));
            for (int i = 0; i < blocks.size(); i++) {
                String next = i + 1 < blocks.size() ? entries.get(i + 1) : Node.END;
                names = stepNames.get(i).iterator();
                block(blocks.get(i), entries.get(i), next);
            }
            Topology.Builder topology = Topology.builder();
            nodeDefs.values().forEach(topology::node);
            edges.forEach(topology::edge);
            return CompiledFlow.of(pipeline.id(), topology.build(), agents, steps + 1);
        }

        private static String entryName(Score.Block block, int k, List<String> names) {
            return switch (block) {
                case Score.Block.Serial serial -> names.getFirst();
                case Score.Block.Ensemble e -> "ensemble#" + k;
                case Score.Block.Fork f -> "fork#" + k;
                case Score.Block.Cycle c -> "cycle#" + k;
            };
        }

        private void block(Score.Block block, String entry, String next) {
            switch (block) {
                case Score.Block.Serial serial -> {
                    stepNode(serial.step(), next, false);
                    steps += 1;
                }
                case Score.Block.Ensemble ensemble -> {
                    synthetic(entry);
                    List<String> members = new ArrayList<>();
                    for (Step<?, ?> member : ensemble.members()) {
                        String node = stepNode(member, entry, ensemble.collectErrors());
                        members.add(node);
                        edges.add(Edge.of(entry, node));
                    }
                    edges.add(Edge.of(entry, next));
                    agents.register(entry, nodes.ensemble(entry, members, ensemble, next));
                    steps += members.size() + 2;
                }
                case Score.Block.Fork fork -> {
                    synthetic(entry);
                    List<String> targets = new ArrayList<>();
                    int i = 1;
                    for (Route route : fork.routes()) {
                        String node = stepNode(route.step(), next, false);
                        targets.add(node);
                        edges.add(Edge.when(entry, node, "route-" + i++));
                    }
                    Optional<String> otherwise = fork.otherwise().map(s -> stepNode(s, next, false));
                    otherwise.ifPresent(o -> edges.add(Edge.when(entry, o, "otherwise")));
                    if (otherwise.isEmpty() && !fork.strict()) {
                        edges.add(Edge.when(entry, next, "none"));
                    }
                    agents.register(entry, nodes.fork(entry, fork, targets, otherwise, next));
                    steps += 2;
                }
                case Score.Block.Cycle cycle -> {
                    synthetic(entry);
                    String body = stepNode(cycle.step(), entry, false);
                    edges.add(Edge.when(entry, body, "continue"));
                    edges.add(Edge.when(entry, next, "exit"));
                    agents.register(entry, nodes.cycle(entry, cycle, body, next));
                    steps += 2 * cycle.maxCycles() + 1;
                }
            }
        }

        /** Adds a node for one occurrence of {@code step}, handing on to {@code next}; returns its name. */
        private String stepNode(Step<?, ?> step, String next, boolean catchErrors) {
            String name = names.next();
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put(STEP, step.id());
            step.timeout().ifPresent(t -> metadata.put("step_timeout", t.toString()));
            if (step.maxRetries() >= 0) {
                metadata.put("max_retries", step.maxRetries());
            }
            nodeDefs.put(name, new Node(name, NodeKind.AGENT, ConvergenceMode.DISABLED, metadata));
            edges.add(Edge.of(name, next));
            agents.register(name, nodes.step(step, next, catchErrors));
            return name;
        }

        private void synthetic(String name) {
            nodeDefs.put(name, new Node(name, NodeKind.AGENT, ConvergenceMode.DISABLED, Map.of(SYNTHETIC, true)));
        }
    }
}
