package dev.orchestra4j.flow.internal;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.flow.CompiledFlow;
import dev.orchestra4j.flow.GraphTask;
import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.TaskGraphListener;
import dev.orchestra4j.flow.WorkflowType;
import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles a validated task graph (research §4.3):
 *
 * <ul>
 *   <li>sequential: {@code Start -> t1 -> … -> tn -> End};
 *   <li>parallel: a dispatcher {@code graph#dispatch} forks every task, each hands its result back;
 *   <li>graph: the dispatcher forks the roots, edges {@code dep -> task} (a task with two or more dependencies is a
 *       rendezvous), every sink hands back to the dispatcher, which delivers the summary to End.
 * </ul>
 */
public final class GraphCompiler {

    /** The dispatcher and collector node of parallel and graph workflows. */
    public static final String DISPATCH = "graph#dispatch";

    private GraphCompiler() {}

    /**
     * Topologies by graph shape (type, task ids, dependencies): a topology is immutable and depends on nothing else, so
     * workflows of one shape share one (its digest and analysis are computed once). Bounded: emptied when full.
     */
    private static final int SHAPES_MAX = 256;

    private static final ConcurrentHashMap<String, Topology> SHAPES = new ConcurrentHashMap<>();

    public static CompiledFlow compile(TaskGraph graph, RoleRegistry roles, TaskGraphListener listener) {
        List<GraphTask> tasks = graph.tasks();
        Map<String, List<String>> dependants = dependants(tasks);
        AgentRegistry agents = AgentRegistry.create();
        GraphNodes nodes = new GraphNodes(graph, roles, listener);
        List<String> roots = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            GraphTask t = tasks.get(i);
            switch (graph.workflowType()) {
                case SEQUENTIAL -> {
                    String next = i + 1 < tasks.size() ? tasks.get(i + 1).agentId() : Node.END;
                    agents.register(
                            t.agentId(), nodes.task(t, next.equals(Node.END) ? List.of() : List.of(next), null));
                }
                case PARALLEL -> {
                    roots.add(t.agentId());
                    agents.register(t.agentId(), nodes.task(t, List.of(), DISPATCH));
                }
                case GRAPH -> {
                    if (t.dependsOn().isEmpty()) {
                        roots.add(t.agentId());
                    }
                    List<String> next = dependants.getOrDefault(t.agentId(), List.of());
                    agents.register(t.agentId(), nodes.task(t, next, next.isEmpty() ? DISPATCH : null));
                }
            }
        }
        if (graph.workflowType() != WorkflowType.SEQUENTIAL) {
            agents.register(DISPATCH, nodes.dispatcher(roots));
        }
        int steps = tasks.size() + (graph.workflowType() == WorkflowType.SEQUENTIAL ? 0 : 2);
        return CompiledFlow.of(
                graph.workflowId(), topology(graph.workflowType(), tasks, dependants), agents, steps + 1);
    }

    private static Topology topology(WorkflowType type, List<GraphTask> tasks, Map<String, List<String>> dependants) {
        StringBuilder key = new StringBuilder(type.name());
        for (GraphTask t : tasks) { // each id length-prefixed: no id can fake a separator
            key.append(';').append(t.agentId().length()).append(':').append(t.agentId());
            for (String dep : t.dependsOn()) {
                key.append('<').append(dep.length()).append(':').append(dep);
            }
        }
        Topology cached = SHAPES.get(key.toString());
        if (cached != null) {
            return cached;
        }
        Topology built = build(type, tasks, dependants);
        if (SHAPES.size() >= SHAPES_MAX) {
            SHAPES.clear();
        }
        SHAPES.put(key.toString(), built);
        return built;
    }

    private static Topology build(WorkflowType type, List<GraphTask> tasks, Map<String, List<String>> dependants) {
        Topology.Builder topology = Topology.builder();
        switch (type) {
            case SEQUENTIAL -> {
                String previous = Node.START;
                for (GraphTask t : tasks) {
                    topology.edge(previous + " -> " + t.agentId());
                    previous = t.agentId();
                }
                topology.edge(previous + " -> " + Node.END);
            }
            case PARALLEL -> {
                dispatcher(topology);
                for (GraphTask t : tasks) {
                    topology.edge(DISPATCH + " -> " + t.agentId()).edge(t.agentId() + " -> " + DISPATCH);
                }
            }
            case GRAPH -> graph(tasks, dependants, topology);
        }
        return topology.build();
    }

    private static void graph(List<GraphTask> tasks, Map<String, List<String>> dependants, Topology.Builder topology) {
        for (GraphTask t : tasks) {
            topology.node(t.agentId());
            if (t.dependsOn().isEmpty()) {
                topology.edge(DISPATCH + " -> " + t.agentId());
            }
            for (String dep : t.dependsOn().stream().distinct().toList()) {
                topology.edge(dep + " -> " + t.agentId());
            }
            if (dependants.getOrDefault(t.agentId(), List.of()).isEmpty()) {
                topology.edge(t.agentId() + " -> " + DISPATCH);
            }
        }
        dispatcher(topology);
    }

    private static void dispatcher(Topology.Builder topology) {
        topology.node(new Node(DISPATCH, NodeKind.AGENT, ConvergenceMode.DISABLED, Map.of("flow.synthetic", true)));
        topology.edge(Node.START + " -> " + DISPATCH).edge(DISPATCH + " -> " + Node.END);
    }

    private static Map<String, List<String>> dependants(List<GraphTask> tasks) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (GraphTask t : tasks) {
            for (String dep : t.dependsOn().stream().distinct().toList()) {
                out.computeIfAbsent(dep, k -> new ArrayList<>()).add(t.agentId());
            }
        }
        return out;
    }
}
