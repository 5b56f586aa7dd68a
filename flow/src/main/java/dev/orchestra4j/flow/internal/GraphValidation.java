package dev.orchestra4j.flow.internal;

import dev.orchestra4j.flow.GraphTask;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.WorkflowType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every problem of a task graph, found before anything runs. */
public final class GraphValidation {

    private static final java.util.regex.Pattern SESSION_ID =
            java.util.regex.Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]{1,128}");

    private GraphValidation() {}

    public static List<String> problems(TaskGraph graph) {
        List<String> problems = new ArrayList<>();
        List<GraphTask> tasks = graph.tasks();
        if (!SESSION_ID.matcher(graph.workflowId()).matches()) {
            problems.add("workflow_id '" + graph.workflowId()
                    + "' is not valid: use 1-128 characters from A-Z a-z 0-9 . _ - (it becomes the session id)");
        }
        if (tasks.isEmpty()) {
            problems.add("tasks is empty: a workflow needs at least one task");
        }
        Map<String, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            GraphTask task = tasks.get(i);
            String id = task.agentId();
            int index = i;
            NodeNames.problem(id).ifPresent(p -> problems.add("tasks[" + index + "].agent_id " + p));
            Integer earlier = first.putIfAbsent(id, i);
            if (earlier != null) {
                problems.add("duplicate agent_id '" + id + "' (tasks[" + earlier + "] and tasks[" + i + "])");
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            GraphTask task = tasks.get(i);
            if (!task.dependsOn().isEmpty() && graph.workflowType() != WorkflowType.GRAPH) {
                problems.add("tasks[" + i + "] ('" + task.agentId() + "') has depends_on, which only workflow_type"
                        + " 'graph' uses (this one is '" + graph.workflowType().wireName() + "')");
            }
            for (String dep : task.dependsOn()) {
                if (!first.containsKey(dep)) {
                    problems.add("tasks[" + i + "] ('" + task.agentId() + "') depends on unknown agent_id '" + dep
                            + "' (known: " + first.keySet() + ")");
                }
            }
        }
        if (graph.workflowType() == WorkflowType.GRAPH) {
            for (List<String> cycle : cycles(tasks, first.keySet())) {
                problems.add("dependency cycle between "
                        + cycle.stream().map(n -> "'" + n + "'").toList() + ": none of them could ever start");
            }
        }
        return problems;
    }

    /** Strongly connected components with a cycle (Tarjan), members in request order. */
    static List<List<String>> cycles(List<GraphTask> tasks, Set<String> ids) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (GraphTask t : tasks) {
            deps.putIfAbsent(
                    t.agentId(),
                    t.dependsOn().stream().filter(ids::contains).distinct().toList());
        }
        Tarjan tarjan = new Tarjan(deps);
        List<String> order = List.copyOf(deps.keySet());
        List<List<String>> out = new ArrayList<>();
        for (List<String> scc : tarjan.run()) {
            boolean selfLoop = scc.size() == 1 && deps.get(scc.getFirst()).contains(scc.getFirst());
            if (scc.size() > 1 || selfLoop) {
                out.add(scc.stream()
                        .sorted(java.util.Comparator.comparingInt(order::indexOf))
                        .toList());
            }
        }
        out.sort(java.util.Comparator.comparingInt(c -> order.indexOf(c.getFirst())));
        return out;
    }

    private static final class Tarjan {
        private final Map<String, List<String>> edges;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private final List<List<String>> components = new ArrayList<>();
        private int next;

        Tarjan(Map<String, List<String>> edges) {
            this.edges = edges;
        }

        List<List<String>> run() {
            for (String node : edges.keySet()) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return components;
        }

        private void visit(String node) {
            index.put(node, next);
            low.put(node, next++);
            stack.push(node);
            onStack.add(node);
            for (String dep : edges.getOrDefault(node, List.of())) {
                if (!index.containsKey(dep)) {
                    visit(dep);
                    low.put(node, Math.min(low.get(node), low.get(dep)));
                } else if (onStack.contains(dep)) {
                    low.put(node, Math.min(low.get(node), index.get(dep)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                List<String> component = new ArrayList<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                components.add(component);
            }
        }
    }
}
