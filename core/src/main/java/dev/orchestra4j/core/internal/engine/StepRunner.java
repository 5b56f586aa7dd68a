package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.core.internal.error.AgentGuards;
import dev.orchestra4j.core.internal.error.RetryPlanner;
import dev.orchestra4j.topology.Edge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** Prepares agent calls on the coordinator, runs them on whichever thread is given, and hands outcomes back. */
final class StepRunner {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepRunner.class);

    /** Everything a step thread needs; it never touches the branch itself. */
    record StepCall(
            String branchId,
            String agentName,
            Agent agent,
            AgentRequest request,
            long token,
            long deadlineMillis,
            StepTelemetry telemetry) {}

    private final Coordinator c;
    private final SessionState st;
    private final Map<String, Object> context;
    private final AgentGuards guards;
    private final RetryPlanner planner;

    StepRunner(Coordinator coordinator) {
        this.c = coordinator;
        this.st = coordinator.state;
        this.context = coordinator.spec.secrets().isEmpty()
                ? Collections.unmodifiableMap(coordinator.state.context)
                : new WithSecrets(coordinator.state.context, coordinator.spec.secrets());
        this.guards = new AgentGuards(coordinator.spec.errors());
        this.planner = RetryPlanner.of(coordinator.spec.errors());
    }

    /** The machine starts a step of {@code b}; the call its thread will make. */
    StepCall prepare(Branch b) {
        Plan.NodeInfo info = b.info(c.plan);
        Agent agent = info.shared() != null ? info.shared() : instanceFor(b);
        List<ChatMessage> stored = b.memory.isEmpty() ? List.of() : b.memory.getOrDefault(b.node, List.of());
        List<ChatMessage> memory = new ArrayList<>(stored); // the agent's working copy
        long deadline = c.machine.stepping.start(b);
        StepTelemetry telemetry = new StepTelemetry();
        AgentRequest request = AgentRequest.builder()
                .sessionId(c.spec.sessionId())
                .branchId(b.id)
                .agent(b.node)
                .task(c.spec.task())
                .input(b.input)
                .from(b.from)
                .context(context)
                .memory(memory)
                .peers(info.peers())
                .canFinish(info.canFinish())
                .canAskUser(info.canAskUser())
                .step(st.steps)
                .attempt(b.attempt)
                .error(Optional.ofNullable(b.error))
                .config(c.spec.execution())
                .recorder(telemetry)
                .build();
        return new StepCall(b.id, b.node, agent, request, b.stepToken, deadline, telemetry);
    }

    /**
     * {@code b}'s instance of its agent, made by the registry's factory on its first step there. When the factory
     * fails (throws, returns null) the step fails with it, naming the agent — classified, retried (the factory is
     * asked again) and routed by {@code [on error]} like any failed call — rather than the engine.
     */
    private Agent instanceFor(Branch b) {
        try {
            return b.instance(b.node, name -> c.spec.registry()
                    .find(name)
                    .orElseThrow(() -> new AgentException("agent '" + name + "' was unregistered during the run")));
        } catch (RuntimeException e) {
            AgentException failed = new AgentException(
                    "agent '" + b.node + "' could not be made by its factory: " + Stepping.describe(e), e);
            return request -> {
                throw failed;
            };
        }
    }

    /** Runs a detached step's agent call on the current thread (not the driving one). */
    StepOutcome execute(StepCall call, StepSlot slot) {
        Instant start = c.spec.clock().instant();
        return execute(call, slot, Long.MAX_VALUE, c.nanoTime(), start, 0);
    }

    /**
     * Runs the agent call on the current thread, the step having begun at {@code t0} ({@link Coordinator#nanoTime}),
     * at {@code start}, or, when that is null, at {@code startEpochNanos} (nanoseconds since the epoch); the outcome's
     * duration is measured from {@code t0}.
     */
    StepOutcome execute(
            StepCall call, StepSlot slot, long wakeMillis, long t0, @Nullable Instant start, long startEpochNanos) {
        boolean begun =
                slot.begin(Thread.currentThread(), call.deadlineMillis(), wakeMillis, call.branchId(), call.token());
        c.alarm.arm(Math.min(call.deadlineMillis(), wakeMillis)); // nearly always armed already: a volatile read
        AgentResponse response = null;
        Throwable error = null;
        Map<String, Boolean> verdicts = Map.of();
        try {
            if (!begun) {
                throw new java.util.concurrent.CancellationException(
                        "given up (timed out, cancelled or its branch settled) before the step executor began it");
            }
            if (slot.isCancelled()) {
                throw new java.util.concurrent.CancellationException("cancelled before it began");
            }
            response = intercepted(call);
            if (response == null) {
                error = new AgentException("agent '" + call.agentName() + "' returned null instead of a response");
            } else if (response instanceof AgentResponse.Reply reply) {
                verdicts = verdicts(call.agentName(), reply);
            }
        } catch (Throwable e) {
            // An Error (StackOverflowError from deeply nested output, say) fails this step like any exception: the
            // branch must still settle, never wait for a StepDone that is not coming.
            error = e;
        }
        int interrupted = slot.end();
        call.telemetry().freeze();
        return new StepOutcome(
                call.branchId(),
                call.token(),
                error == null ? response : null,
                error,
                call.request().memory(),
                start,
                startEpochNanos,
                c.nanoTime() - t0,
                call.telemetry(),
                interrupted,
                error == null ? null : classified(error),
                verdicts);
    }

    /**
     * The error classifier's verdict on {@code error}: user code, run here, where the step ran. A classifier that fails
     * makes it {@code UNKNOWN} (not retried): even an {@link Error} in it must not keep the step's outcome from the
     * session.
     */
    StepOutcome.Classified classified(Throwable error) {
        try {
            return new StepOutcome.Classified(planner.classify(error), planner.retryAfter(error));
        } catch (Throwable e) {
            LOG.warn("error classifier failed on {}; the failure counts as UNKNOWN", error, e);
            return new StepOutcome.Classified(ErrorCategory.UNKNOWN, Optional.empty());
        }
    }

    /**
     * The registered conditions of {@code node}'s outgoing edges, tested on {@code reply}'s content. A predicate that
     * throws fails the step, naming the condition and the edge.
     */
    private Map<String, Boolean> verdicts(String node, AgentResponse.Reply reply) {
        Map<String, Boolean> verdicts = Map.of();
        for (Edge edge : c.plan.analysis.outgoing(node)) {
            String condition = edge.condition().orElse(null);
            Predicate<Object> predicate =
                    condition == null ? null : c.spec.conditions().get(condition);
            if (predicate == null || verdicts.containsKey(condition)) {
                continue;
            }
            boolean holds;
            try {
                holds = predicate.test(reply.content());
            } catch (RuntimeException e) {
                throw new AgentException(
                        "condition '" + condition + "' of edge '" + edge.source() + " -> " + edge.target()
                                + "' failed on the reply of agent '" + node + "': " + Stepping.describe(e),
                        e);
            }
            verdicts = verdicts.isEmpty() ? new HashMap<>(4) : verdicts;
            verdicts.put(condition, holds);
        }
        return verdicts;
    }

    private AgentResponse guarded(StepCall call) throws Exception {
        if (!guards.hasGuards()) {
            return call.agent().act(call.request()); // no Callable per step when nothing decorates the call
        }
        Callable<AgentResponse> act = () -> call.agent().act(call.request());
        return guards.decorate(call.agentName(), act).call();
    }

    /**
     * The agent call through the step interceptors, outermost first. What goes wrong in an interceptor is named as
     * the interceptor's: a null it returns (the agent's own null is the agent's), and a second {@code proceed()}, which
     * would run the agent twice in one step.
     */
    private AgentResponse intercepted(StepCall call) throws Exception {
        if (c.spec.interceptors().isEmpty()) {
            return guarded(call);
        }
        StepInterceptor.Step step = () -> {
            AgentResponse response = guarded(call);
            if (response == null) {
                throw new AgentException("agent '" + call.agentName() + "' returned null instead of a response");
            }
            return response;
        };
        for (StepInterceptor interceptor : c.spec.interceptors().reversed()) {
            StepInterceptor.Step next = step;
            java.util.concurrent.atomic.AtomicBoolean proceeded = new java.util.concurrent.atomic.AtomicBoolean();
            StepInterceptor.Step inner = () -> {
                if (!proceeded.compareAndSet(false, true)) {
                    throw new IllegalStateException(
                            named(interceptor, call) + " called proceed() twice: a step runs its agent once");
                }
                return next.proceed();
            };
            step = () -> {
                AgentResponse response = interceptor.around(call.request(), inner);
                if (response == null) {
                    throw new AgentException(named(interceptor, call) + " returned null instead of a response");
                }
                return response;
            };
        }
        return step.proceed();
    }

    /** How an error names {@code interceptor} around {@code call}: built only when one is thrown. */
    private static String named(StepInterceptor interceptor, StepCall call) {
        return "step interceptor " + interceptor.getClass().getName() + " on agent '" + call.agentName() + "'";
    }
}
