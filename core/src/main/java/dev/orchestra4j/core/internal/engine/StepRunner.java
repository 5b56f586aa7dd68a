package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.core.internal.error.AgentGuards;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Prepares agent calls on the coordinator, runs them on whichever thread is given, and hands outcomes back. */
final class StepRunner {

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

    StepRunner(Coordinator coordinator) {
        this.c = coordinator;
        this.st = coordinator.state;
        this.context = coordinator.spec.secrets().isEmpty()
                ? Collections.unmodifiableMap(coordinator.state.context)
                : new WithSecrets(coordinator.state.context, coordinator.spec.secrets());
        this.guards = new AgentGuards(coordinator.spec.errors());
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

    private Agent instanceFor(Branch b) {
        return b.instance(b.node, name -> c.spec.registry()
                .find(name)
                .orElseThrow(() -> new AgentException("agent '" + name + "' was unregistered during the run")));
    }

    /** Runs the agent call on the current thread. */
    StepOutcome execute(StepCall call, StepSlot slot, long wakeMillis) {
        Instant start = c.spec.clock().instant();
        long t0 = c.nanoTime();
        slot.begin(Thread.currentThread(), call.deadlineMillis(), wakeMillis, call.branchId(), call.token());
        c.alarm.arm(Math.min(call.deadlineMillis(), wakeMillis)); // nearly always armed already: a volatile read
        AgentResponse response = null;
        Throwable error = null;
        try {
            if (slot.isCancelled()) {
                throw new java.util.concurrent.CancellationException("cancelled before it began");
            }
            response = intercepted(call);
            if (response == null) {
                error = new AgentException("agent '" + call.agentName() + "' returned null instead of a response");
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
                response,
                error,
                call.request().memory(),
                start,
                c.nanoTime() - t0,
                call.telemetry(),
                interrupted);
    }

    private AgentResponse guarded(StepCall call) throws Exception {
        Callable<AgentResponse> act = () -> call.agent().act(call.request());
        return guards.hasGuards() ? guards.decorate(call.agentName(), act).call() : act.call();
    }

    private AgentResponse intercepted(StepCall call) throws Exception {
        if (c.spec.interceptors().isEmpty()) {
            return guarded(call);
        }
        StepInterceptor.Step step = () -> guarded(call);
        for (StepInterceptor interceptor : c.spec.interceptors().reversed()) {
            StepInterceptor.Step inner = step;
            step = () -> interceptor.around(call.request(), inner);
        }
        return step.proceed();
    }
}
