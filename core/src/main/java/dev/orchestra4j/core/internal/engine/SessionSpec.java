package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Rule;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The fixed inputs of one session: what to run and under which settings.
 *
 * @param secrets context entries agents see but storage never gets (their text is masked in what is stored)
 * @param stepExecutor runs agent steps that do not run inline on the coordinator (virtual threads by default)
 */
public record SessionSpec(
        String sessionId,
        Object task,
        Map<String, Object> context,
        Map<String, Object> secrets,
        Topology topology,
        AgentRegistry registry,
        ExecutionConfig execution,
        ErrorHandlingConfig errors,
        CommunicationConfig communication,
        int maxSteps,
        boolean allowFollowUps,
        Duration followUpTimeout,
        List<OrchestraListener> listeners,
        boolean awaitListeners,
        List<dev.orchestra4j.core.StepInterceptor> interceptors,
        Map<String, java.util.function.Predicate<Object>> conditions,
        Optional<StateManager> stateManager,
        Clock clock,
        Executor stepExecutor) {

    /**
     * The default step executor: a new virtual thread per step. Only with it does a wide dispatch (a fork) hand the
     * starts of its steps past the first few to launcher threads; any other executor is always called from the driving
     * thread, the thread it may take context from.
     */
    public static final Executor VIRTUAL_THREADS = Thread::startVirtualThread;

    public SessionSpec {
        context = Map.copyOf(context);
        secrets = Map.copyOf(secrets);
        listeners = List.copyOf(listeners);
        interceptors = List.copyOf(interceptors);
        conditions = Map.copyOf(conditions);
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("maxSteps must be positive, was " + maxSteps);
        }
    }

    /** A simulation test's hooks when the step executor is one (see {@link SimulationHooks}), else null. */
    @org.jspecify.annotations.Nullable
    SimulationHooks simulation() {
        return stepExecutor instanceof SimulationHooks hooks ? hooks : null;
    }

    /** Whether a wide dispatch may start steps from launcher threads ({@link #VIRTUAL_THREADS}). */
    boolean launchesSteps() {
        return stepExecutor == VIRTUAL_THREADS;
    }

    /** A session's stored form with the text of every secret masked. */
    com.fasterxml.jackson.databind.JsonNode masked(com.fasterxml.jackson.databind.JsonNode stored) {
        return secrets.isEmpty()
                ? stored
                : dev.orchestra4j.core.internal.SecretMask.of(secrets).apply(stored);
    }

    /** The run deadline: the config's, else the topology's {@code timeout(S)} rule, the shorter when both exist. */
    Optional<Duration> runTimeout() {
        Duration limit = execution.runTimeout().orElse(null);
        for (Rule.Timeout rule : topology.rules(Rule.Timeout.class)) {
            limit = limit == null ? rule.duration() : min(limit, rule.duration());
        }
        return Optional.ofNullable(limit);
    }

    /** The step limit: the option's, or the topology's {@code max_steps(N)} rule when that is lower. */
    int effectiveMaxSteps() {
        int steps = maxSteps; // loops, not streams: asked at every session start, nearly always of no rules
        for (Rule.MaxSteps rule : topology.rules(Rule.MaxSteps.class)) {
            steps = Math.min(steps, rule.steps());
        }
        return steps;
    }

    /** The most branches running at once, from the topology's {@code max_agents(N)} rule. */
    int maxAgents() {
        int agents = Integer.MAX_VALUE;
        for (Rule.MaxAgents rule : topology.rules(Rule.MaxAgents.class)) {
            agents = Math.min(agents, rule.agents());
        }
        return agents;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
