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

    public static CompiledFlow compile(TaskGraph graph, RoleRegistry roles, TaskGraphListener listener) {
        List<GraphTask> tasks = graph.tasks();
        Map<String, List<String>> dependants = dependants(tasks);
        Topology.Builder topology = Topology.builder();
        AgentRegistry agents = AgentRegistry.create();
        GraphNodes nodes = new GraphNodes(graph, roles, listener);
        switch (graph.workflowType()) {
            case SEQUENTIAL -> sequential(tasks, topology, agents, nodes);
            case PARALLEL -> {
                dispatcher(
                        topology,
                        agents,
                        nodes,
                        tasks.stream().map(GraphTask::agentId).toList());
                for (GraphTask t : tasks) {
                    topology.edge(DISPATCH + " -> " + t.agentId()).edge(t.agentId() + " -> " + DISPATCH);
                    agents.register(t.agentId(), nodes.task(t, List.of(), DISPATCH));
                }
            }
            case GRAPH -> graph(tasks, dependants, topology, agents, nodes);
        }
        int steps = tasks.size() + (graph.workflowType() == WorkflowType.SEQUENTIAL ? 0 : 2);
        return CompiledFlow.of(graph.workflowId(), topology.build(), agents, steps + 1);
    }

    private static void sequential(
            List<GraphTask> tasks, Topology.Builder topology, AgentRegistry agents, GraphNodes nodes) {
        String previous = Node.START;
        for (int i = 0; i < tasks.size(); i++) {
            GraphTask t = tasks.get(i);
            topology.edge(previous + " -> " + t.agentId());
            String next = i + 1 < tasks.size() ? tasks.get(i + 1).agentId() : Node.END;
            agents.register(t.agentId(), nodes.task(t, next.equals(Node.END) ? List.of() : List.of(next), null));
            previous = t.agentId();
        }
        topology.edge(previous + " -> " + Node.END);
    }

    private static void graph(
            List<GraphTask> tasks,
            Map<String, List<String>> dependants,
            Topology.Builder topology,
            AgentRegistry agents,
            GraphNodes nodes) {
        List<String> roots = new ArrayList<>();
        for (GraphTask t : tasks) {
            topology.node(t.agentId());
            if (t.dependsOn().isEmpty()) {
                roots.add(t.agentId());
                topology.edge(DISPATCH + " -> " + t.agentId());
            }
            for (String dep : t.dependsOn().stream().distinct().toList()) {
                topology.edge(dep + " -> " + t.agentId());
            }
            List<String> next = dependants.getOrDefault(t.agentId(), List.of());
            if (next.isEmpty()) {
                topology.edge(t.agentId() + " -> " + DISPATCH);
            }
            agents.register(t.agentId(), nodes.task(t, next, next.isEmpty() ? DISPATCH : null));
        }
        dispatcher(topology, agents, nodes, roots);
    }

    private static void dispatcher(
            Topology.Builder topology, AgentRegistry agents, GraphNodes nodes, List<String> firstWave) {
        topology.node(new Node(DISPATCH, NodeKind.AGENT, ConvergenceMode.DISABLED, Map.of("flow.synthetic", true)));
        topology.edge(Node.START + " -> " + DISPATCH).edge(DISPATCH + " -> " + Node.END);
        agents.register(DISPATCH, nodes.dispatcher(firstWave));
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
