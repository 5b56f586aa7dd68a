package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.TimeoutKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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

    StepRunner(Coordinator coordinator) {
        this.c = coordinator;
        this.st = coordinator.state;
        this.context = coordinator.spec.secrets().isEmpty()
                ? Collections.unmodifiableMap(coordinator.state.context)
                : new WithSecrets(coordinator.state.context, coordinator.spec.secrets());
    }

    StepCall prepare(Branch b) {
        Plan.NodeInfo info = b.info(c.plan);
        Agent agent = info.shared() != null ? info.shared() : instanceFor(b);
        List<ChatMessage> stored = b.memory.isEmpty() ? List.of() : b.memory.getOrDefault(b.node, List.of());
        List<ChatMessage> memory = new ArrayList<>(stored); // the agent's working copy
        st.steps++;
        b.steps++;
        st.invocations.merge(b.node, 1, Integer::sum);
        long token = ++b.stepToken;
        b.move(new BranchState.Running(token), "a step started");
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
        long deadline = Deadlines.plus(
                c.nowMillis(), info.limits().stepTimeout(c.spec.execution().stepTimeout()));
        int step = st.steps;
        b.stepNumber = step;
        c.telemetry.emit(
                () -> new OrchestraEvent.StepStarted(c.spec.sessionId(), c.now(), b.id, b.node, step, b.attempt));
        return new StepCall(b.id, b.node, agent, request, token, deadline, telemetry);
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
        c.timers.arm(Math.min(call.deadlineMillis(), wakeMillis)); // nearly always armed already: a volatile read
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

    private AgentResponse intercepted(StepCall call) throws Exception {
        if (c.spec.interceptors().isEmpty()) {
            return c.failures.guard(call.agentName(), () -> call.agent().act(call.request()));
        }
        StepInterceptor.Step step =
                () -> c.failures.guard(call.agentName(), () -> call.agent().act(call.request()));
        for (StepInterceptor interceptor : c.spec.interceptors().reversed()) {
            StepInterceptor.Step inner = step;
            step = () -> interceptor.around(call.request(), inner);
        }
        return step.proceed();
    }

    /**
     * Applies the outcome of a step of {@code b} on the coordinator; a late outcome of a cancelled or timed-out step is
     * dropped.
     */
    void complete(Branch b, StepOutcome outcome) {
        if (!b.isRunning(outcome.token())) {
            return;
        }
        b.stepToken++; // the step's token is retired: what follows is its outcome, not a step to give up
        c.persistence.stepCompleted(outcome.telemetry().record());
        st.busyNanos += outcome.nanos();
        st.inputTokens += outcome.telemetry().inputTokens();
        st.outputTokens += outcome.telemetry().outputTokens();
        if (outcome.interrupted() == StepSlot.REASON_TIMEOUT) {
            stepTimedOut(b, outcome);
        } else if (outcome.interrupted() == StepSlot.REASON_CANCEL) {
            // the cancellation that interrupted it settles the branch; until then it is not queued to run
            b.move(new BranchState.Ready(), "its step was cancelled");
        } else if (outcome.error() != null) {
            Throwable e = outcome.error();
            c.failures.stepFailed(b, outcome, c.failures.classify(e), describe(e), false);
        } else {
            c.router.apply(b, outcome, java.util.Objects.requireNonNull(outcome.response()));
        }
    }

    /** A detached step overran its deadline: the scanner interrupted it; its late outcome will be ignored. */
    void timedOut(String branchId, long token) {
        Branch b = st.branches.get(branchId);
        if (b == null || !b.isRunning(token)) {
            return;
        }
        b.stepToken++;
        c.steps.abandoned(b, token, "its step timed out");
        stepTimedOut(b, null);
    }

    private void stepTimedOut(Branch b, @Nullable StepOutcome outcome) {
        NodeLimits limits = b.info(c.plan).limits();
        Duration limit = limits.stepTimeout(c.spec.execution().stepTimeout());
        st.timeouts++;
        String message = "step of agent '" + b.node + "' on " + b.id + " timed out after " + limit
                + (limits.stepTimeout().isPresent() ? " (the node's step_timeout)" : " (stepTimeout)");
        c.telemetry.emit(() ->
                new OrchestraEvent.TimeoutFired(c.spec.sessionId(), c.now(), b.id, TimeoutKind.STEP, b.node, limit));
        c.failures.stepFailed(b, outcome, ErrorCategory.TIMEOUT, message, false);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    /** Trace entry for a finished step. */
    Telemetry.Entry entry(Branch b, @Nullable StepOutcome o, @Nullable Object output, @Nullable String error) {
        if (o == null) {
            return Telemetry.Entry.of(b.input, output, error);
        }
        return new Telemetry.Entry(
                null,
                b.input,
                output,
                o.start(),
                Duration.ofNanos(o.nanos()),
                error,
                o.telemetry().toolCalls(),
                o.telemetry().inputTokens(),
                o.telemetry().outputTokens());
    }

    void recordStep(Branch b, StepOutcome o, TraceStep.Action action, List<String> targets, @Nullable Object output) {
        c.telemetry.record(b, action, targets, entry(b, o, output, null));
        int step = b.stepNumber;
        c.telemetry.emit(() -> new OrchestraEvent.StepCompleted(
                c.spec.sessionId(),
                c.now(),
                b.id,
                b.node,
                step,
                b.attempt,
                action.name().toLowerCase(java.util.Locale.ROOT),
                Duration.ofNanos(o.nanos()),
                o.telemetry().inputTokens(),
                o.telemetry().outputTokens(),
                o.telemetry().toolCalls().size()));
    }
}
