package dev.orchestra4j.examples.flow;

import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.TaskGraphResult;
import java.util.Map;
import java.util.Set;

/**
 * A run-graph request with {@code depends_on} (AI Orchestra's wire format): frontend and backend at once, QA after
 * both (a rendezvous), then deploy. Role agents are plain Java here; an {@code LlmAgent} per role works the same.
 *
 * <pre>{@code
 * graph#dispatch -> frontend, backend -> qa -> deploy -> graph#dispatch -> End
 * }</pre>
 */
public final class DependsOnGraph {

    /** The request body, exactly as a client would POST it to {@code /run-graph}. */
    public static final String REQUEST = """
            {
              "workflow_id": "release-42",
              "workflow_type": "graph",
              "tasks": [
                {"agent_id": "frontend", "agent_role": "frontend", "input_data": {"task": "Build the login form"}},
                {"agent_id": "backend", "agent_role": "backend", "input_data": {"task": "Build the auth API"}},
                {"agent_id": "qa", "agent_role": "qa", "input_data": {"task": "Test login end to end"},
                 "depends_on": ["frontend", "backend"]},
                {"agent_id": "deploy", "agent_role": "backend", "input_data": {"task": "Ship it"}, "depends_on": ["qa"]}
              ],
              "metadata": {"pattern": "release"}
            }
            """;

    private DependsOnGraph() {}

    /** Role agents; tasks whose agent_id is in {@code failing} fail. */
    public static RoleRegistry roles(Set<String> failing) {
        return RoleRegistry.create().defaultAgent(request -> {
            Map<?, ?> input = (Map<?, ?>) request.input();
            if (failing.contains(request.agent())) {
                return AgentResponse.fail(request.agent() + " could not finish");
            }
            Map<?, ?> data = (Map<?, ?>) input.get("input_data");
            Object context = input.get("context");
            return AgentResponse.finish(Map.of(
                    "done",
                    data.get("task"),
                    "after",
                    context instanceof Map<?, ?> m
                            ? m.keySet().stream().sorted().toList()
                            : java.util.List.of()));
        });
    }

    public static TaskGraphResult run(String request, Set<String> failing) {
        return TaskGraph.fromJson(request).run(roles(failing));
    }

    public static void main(String[] args) {
        TaskGraphResult result = run(REQUEST, Set.of());
        System.out.println(result.toJson());
        System.out.println(TaskGraph.fromJson(REQUEST).compile(roles(Set.of())).toMermaid());
    }
}
