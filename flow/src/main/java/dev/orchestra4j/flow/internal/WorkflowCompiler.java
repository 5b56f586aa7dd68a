package dev.orchestra4j.flow.internal;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.flow.CompiledFlow;
import dev.orchestra4j.flow.ConditionalStep;
import dev.orchestra4j.flow.FlowException;
import dev.orchestra4j.flow.LoopStep;
import dev.orchestra4j.flow.OnError;
import dev.orchestra4j.flow.ParallelStep;
import dev.orchestra4j.flow.ProcessingStep;
import dev.orchestra4j.flow.TaskStep;
import dev.orchestra4j.flow.WorkflowDefinition;
import dev.orchestra4j.flow.WorkflowStep;
import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles a workflow definition (research §3.2): a node per step named by its id; a conditional is a gate, a
 * parallel step a hub forking its children (in waves of {@code max_concurrency}), a loop a gate around its body;
 * {@code on_error} becomes an {@code [on error]} edge. The digest goes into the topology's metadata.
 */
public final class WorkflowCompiler {

    private WorkflowCompiler() {}

    public static CompiledFlow compile(WorkflowDefinition definition, AgentRegistry userAgents) {
        List<String> missing = new ArrayList<>();
        for (WorkflowStep s : WorkflowCheck.flatten(definition.steps())) {
            if (s instanceof TaskStep t && !userAgents.contains(t.agent())) {
                missing.add("step '" + t.id() + "' needs agent '" + t.agent() + "', which is not registered"
                        + " (registered: " + userAgents.names() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new FlowException("workflow '" + definition.name() + "' cannot be compiled", missing);
        }
        WorkflowNodes nodes = new WorkflowNodes(definition, userAgents);
        Map<String, Node> nodeDefs = new LinkedHashMap<>();
        Set<Edge> edges = new LinkedHashSet<>();
        AgentRegistry agents = AgentRegistry.create();
        List<WorkflowStep> top = definition.steps();
        edges.add(Edge.of(Node.START, top.getFirst().id()));
        int bound = 0;
        Map<String, String> nextOf = new LinkedHashMap<>();
        for (int i = 0; i < top.size(); i++) {
            WorkflowStep s = top.get(i);
            String next = i + 1 < top.size() ? top.get(i + 1).id() : Node.END;
            nextOf.put(s.id(), next);
            bound += switch (s) {
                case TaskStep t -> leaf(t, next, false, nodes, nodeDefs, edges, agents);
                case ProcessingStep p -> leaf(p, next, false, nodes, nodeDefs, edges, agents);
                case ConditionalStep c -> {
                    node(c, nodeDefs);
                    String otherwise = c.otherwise().map(WorkflowStep::id).orElse(null);
                    edges.add(Edge.when(c.id(), c.then().id(), "then"));
                    leaf(c.then(), next, false, nodes, nodeDefs, edges, agents);
                    c.otherwise().ifPresent(o -> {
                        edges.add(Edge.when(c.id(), o.id(), "else"));
                        leaf(o, next, false, nodes, nodeDefs, edges, agents);
                    });
                    if (otherwise == null) {
                        edges.add(Edge.when(c.id(), next, "none"));
                    }
                    agents.register(c.id(), nodes.conditional(c, c.then().id(), otherwise, next));
                    yield 2;
                }
                case ParallelStep p -> {
                    node(p, nodeDefs);
                    for (WorkflowStep child : p.steps()) {
                        edges.add(Edge.of(p.id(), child.id()));
                        leaf(child, p.id(), true, nodes, nodeDefs, edges, agents);
                    }
                    edges.add(Edge.of(p.id(), next));
                    agents.register(p.id(), nodes.parallel(p, next));
                    int waves = (p.steps().size() + p.maxConcurrency() - 1) / p.maxConcurrency();
                    yield p.steps().size() + waves + 1;
                }
                case LoopStep l -> {
                    node(l, nodeDefs);
                    edges.add(Edge.when(l.id(), l.step().id(), "continue"));
                    leaf(l.step(), l.id(), false, nodes, nodeDefs, edges, agents);
                    edges.add(Edge.when(l.id(), next, "exit"));
                    agents.register(l.id(), nodes.loop(l, next));
                    yield 2 * l.maxIterations() + 1;
                }
            };
        }
        boolean routes = errorRoutes(definition, nextOf, edges);
        Topology.Builder topology = Topology.builder().metadata("workflow_digest", definition.digest());
        topology.metadata("workflow_id", definition.id());
        nodeDefs.values().forEach(topology::node);
        edges.forEach(topology::edge);
        int maxSteps = (bound + 1) * (routes ? 2 : 1);
        return CompiledFlow.of(definition.id(), topology.build(), agents, maxSteps);
    }

    private static int leaf(
            WorkflowStep step,
            String next,
            boolean catchErrors,
            WorkflowNodes nodes,
            Map<String, Node> nodeDefs,
            Set<Edge> edges,
            AgentRegistry agents) {
        node(step, nodeDefs);
        edges.add(Edge.of(step.id(), next));
        switch (step) {
            case TaskStep t -> agents.register(t.id(), nodes.task(t, next, catchErrors));
            case ProcessingStep p -> agents.register(p.id(), nodes.processing(p, next, catchErrors));
            default -> throw new IllegalStateException("not a leaf step: " + step);
        }
        return 1;
    }

    private static void node(WorkflowStep step, Map<String, Node> nodeDefs) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(PipelineCompiler.STEP, step.id());
        step.timeout().ifPresent(t -> metadata.put("step_timeout", t.toString()));
        step.retry().ifPresent(r -> metadata.put("max_retries", r));
        nodeDefs.put(step.id(), new Node(step.id(), NodeKind.AGENT, ConvergenceMode.DISABLED, metadata));
    }

    /** {@code on_error} edges; returns whether there are any (goto can loop, which doubles the step bound). */
    private static boolean errorRoutes(WorkflowDefinition definition, Map<String, String> nextOf, Set<Edge> edges) {
        boolean any = false;
        for (WorkflowStep s : WorkflowCheck.flatten(definition.steps())) {
            Optional<String> target =
                    switch (s.onError().kind()) {
                        case FAIL -> Optional.empty();
                        case GOTO -> s.onError().target();
                        case CONTINUE -> Optional.ofNullable(nextOf.get(s.id()));
                    };
            if (target.isPresent()) {
                edges.add(new Edge(s.id(), target.get(), EdgeKind.ERROR, Optional.empty(), Map.of()));
                any = true;
            }
        }
        return any || definition.steps().stream().anyMatch(s -> s.onError() != OnError.FAIL);
    }
}
