package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.event.BarrierKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** For forks: the slot of each child in invocation order (a shared empty map until {@link #expectChildren}). */
    Map<String, Integer> slots = Map.of();

    /** In slot order (a fork's invocation order); arrivals without a slot after them, in the order they came. */
    final ArrayList<Arrival> arrivals = new ArrayList<>();
    /** The slot of each of {@link #arrivals}, ascending; {@code Integer.MAX_VALUE} for an arrival without one. */
    private int[] arrivalSlots = NO_SLOTS;

    private static final int[] NO_SLOTS = new int[0];
    /** Failed sources: branch id to its error (a shared empty map until the first; change it with {@link #fail}). */
    Map<String, String> failed = Map.of();
    /** Records {@code branchId} as a failed source, with {@code error}. */
    void fail(String branchId, String error) {
        if (failed.isEmpty()) {
            failed = new LinkedHashMap<>(4);
        }
        failed.put(branchId, error);
    }

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
        if (arrivalSlots.length < children) {
            arrivalSlots = Arrays.copyOf(arrivalSlots, children);
        }
    }

    /**
     * Keeps {@code arrival} in slot order. Children of a wide fork finish out of order (two carriers, work stealing),
     * so the place is found by binary search: a linear scan back cost a fan-in of 1,000 up to half a million reads.
     */
    void arrive(Arrival arrival) {
        int slot = slots.getOrDefault(arrival.branchId(), Integer.MAX_VALUE);
        int n = arrivals.size();
        int at = n > 0 && arrivalSlots[n - 1] > slot ? after(slot, n) : n;
        if (arrivalSlots.length == n) {
            arrivalSlots = Arrays.copyOf(arrivalSlots, Math.max(8, n + (n >> 1)));
        }
        System.arraycopy(arrivalSlots, at, arrivalSlots, at + 1, n - at);
        arrivalSlots[at] = slot;
        arrivals.add(at, arrival);
    }

    /** The first index among the first {@code n} arrivals whose slot is above {@code slot}: equal slots keep order. */
    private int after(int slot, int n) {
        int low = 0;
        int high = n;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (arrivalSlots[mid] > slot) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** The slot of each arrival, in the order of {@link #arrivals}: what a snapshot keeps. */
    List<Integer> arrivalSlots() {
        List<Integer> out = new ArrayList<>(arrivals.size());
        for (int i = 0; i < arrivals.size(); i++) {
            out.add(arrivalSlots[i]);
        }
        return out;
    }

    /**
     * Puts back arrivals read from storage, with their slots.
     *
     * @throws IllegalArgumentException when the two lists differ in length or the slots are not in order
     */
    void restoreArrivals(List<Arrival> stored, List<Integer> storedSlots) {
        if (stored.size() != storedSlots.size()) {
            throw new IllegalArgumentException("barrier '" + id + "' has " + stored.size() + " arrivals but "
                    + storedSlots.size() + " arrival slots");
        }
        int[] read = new int[stored.size()];
        for (int i = 0; i < read.length; i++) {
            read[i] = java.util.Objects.requireNonNull(storedSlots.get(i), "arrival slot");
            if (i > 0 && read[i] < read[i - 1]) {
                throw new IllegalArgumentException(
                        "barrier '" + id + "' has its arrival slots out of order: " + storedSlots);
            }
        }
        arrivals.clear();
        arrivals.addAll(stored);
        arrivalSlots = read;
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
