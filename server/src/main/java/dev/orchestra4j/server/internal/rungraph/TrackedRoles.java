package dev.orchestra4j.server.internal.rungraph;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.flow.GraphTask;
import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.flow.TaskGraph;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The roles of one workflow, each wrapped so the workflow sees its tasks start and end live (the task graph only
 * reports them when the run ends): {@code running} before the role's agent runs, then {@code completed} with the
 * seed's result shape or {@code failed} with the reason.
 */
final class TrackedRoles {

    /** Receives the live transitions of a workflow's tasks. */
    interface Listener {
        void running(String agentId);

        void completed(String agentId, Map<String, Object> result);

        void failed(String agentId, String error);
    }

    private TrackedRoles() {}

    static RoleRegistry wrap(TaskGraph graph, RoleRegistry base, Listener listener) {
        RoleRegistry tracked = RoleRegistry.create();
        // every registered role (so an unknown role's 400 lists them all), and the graph's roles a default resolves
        Set<String> roles = new LinkedHashSet<>(base.roles());
        for (GraphTask t : graph.tasks()) {
            roles.add(t.agentRole());
        }
        for (String role : roles) {
            if (base.resolves(role)) {
                tracked.register(role, agent(role, base, listener));
            }
        }
        return tracked;
    }

    private static Agent agent(String role, RoleRegistry base, Listener listener) {
        return request -> {
            Map<?, ?> input = request.input() instanceof Map<?, ?> m ? m : Map.of();
            String agentId = String.valueOf(input.get("agent_id"));
            listener.running(agentId);
            AgentResponse response;
            try {
                response = base.find(role).orElseThrow().act(request);
            } catch (Exception e) {
                listener.failed(agentId, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                throw e;
            }
            switch (response) {
                case AgentResponse.Finish f -> listener.completed(agentId, result(input, f.answer()));
                case AgentResponse.Reply r -> listener.completed(agentId, result(input, r.content()));
                case AgentResponse.Fail f -> listener.failed(agentId, f.reason());
                case AgentResponse.Invoke i -> unsupported(listener, agentId, role);
                case AgentResponse.Parallel p -> unsupported(listener, agentId, role);
                case AgentResponse.AskUser a -> unsupported(listener, agentId, role);
            }
            return response;
        };
    }

    private static void unsupported(Listener listener, String agentId, String role) {
        listener.failed(agentId, "agent of role '" + role + "' must answer with finish or reply");
    }

    private static Map<String, Object> result(Map<?, ?> input, @Nullable Object output) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("agent_id", input.get("agent_id"));
        result.put("agent_role", input.get("agent_role"));
        result.put("input", input.get("input_data"));
        result.put("context", input.get("context"));
        result.put("output", output);
        return result;
    }
}
