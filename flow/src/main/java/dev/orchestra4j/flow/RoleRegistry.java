package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Maps a task's {@code agent_role} to the agent that runs it. Thread-safe. A role agent gets a request whose input is
 * {@code {"agent_id", "agent_role", "input_data", "context"}} and answers {@code finish(output)} (or {@code reply(output)}); {@code
 * fail(reason)} or an exception fails the task.
 */
public final class RoleRegistry {

    private final ConcurrentMap<String, Supplier<Agent>> roles = new ConcurrentHashMap<>();
    private volatile @Nullable Supplier<Agent> fallback;

    private RoleRegistry() {}

    public static RoleRegistry create() {
        return new RoleRegistry();
    }

    /**
     * The seed's mock roles: every role answers {@code {"success": true, "message": "<role> agent completed
     * successfully", "timestamp": …}} at once (for wire-parity tests and demos).
     */
    public static RoleRegistry mock() {
        RoleRegistry registry = create();
        registry.defaultAgent(request -> {
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("success", true);
            Object role = request.input() instanceof Map<?, ?> input ? input.get("agent_role") : request.agent();
            output.put("message", role + " agent completed successfully");
            output.put("timestamp", Instant.now().toString());
            return AgentResponse.finish(output);
        });
        return registry;
    }

    /** One shared agent for {@code role}. */
    public RoleRegistry register(String role, Agent agent) {
        requireNonNull(agent, "agent");
        roles.put(checkRole(role), () -> agent);
        return this;
    }

    /** A fresh agent for every task of {@code role}. */
    public RoleRegistry registerFactory(String role, Supplier<Agent> factory) {
        requireNonNull(factory, "factory");
        roles.put(checkRole(role), factory);
        return this;
    }

    /** The agent for roles nothing else is registered for. */
    public RoleRegistry defaultAgent(Agent agent) {
        requireNonNull(agent, "agent");
        fallback = () -> agent;
        return this;
    }

    /** The agent for {@code role}: its own, else the default agent. */
    public Optional<Agent> find(String role) {
        Supplier<Agent> supplier = roles.getOrDefault(role, fallback);
        return supplier == null ? Optional.empty() : Optional.of(requireNonNull(supplier.get(), "agent of " + role));
    }

    /** Whether {@code role} resolves (its own agent or the default one). */
    public boolean resolves(String role) {
        return roles.containsKey(role) || fallback != null;
    }

    public Set<String> roles() {
        return new TreeSet<>(roles.keySet());
    }

    private static String checkRole(String role) {
        requireNonNull(role, "role");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
        return role;
    }
}
