package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.internal.engine.Session;
import dev.orchestra4j.core.internal.engine.SessionSpec;
import dev.orchestra4j.core.internal.event.EventBus;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The one-line entry point: {@code Orchestra.run(task, topology)} runs a task over a topology and returns the result.
 * For long-lived sessions (pause, resume, checkpoints, answering questions later) use {@link OrchestraInstance}.
 */
public final class Orchestra {

    private Orchestra() {}

    /** Runs {@code task} with the agents of {@link AgentRegistry#global()} and default settings. */
    public static OrchestraResult run(Object task, Topology topology) {
        return run(task, topology, RunOptions.defaults());
    }

    /**
     * Runs {@code task} (a String or a Map) over {@code topology}. Blocks the calling thread until the run stops.
     *
     * @throws AgentException before anything runs when a topology node has no registered agent
     */
    public static OrchestraResult run(Object task, Topology topology, RunOptions options) {
        Session session = Session.create(spec(task, topology, options));
        return await(session.runHere()); // this thread drives the session: no hand-off to wait through
    }

    /**
     * Agent calls given up while running (a step timeout, a cancellation, the run ending) whose threads are still
     * inside the agent, in this JVM, of every session and instance: an agent that ignores interrupts leaves its thread
     * behind until it returns (each such call was announced as a {@code StepAbandoned} event). A number that only
     * grows means threads are leaking. Metrics: {@code orchestra.steps.zombies}.
     */
    public static int abandonedStepsRunning() {
        return dev.orchestra4j.core.internal.engine.AbandonedCalls.running();
    }

    /** {@link #abandonedStepsRunning()} of one agent. */
    public static int abandonedStepsRunning(String agent) {
        return dev.orchestra4j.core.internal.engine.AbandonedCalls.running(requireNonNull(agent, "agent"));
    }

    static SessionSpec spec(Object task, Topology topology, RunOptions o) {
        checkTask(task);
        requireNonNull(topology, "topology");
        checkFollowUps(o);
        String sessionId = SessionIds.fromContext(o.context);
        java.util.List<StepInterceptor> interceptors = interceptors(o);
        java.util.List<dev.orchestra4j.core.event.OrchestraListener> listeners = o.listeners;
        if (o.recording()) { // innermost, so that what it records is what the agent itself saw and did
            dev.orchestra4j.core.internal.replay.StepTaping taping =
                    dev.orchestra4j.core.internal.replay.StepTaping.recording(
                            dev.orchestra4j.core.internal.SecretMask.of(o.secrets),
                            o.clock,
                            o.stepExecutor instanceof dev.orchestra4j.core.internal.engine.SimulationHooks simulation
                                    ? simulation::nanoTime // a simulation test's recordings replay byte for byte
                                    : System::nanoTime);
            interceptors = append(interceptors, taping);
        }
        return new SessionSpec(
                sessionId,
                task,
                o.context,
                o.secrets,
                topology,
                o.agents,
                o.execution,
                o.errors,
                o.communication,
                o.maxSteps,
                o.allowFollowUps,
                o.followUpTimeout,
                listeners,
                o.awaitListeners,
                interceptors,
                o.conditions,
                o.stateManager,
                o.clock,
                o.stepExecutor);
    }

    private static <T> java.util.List<T> append(java.util.List<T> list, T item) {
        java.util.List<T> all = new java.util.ArrayList<>(list);
        all.add(item);
        return java.util.List.copyOf(all);
    }

    /** The user's interceptors, plus the VERBOSE status printer of inputs and outputs (outermost) when asked for. */
    private static java.util.List<StepInterceptor> interceptors(RunOptions o) {
        StatusConfig status = o.execution.status();
        if (status.verbosity().orElse(Verbosity.QUIET) != Verbosity.VERBOSE) {
            return o.interceptors;
        }
        java.util.List<StepInterceptor> all = new java.util.ArrayList<>(o.interceptors.size() + 1);
        all.add(new dev.orchestra4j.core.internal.status.ValuePrinter(status));
        all.addAll(o.interceptors);
        return all;
    }

    /**
     * Refuses follow-ups without a live channel to offer them on: {@code allowFollowUps(true)} would otherwise be
     * ignored, the run ending after its first round.
     */
    static void checkFollowUps(RunOptions o) {
        if (o.allowFollowUps && o.communication.channel().isEmpty()) {
            throw new IllegalArgumentException("allowFollowUps(true) needs a live UserChannel to offer follow-ups on,"
                    + " and this CommunicationConfig has none: use CommunicationConfig.of(channel), or"
                    + " CommunicationConfig.durable(channel) to keep questions durable");
        }
    }

    static void checkTask(Object task) {
        requireNonNull(task, "task");
        if (!(task instanceof String) && !(task instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(
                    "task must be a String or a Map, was " + task.getClass().getName());
        }
    }

    static OrchestraResult await(CompletableFuture<OrchestraResult> future) {
        try {
            if (Thread.interrupted()) { // also when this thread drove the session and was interrupted meanwhile
                throw new InterruptedException();
            }
            if (!future.isDone()) {
                EventBus.releaseCurrentListener(); // a listener waiting here must not be awaited by what it waits on
            }
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true); // the session stops too (its agents are interrupted) instead of running on unseen
            Thread.currentThread().interrupt();
            throw new OrchestraException("interrupted while waiting for the run; the session was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new OrchestraException("the run failed", cause == null ? e : cause);
        }
    }
}
