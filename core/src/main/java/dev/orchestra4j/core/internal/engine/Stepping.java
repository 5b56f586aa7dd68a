package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.TimeoutKind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A step as the machine sees it: it starts (the branch moves to RUNNING with a fresh token), it ends with an outcome
 * (handed to {@link Router} or {@link Failures}), it times out, or it is given up while its thread may still run —
 * the machine then asks the shell, through {@link Effects#abandon}, to interrupt it, and counts it as a zombie there.
 * Also the count of steps running (started and neither ended nor given up), which {@code maxConcurrentSteps}, pause
 * and suspension wait on, and the trace entries of finished steps.
 */
final class Stepping {

    private final Machine m;
    private final SessionState st;
    private final int maxConcurrent;
    private final int maxSteps;
    private int running;

    Stepping(Machine machine) {
        this.m = machine;
        this.st = machine.state;
        this.maxConcurrent = machine.spec.execution().maxConcurrentSteps();
        this.maxSteps = machine.spec.effectiveMaxSteps();
    }

    /**
     * The next branch whose step may start, taken from the run queue (entries gone stale meanwhile are skipped), or
     * null: none is runnable, {@code maxConcurrentSteps} steps run, or a pause waits for the running ones to end.
     */
    @Nullable
    Branch next() {
        while (!m.queue.isEmpty() && running < maxConcurrent && !m.lifecycle.isQuiescing()) {
            Branch b = Objects.requireNonNull(m.queue.poll());
            if (b.isRunnable()) {
                return b;
            }
        }
        return null;
    }

    /** Whether {@code b}'s step may start: not when the run has taken {@code maxSteps} steps, which stops it FAILED. */
    boolean mayStart(Branch b) {
        if (st.steps < maxSteps) {
            return true;
        }
        m.lifecycle.stop(
                m,
                RunStatus.FAILED,
                "maxSteps (" + maxSteps + ") reached: the session ran " + st.steps + " steps; " + b
                        + " wanted another");
        return false;
    }

    /** Steps started and neither ended nor given up (a zombie is not counted, D10). */
    int running() {
        return running;
    }

    /** Puts the count back as a snapshot's {@link MachinePart} says. */
    void restore(int runningSteps) {
        running = runningSteps;
    }

    /** A step of {@code b} starts now; returns its deadline (epoch millis of the session clock). */
    long start(Branch b) {
        running++;
        st.steps++;
        b.steps++;
        st.invocations.merge(b.node, 1, Integer::sum);
        long token = ++b.stepToken;
        b.move(new BranchState.Running(token), "a step started");
        Plan.NodeInfo info = b.info(m.plan);
        long deadline = Deadlines.plus(
                m.nowMillis(), info.limits().stepTimeout(m.spec.execution().stepTimeout()));
        int step = st.steps;
        b.stepNumber = step;
        if (m.telemetry.listened()) {
            m.telemetry.emit(
                    () -> new OrchestraEvent.StepStarted(m.spec.sessionId(), m.now(), b.id, b.node, step, b.attempt));
        }
        return deadline;
    }

    /**
     * A step ended with {@code outcome}. A late outcome of a step given up meanwhile (cancelled, timed out) is dropped:
     * returns whether it was taken.
     */
    boolean ended(StepOutcome outcome) {
        Branch b = st.branches.get(outcome.branchId());
        if (b == null || !b.isRunning(outcome.token())) {
            return false;
        }
        running--;
        b.stepToken++; // the step's token is retired: what follows is its outcome, not a step to give up
        st.busyNanos += outcome.nanos();
        st.inputTokens += outcome.telemetry().inputTokens();
        st.outputTokens += outcome.telemetry().outputTokens();
        if (outcome.timedOut()) {
            stepTimedOut(b, outcome);
        } else if (outcome.cancelled()) {
            // the cancellation that interrupted it settles the branch; until then it is not queued to run
            b.move(BranchState.READY, "its step was cancelled");
        } else if (outcome.error() != null) {
            Throwable e = outcome.error();
            StepOutcome.Classified classified = Objects.requireNonNull(outcome.classified(), "classified where it ran");
            m.failures.stepFailed(b, outcome, classified.category(), describe(e), false);
        } else {
            m.router.apply(b, outcome, Objects.requireNonNull(outcome.response()));
        }
        return true;
    }

    /** A detached step overran its deadline: the scanner interrupted it; its late outcome will be ignored. */
    void timedOut(String branchId, long token) {
        Branch b = st.branches.get(branchId);
        if (b == null || !b.isRunning(token)) {
            return;
        }
        b.stepToken++;
        abandoned(b, token, false, "its step timed out");
        stepTimedOut(b, null);
    }

    /**
     * Gives up the step {@code b} was running (it has just left RUNNING): the shell interrupts its thread, and its late
     * outcome will not match the branch's token. {@code reason} says why.
     */
    void cancel(Branch b, String reason) {
        b.stepToken++;
        abandoned(b, b.stepToken - 1, true, reason);
    }

    private void abandoned(Branch b, long token, boolean interrupt, String reason) {
        running--;
        m.telemetry.effects.abandon(b.id, token, b.node, interrupt);
        int step = b.stepNumber;
        int attempt = b.attempt;
        m.telemetry.emit(() ->
                new OrchestraEvent.StepAbandoned(m.spec.sessionId(), m.now(), b.id, b.node, step, attempt, reason));
    }

    private void stepTimedOut(Branch b, @Nullable StepOutcome outcome) {
        NodeLimits limits = b.info(m.plan).limits();
        Duration limit = limits.stepTimeout(m.spec.execution().stepTimeout());
        st.timeouts++;
        String message = "step of agent '" + b.node + "' on " + b.id + " timed out after " + limit
                + (limits.stepTimeout().isPresent() ? " (the node's step_timeout)" : " (stepTimeout)");
        m.telemetry.emit(() ->
                new OrchestraEvent.TimeoutFired(m.spec.sessionId(), m.now(), b.id, TimeoutKind.STEP, b.node, limit));
        m.failures.stepFailed(b, outcome, ErrorCategory.TIMEOUT, message, false);
    }

    /** How the machine names a failure; a failure read back from the journal as it was named then. */
    static String describe(Throwable e) {
        if (e instanceof RecordedFailure recorded) {
            return recorded.described();
        }
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    void recordStep(Branch b, StepOutcome o, TraceStep.Action action, List<String> targets, @Nullable Object output) {
        m.telemetry.recordStep(b, action, targets, o, output, null);
        if (!m.telemetry.listened()) {
            return;
        }
        int step = b.stepNumber;
        m.telemetry.emit(() -> new OrchestraEvent.StepCompleted(
                m.spec.sessionId(),
                m.now(),
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
