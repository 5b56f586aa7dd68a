package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * The actor that owns one session: it takes signals from its mailbox, lets {@link Router}, {@link Convergence} and
 * {@link Failures} decide, and dispatches runnable branches — inline when a step is the only work, else on virtual
 * threads. It runs until the run completes, fails, times out, is cancelled, pauses, or waits for the user.
 */
final class Coordinator implements DeadlineScanner.Scanned {

    final SessionSpec spec;
    final Plan plan;
    final SessionState state;
    final Telemetry telemetry;
    final Deadlines deadlines = new Deadlines();
    final Convergence convergence;
    final Router router;
    final Failures failures;
    final Users users;
    final StepRunner runner;
    final LinkedBlockingQueue<Signal> mailbox = new LinkedBlockingQueue<>();
    final Persistence persistence;

    private final ArrayDeque<Branch> runnable = new ArrayDeque<>();
    private final ArrayDeque<Branch> queued = new ArrayDeque<>();
    private final Set<StepSlot> slots = ConcurrentHashMap.newKeySet();
    private final InlineStep inline = new InlineStep();
    private final PhaseWatch phases = new PhaseWatch();
    private volatile @Nullable Thread driver;
    private @Nullable LegEnd end;
    private final Lifecycle lifecycle;
    private final int maxConcurrent;
    private final int maxAgents;
    private final int maxSteps;
    private volatile long wakeAt = Long.MAX_VALUE;
    /** The run deadline (epoch millis of the session clock), or {@code Long.MAX_VALUE}. */
    long runDeadlineMillis = Long.MAX_VALUE;

    private int inFlight;
    private int zombies;
    private volatile boolean closed;
    private final java.util.List<Signal.UserAnswer> leftoverAnswers = new java.util.ArrayList<>(0);
    /** A simulation test's control of deadlines and waits (see {@link SimulationHooks}); null in production. */
    private final @Nullable SimulationHooks simulation;

    int alive;

    Coordinator(
            SessionSpec spec,
            Plan plan,
            SessionState state,
            Telemetry telemetry,
            Lifecycle lifecycle,
            Persistence persistence) {
        this.spec = spec;
        this.persistence = persistence;
        this.plan = plan;
        this.state = state;
        this.telemetry = telemetry;
        this.lifecycle = lifecycle;
        this.convergence = new Convergence(this);
        this.router = new Router(this);
        this.failures = new Failures(this);
        this.users = new Users(this);
        this.runner = new StepRunner(this);
        this.maxConcurrent = spec.execution().maxConcurrentSteps();
        this.maxAgents = spec.maxAgents();
        this.maxSteps = spec.effectiveMaxSteps();
        this.simulation = spec.stepExecutor() instanceof SimulationHooks hooks ? hooks : null;
        if (simulation != null) {
            simulation.legStarting(spec.sessionId(), this::scan);
        }
    }

    Instant now() {
        return spec.clock().instant();
    }

    long nowMillis() {
        return spec.clock().millis();
    }

    /** How a leg ended: its result, or the failure that kept it from producing one. */
    interface LegEnd {
        void ended(@Nullable OrchestraResult result, @Nullable Throwable failure);
    }

    /**
     * Runs the session on this thread until it stops, then reports to {@code end} — from whichever thread drives the
     * session by then (the driving role moves to a fresh thread when an inline step overruns).
     */
    void run(LegEnd end) {
        this.end = end;
        if (simulation == null) {
            DeadlineScanner.INSTANCE.register(this);
        }
        slots.add(inline.slot());
        drive(true);
    }

