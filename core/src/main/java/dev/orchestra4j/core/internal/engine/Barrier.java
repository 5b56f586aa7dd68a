package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.event.BarrierKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Collects arrivals: the run's ROOT sink, a FORK opened by a parallel invoke, or a RENDEZVOUS at a node. Opens once,
 * then fires or is cancelled once. Mutated only by its session's coordinator.
 */
final class Barrier {

    /** A barrier opens once and closes (fires, fails or is cancelled) once; it never reopens. */
    enum State {
        OPEN,
        FIRED,
        FAILED,
        CANCELLED;

        /** The one table of a barrier's legal moves. */
        static final TransitionTable<State> TABLE = TransitionTable.of("barrier", State.class)
                .initial(OPEN)
                .add(OPEN, FIRED, FAILED, CANCELLED)
                .build();
    }

    final String id;
    final BarrierKind kind;
    /** The node it sits at: the forking agent, the rendezvous node, or "End" for ROOT. */
    final String node;
    /** The branch woken when it fires; null for ROOT. */
    final @Nullable String resolver;

    final ConvergencePolicy policy;
    final Instant openedAt;

    private State state = State.OPEN;
    /** For forks: the slot of each child in invocation order. */
    Map<String, Integer> slots = new LinkedHashMap<>();

    final ArrayList<Arrival> arrivals = new ArrayList<>();
    final ArrayList<Integer> arrivalSlots = new ArrayList<>();
    /** Failed sources: branch id to its error. */
    final Map<String, String> failed = new LinkedHashMap<>();
    /** Sources still pending when the convergence timeout fired; they count as missing. */
    int stragglers;
    /** Sources that completed without arriving here, having handed their work on through a rendezvous. */
    int handedOn;
    /**
     * Whether a source that arrived may carry {@code max_turns} counts for the resolver to continue (D27): false while
     * every source seen arriving had none (most forks: no edge has a turn limit), so firing looks up no source branch.
     * A barrier read back from storage did not see its arrivals come: true, and firing looks at each source.
     */
    boolean turnsMayArrive = true;
    /** When the convergence timeout fires (epoch millis of the session clock). */
    long deadlineMillis = Long.MAX_VALUE;

    Barrier(
            String id,
            BarrierKind kind,
            String node,
            @Nullable String resolver,
            ConvergencePolicy policy,
            Instant openedAt) {
        this.id = id;
        this.kind = kind;
        this.node = node;
        this.resolver = resolver;
        this.policy = policy;
        this.openedAt = openedAt;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    State state() {
        return state;
    }

    /**
     * Closes this barrier as {@code to}.
     *
     * @throws IllegalStateException naming the barrier, both states and {@code event} when the table has no such move
     */
    void move(State to, String event) {
        State.TABLE.check(id, state, to, event);
        state = to;
    }

    /** Puts back a state read from storage (not a move). */
    void restore(State stored) {
        state = stored;
    }

    /** A fork about to spawn {@code children}: room for their slots and arrivals at once, not grown step by step. */
    void expectChildren(int children) {
        if (slots.isEmpty()) {
            slots = LinkedHashMap.newLinkedHashMap(children);
        }
        arrivals.ensureCapacity(children);
        arrivalSlots.ensureCapacity(children);
    }

    void arrive(Arrival arrival) {
        int slot = slots.getOrDefault(arrival.branchId(), Integer.MAX_VALUE);
        int at = arrivals.size();
        while (at > 0 && arrivalSlots.get(at - 1) > slot) {
            at--;
        }
        arrivals.add(at, arrival);
        arrivalSlots.add(at, slot);
    }

    boolean timedOut() {
        return stragglers > 0;
    }

    String describe() {
        return switch (kind) {
            case ROOT -> "the run";
            case FORK -> "fork '" + id + "' of '" + node + "'";
            case RENDEZVOUS -> "rendezvous '" + id + "' at '" + node + "'";
        };
    }
}
