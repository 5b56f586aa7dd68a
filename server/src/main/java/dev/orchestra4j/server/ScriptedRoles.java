package dev.orchestra4j.server;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.flow.RoleRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline agents of the run-graph API: AI Orchestra's five roles ({@code frontend}, {@code backend}, {@code qa},
 * {@code debugger}, {@code coordinator}) as scripted agents. Each works {@code input_data.simulate_ms} milliseconds
 * (interruptibly: a cancelled workflow stops it), fails with {@code input_data.simulate_error} when given, and
 * otherwise answers the seed's output {@code {"success": true, "message": "<role> agent completed successfully",
 * "timestamp": …}}; the task graph wraps it into {@code {agent_id, agent_role, input, context, output}}.
 */
public final class ScriptedRoles {

    /** The roles of the seed. */
    public static final List<String> ROLES = List.of("frontend", "backend", "qa", "debugger", "coordinator");

    private ScriptedRoles() {}

    /** A registry with the five seed roles. */
    public static RoleRegistry create() {
        return create(Clock.systemUTC());
    }

    public static RoleRegistry create(Clock clock) {
        RoleRegistry registry = RoleRegistry.create();
        ROLES.forEach(role -> registry.register(role, agent(role, clock)));
        return registry;
    }

    /** The scripted agent of one role. */
    public static Agent agent(String role, Clock clock) {
        return request -> {
            Map<?, ?> input = request.input() instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> data = input.get("input_data") instanceof Map<?, ?> d ? d : Map.of();
            if (data.get("simulate_ms") instanceof Number ms && ms.longValue() > 0) {
                Thread.sleep(ms.longValue());
            }
            Object error = data.get("simulate_error");
            if (error != null) {
                return AgentResponse.fail(String.valueOf(error));
            }
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("success", true);
            output.put("message", role + " agent completed successfully");
            output.put("timestamp", clock.instant().toString());
            return AgentResponse.finish(output);
        };
    }
}