    private void drive(boolean first) {
        driver = Thread.currentThread();
        try {
            if (first) {
                lifecycle.begin(this);
            }
            loop();
        } catch (RuntimeException | Error e) {
            if (isDriving()) {
                lifecycle.crash(this, e);
            }
        }
        if (!isDriving()) {
            return; // handed off mid-step: the new driver ends the leg
        }
        if (simulation == null) {
            DeadlineScanner.INSTANCE.unregister(this);
        }
        OrchestraResult result = null;
        Throwable failure = null;
        try {
            result = lifecycle.end(this);
            drainCheckpoints();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        end.ended(result, failure);
        if (simulation != null) {
            simulation.legEnded(spec.sessionId());
        }
    }

    private boolean isDriving() {
        return driver == Thread.currentThread();
    }

    /** Called by {@link InlineStep#handOff}: the overrunning step now counts as detached; a fresh thread drives. */
    void takeOver(StepSlot freshInlineSlot) {
        driver = null;
        slots.add(freshInlineSlot);
        Runnable next = () -> {
            inFlight++;
            drive(false);
        };
        if (simulation != null) {
            simulation.handOff(spec.sessionId(), next);
        } else {
            Thread.ofVirtual().name("orchestra4j-" + spec.sessionId()).start(next);
        }
    }

    void forgetSlot(StepSlot slot) {
        slots.remove(slot);
    }

    /** Checkpoints asked for while the leg was ending are taken from the state it saved; answers are kept. */
    private void drainCheckpoints() {
        Signal signal;
        while ((signal = mailbox.poll()) != null) {
            if (signal instanceof Signal.Checkpoint request) {
                try {
                    String id = spec.stateManager().orElseThrow().createCheckpoint(spec.sessionId(), request.name());
                    state.checkpointIds.add(id);
                    request.id().complete(id);
                } catch (RuntimeException e) {
                    request.id().completeExceptionally(e);
                }
            } else if (signal instanceof Signal.UserAnswer answer && answer.answer() != null) {
                leftoverAnswers.add(answer);
            }
        }
    }

    /**
     * Posts from another thread. Returns false when this leg has already ended without taking the signal (the caller
     * then turns to the session's next leg); the queue's own {@code remove} decides which side has it.
     */
    boolean offer(Signal signal) {
        mailbox.add(signal);
        if (closed) {
            return !mailbox.remove(signal);
        }
        inline.handOff(this); // a long inline step must not keep a checkpoint or an answer waiting (D11)
        return true;
    }

    /** Ends the leg for posters: signals posted until now are drained; answers among them are returned. */
    java.util.List<Signal.UserAnswer> close() {
        closed = true;
        drainCheckpoints();
        return java.util.List.copyOf(leftoverAnswers);
    }

    private void loop() {
        assert phases.verify(state, "the leg's start");
        while (!lifecycle.isStopped()) {
            Signal signal;
            while ((signal = mailbox.poll()) != null) {
                handle(signal);
                assert phases.verify(state, signal.getClass().getSimpleName());
            }
            checkDeadlines();
            convergence.evaluate();
            persistence.maybeSave(this);
            if (lifecycle.isStopped() || lifecycle.shouldSuspend(this)) {
                return;
            }
            admitQueued();
            if (!dispatch()) {
                publishWake();
                Signal next = take();
                handle(next);
                assert phases.verify(state, next.getClass().getSimpleName());
            } else if (!isDriving()) {
                return;
            }
            assert phases.verify(state, "a dispatch");
        }
    }

    private Signal take() {
        try {
            return simulation != null ? simulation.take(spec.sessionId(), mailbox) : mailbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Signal.Cancel("the coordinator thread was interrupted");
        }
    }

    private void handle(Signal signal) {
        switch (signal) {
            case Signal.StepDone done -> {
                if (runner.isCurrent(done.outcome())) {
                    inFlight--; // an abandoned step was uncounted when it was abandoned
                }
                runner.complete(done.outcome());
            }
            case Signal.StepTimedOut t -> runner.timedOut(t.branchId(), t.token());
            case Signal.Wake w -> checkDeadlines();
            case Signal.UserAnswer a -> {
                if (lifecycle.followUps().owns(a.interactionId())) {
                    lifecycle.followUps().answered(this, lifecycle, a.interactionId(), a.answer());
                } else {
                    users.answered(a.interactionId(), a.answer(), a.error());
                }
            }
            case Signal.Pause p -> lifecycle.requestPause(p.reason());
            case Signal.Cancel cancel -> lifecycle.cancel(this, cancel.reason());
            case Signal.Checkpoint checkpoint -> checkpoint(checkpoint);
        }
    }

    /**
     * Starts steps for runnable branches. Returns false when nothing could be started (the loop then blocks on its
     * mailbox). A step runs inline when it is the only work and nothing is waiting in the mailbox.
     */
    private boolean dispatch() {
        boolean started = false;
        while (!runnable.isEmpty() && inFlight < maxConcurrent && !lifecycle.isQuiescing()) {
            Branch b = runnable.poll();
            if (!b.isRunnable()) {
                continue;
            }
            if (state.steps >= maxSteps) {
                lifecycle.stop(
                        this,
                        RunStatus.FAILED,
                        "maxSteps (" + maxSteps + ") reached: the session ran " + state.steps + " steps; " + b
                                + " wanted another");
                return true;
            }
            StepRunner.StepCall call = runner.prepare(b);
            if (alive == 1 && inFlight == 0 && runnable.isEmpty() && mailbox.isEmpty()) {
                long wake = Math.min(Math.min(b.deadlineMillis, runDeadlineMillis), deadlines.next());
                StepOutcome outcome = inline.run(this, call, wake);
                if (outcome != null) {
                    runner.complete(outcome);
                }
                return true;
            }
            inFlight++;
            StepSlot slot = new StepSlot(call.branchId(), call.token());
            slots.add(slot); // registered before the thread starts, so a cancellation cannot miss it (D13)
            spec.stepExecutor().execute(() -> runDetached(call, slot));
            started = true;
        }
        return started;
    }

    private void runDetached(StepRunner.StepCall call, StepSlot slot) {
        try {
            mailbox.add(new Signal.StepDone(runner.execute(call, slot, Long.MAX_VALUE)));
        } catch (Throwable e) {
            // Even if building the outcome fails (out of memory, say), the coordinator hears of the step's end.
            mailbox.add(new Signal.StepDone(StepOutcome.failed(call, e)));
        } finally {
            slots.remove(slot);
        }
    }

    void makeRunnable(Branch b) {
        if (b.notBeforeMillis > nowMillis()) {
            deadlines.add(b.notBeforeMillis, Deadlines.Kind.RETRY, b.id);
            return;
        }
        b.notBeforeMillis = 0;
        runnable.add(b);
    }

    /** Creates a branch; it runs at once unless the topology's {@code max_agents} limit queues it. */
    Branch spawn(@Nullable String parentId, BarrierKind origin, String target, String node, Object input, String from) {
        Branch b = new Branch(state.newBranchId(), parentId, origin, target, node, input, from, now());
        state.branches.put(b.id, b);
        if (maxAgents != Integer.MAX_VALUE && runningCount() >= maxAgents || forkFull(b)) {
            b.materialized = false;
            queued.add(b);
            return b;
        }
        materialize(b, parentId);
        makeRunnable(b);
        return b;
    }

    /** Makes a created branch visible: counted, timed, announced. */
    void materialize(Branch b, @Nullable String causalParent) {
        b.materialized = true;
        alive++;
        scheduleBranch(b);
        telemetry.emit(() -> new OrchestraEvent.BranchSpawned(
                spec.sessionId(), now(), b.id, b.parentId != null ? b.parentId : causalParent, b.node, b.origin));
    }

    void scheduleBranch(Branch b) {
        b.deadlineMillis = Deadlines.plus(nowMillis(), spec.execution().branchTimeout());
        deadlines.add(b.deadlineMillis, Deadlines.Kind.BRANCH, b.id);
    }

    /** Restarts {@code b}'s branch clock with the time it had left (it waited for a fork meanwhile). */
    void resumeBranchClock(Branch b) {
        if (b.remainingMillis == Long.MAX_VALUE) {
            scheduleBranch(b);
            return;
        }
        long now = nowMillis();
        b.deadlineMillis = now > Long.MAX_VALUE - b.remainingMillis ? Long.MAX_VALUE : now + b.remainingMillis;
        b.remainingMillis = Long.MAX_VALUE;
        deadlines.add(b.deadlineMillis, Deadlines.Kind.BRANCH, b.id);
    }

    void scheduleBarrier(Barrier x) {
        x.deadlineMillis = Deadlines.plus(nowMillis(), spec.execution().convergenceTimeout());
        deadlines.add(x.deadlineMillis, Deadlines.Kind.BARRIER, x.id);
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    int queuedChildren() {
        return queued.size();
    }

    /** A branch saved while queued by {@code max_agents} is queued again on resume. */
    void requeue(Branch b) {
        queued.add(b);
    }

    void dropQueued(Branch b) {
        queued.remove(b);
    }

    /**
     * Admits branches queued by {@code max_agents} while fewer than that many branches run, and by a fork's {@code
     * max_concurrency} while fewer than that many of its children run; in queue order, skipping those still capped.
     */
    private void admitQueued() {
        java.util.Iterator<Branch> it = queued.iterator();
        while (it.hasNext() && runningCount() < maxAgents) {
            Branch next = it.next();
            if (!next.isAlive()) {
                it.remove();
            } else if (!forkFull(next)) {
                it.remove();
                materialize(next, next.parentId);
                makeRunnable(next);
            }
        }
    }

    /** Whether {@code b} is a fork child and its fork already runs {@code max_concurrency} children. */
    private boolean forkFull(Branch b) {
        if (b.origin != BarrierKind.FORK) {
            return false;
        }
        Barrier fork = state.barrier(b.target);
        int cap = plan.isAgent(fork.node) ? plan.node(fork.node).limits().maxConcurrency() : Integer.MAX_VALUE;
        if (cap == Integer.MAX_VALUE) {
            return false;
        }
        int running = 0;
        for (Branch other : state.branches.values()) {
            if (other != b
                    && other.materialized
                    && other.status == BranchStatus.RUNNING
                    && b.target.equals(other.target)) {
                running++;
            }
        }
        return running >= cap;
    }

    private int runningCount() {
        int n = 0;
        for (Branch b : state.branches.values()) {
            if (b.materialized && b.status == BranchStatus.RUNNING) {
                n++;
            }
        }
        return n;
    }

    /** Interrupts {@code b}'s step if one is running on its own thread. */
    void cancelStep(Branch b) {
        if (!b.inFlight) {
            return;
        }
        for (StepSlot slot : slots) {
            if (slot.isFor(b.id, b.stepToken)) {
                slot.cancel();
                break;
            }
        }
        b.inFlight = false;
        b.stepToken++;
        stepAbandoned();
    }

    /**
     * A detached step was given up (timed out or cancelled) while its thread may still run: it no longer counts as in
     * flight (so pause, suspension and {@code maxConcurrentSteps} do not wait for it, D10); its late result is dropped.
     */
    void stepAbandoned() {
        inFlight--;
        zombies++;
    }

    /** Steps given up while their threads may still be running (agents ignoring interrupts), for diagnostics. */
    int zombies() {
        return zombies;
    }

    /** Cancels from another thread: the loop gets the signal, and a running agent is interrupted at once. */
    void cancelFromOutside(String reason) {
        mailbox.add(new Signal.Cancel(reason));
        interruptAll();
        inline.handOff(this); // an agent ignoring the interrupt must not keep the cancellation waiting
    }

    /** Interrupts every running step (cancellation, run timeout). */
    void interruptAll() {
        for (StepSlot slot : slots) {
            if (slot.inline) {
                slot.interrupt(StepSlot.REASON_CANCEL);
            } else {
                slot.cancel();
            }
        }
    }

    private void checkpoint(Signal.Checkpoint request) {
        try {
            persistence.save(this, Persistence.RUNNING);
            String id = spec.stateManager().orElseThrow().createCheckpoint(spec.sessionId(), request.name());
            state.checkpointIds.add(id);
            request.id().complete(id);
        } catch (RuntimeException e) {
            request.id().completeExceptionally(e);
        }
    }

    void rootSettled(Barrier root) {

        lifecycle.rootSettled(this, root);
    }

    void checkDeadlines() {
        long now = nowMillis();
        Deadlines.Deadline due;
        while ((due = deadlines.pollDue(now)) != null) {
            lifecycle.deadline(this, due);
        }
    }

    private void publishWake() {
        wakeAt = deadlines.next();
    }

    /** Called by the scanner thread: interrupts overdue detached steps, wakes the loop when a deadline is due. */
    @Override
    public void scan() {
        long now = nowMillis();
        java.util.List<StepSlot> due = null;
        for (StepSlot slot : slots) {
            if (slot.overdue(now) != 0) {
                due = due == null ? new java.util.ArrayList<>(2) : due;
                due.add(slot);
            }
        }
        if (due != null && due.size() > 1) {
            due.sort(StepSlot.ORDER); // steps due at once time out in one order, not the hash set's (replayable runs)
        }
        for (StepSlot slot : due == null ? java.util.List.<StepSlot>of() : due) {
            int reason = slot.overdue(now);
            if (reason == 0) {
                continue;
            }
            if (slot.inline && !inline.handOff(this)) {
                continue; // it returned meanwhile
            }
            if (reason == StepSlot.REASON_TIMEOUT && slot.interrupt(reason)) {
                String branch = slot.branchId;
                if (branch != null) {
                    mailbox.add(new Signal.StepTimedOut(branch, slot.token));
                }
            }
        }
        persistence.heartbeat(this);
        long at = wakeAt;
        if (at != Long.MAX_VALUE && now >= at) {
            wakeAt = Long.MAX_VALUE;
            mailbox.add(new Signal.Wake());
        }
    }

    void post(Signal signal) {
        mailbox.add(signal);
    }

    boolean isIdle() {
        return runnable.isEmpty() && inFlight == 0;
    }

    int inFlight() {
        return inFlight;
    }

    void forEachAliveBranch(java.util.function.Consumer<Branch> action) {
        for (Branch b : java.util.List.copyOf(state.branches.values())) {
            if (b.isAlive()) {
                action.accept(b);
            }
        }
    }
}
