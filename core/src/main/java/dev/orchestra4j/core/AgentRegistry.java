package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Maps node names to agents. Thread-safe. An agent registered with {@link #register} is one shared instance (fine for
 * stateless agents: memory lives in the branch, not the agent); one registered with {@link #registerFactory} gets a
 * fresh instance per branch (SPEC §4.8).
 */
public final class AgentRegistry {

    private static final AgentRegistry GLOBAL = new AgentRegistry();

    private final ConcurrentMap<String, Supplier<Agent>> factories = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Boolean> perBranch = new ConcurrentHashMap<>();
    /** Bumped after every change of a registration, once both maps hold it (see {@link #version()}). */
    private final AtomicLong version = new AtomicLong();

    private AgentRegistry() {}

    public static AgentRegistry create() {
        return new AgentRegistry();
    }

    /** The registry {@code Orchestra.run} uses when none is given. */
    public static AgentRegistry global() {
        return GLOBAL;
    }

    /** Registers one shared instance under {@code name}, replacing any earlier registration. */
    public AgentRegistry register(String name, Agent agent) {
        requireNonNull(agent, "agent");
        factories.put(checkName(name), () -> agent);
        perBranch.put(name, false);
        version.incrementAndGet();
        return this;
    }

    /** Registers a factory: every branch that reaches {@code name} gets its own instance. */
    public AgentRegistry registerFactory(String name, Supplier<Agent> factory) {
        requireNonNull(factory, "factory");
        factories.put(checkName(name), factory);
        perBranch.put(name, true);
        version.incrementAndGet();
        return this;
    }

    /** A copy of this registry with {@code replacements} registered as shared instances over it. */
    AgentRegistry withReplaced(java.util.Map<String, Agent> replacements) {
        AgentRegistry copy = new AgentRegistry();
        copy.factories.putAll(factories);
        copy.perBranch.putAll(perBranch);
        replacements.forEach(copy::register);
        return copy;
    }

    /** Removes a registration; returns whether there was one. */
    public boolean unregister(String name) {
        perBranch.remove(name);
        boolean removed = factories.remove(name) != null;
        version.incrementAndGet();
        return removed;
    }

    /**
     * A number that changes whenever a registration is added, replaced or removed, so that what was derived from this
     * registry can tell cheaply whether it may still hold: read it <em>before</em> deriving, and the derived value is
     * current for as long as {@code version()} still returns the same number. A change counts once it has completed
     * (the call that makes it has returned, or is about to); calls in progress may or may not be seen yet. The number
     * says nothing else (it is not a count of registrations).
     *
     * @return the registry's current version
     */
    public long version() {
        return version.get();
    }

    /** The agent for {@code name}: the shared instance, or a new one from its factory. */
    public Optional<Agent> find(String name) {
        Supplier<Agent> factory = factories.get(name);
        if (factory == null) {
            return Optional.empty();
        }
        Agent agent = factory.get();
        if (agent == null) {
            throw new AgentException("the factory for agent '" + name + "' returned null");
        }
        return Optional.of(agent);
    }

    public boolean contains(String name) {
        return factories.containsKey(name);
    }

    /** Whether {@code name} was registered with a factory (an instance per branch). */
    public boolean isPerBranch(String name) {
        return perBranch.getOrDefault(name, false);
    }

    public Set<String> names() {
        return new TreeSet<>(factories.keySet());
    }

    private static String checkName(String name) {
        requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("agent name must not be blank");
        }
        if (name.equals("Start") || name.equals("End") || name.equals("User")) {
            throw new IllegalArgumentException("'" + name + "' is a reserved node name and cannot be an agent");
        }
        return name;
    }
}
