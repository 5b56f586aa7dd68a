package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.event.BarrierKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One thread of work positioned at one node. Mutated only by its session's coordinator.
 */
final class Branch {

    final String id;
    final @Nullable String parentId;
    final BarrierKind origin;
    /** The barrier this branch delivers to when it finishes. */
    String target;
    /**
     * Open forks this branch works for, innermost first (causal lineage used to route returns). Read it here; write
     * through {@link #writableLineage()}. Like the other collections below it is allocated on first write: most
     * branches (fork children, pipeline steps) never need some of them, and a suspended session keeps every branch.
     */
    List<String> lineage = List.of();

    String node;
    Object input;

    @Nullable
    String from;

    /** Where this branch is: the one source of truth, changed only by {@link #move}. */
    private BranchState state;
    /**
     * Whether this branch has become visible: counted, timed and announced. A pre-created rendezvous resolver and a
     * branch queued by {@code max_agents} are not, until they fire or are admitted; it never goes back.
     */
    boolean materialized = true;

    /** Each agent's conversation on this branch; written through {@link #writableMemory()}. */
    Map<String, List<ChatMessage>> memory = Map.of();
    /** Agent instances made for this branch (non-shared agents); written through {@link #instance}. */
    private Map<String, Agent> instances = Map.of();
    /** Traversals of edges with a {@code max_turns} limit; written through {@link #writableTurns()}. */
    Map<String, Integer> turns = Map.of();

    final List<String> agents = new ArrayList<>(4);
    /** Where this branch's steps are in the session trace; written through {@link #addTraceIndex}. */
    List<Integer> traceIndexes = List.of();
    /** The plan entry of {@link #node}, kept while the node stays the same (one hash lookup per node, not per use). */
    private Plan.@Nullable NodeInfo info;

    private @Nullable Plan infoPlan;

    int steps;
    int attempt = 1;
    int steering;

    @Nullable
    ErrorContext error;
    /** Incremented per dispatched step, so a late outcome of a cancelled step is recognised and ignored. */
    long stepToken;
    /** The session-wide number of the step this branch is running (or ran last). */
    int stepNumber;

    /** When this branch times out (epoch millis of the session clock). */
    long deadlineMillis = Long.MAX_VALUE;
    /** Its entry in its leg's {@link Deadlines} (the branch clock's liveness is this pointer), or null. */
    @Nullable
    Object clock;
    /** Its branch time left when it began waiting for a fork; the clock resumes from there when the fork fires. */
    long remainingMillis = Long.MAX_VALUE;

    final Instant createdAt;

    @Nullable
    Instant endedAt;

    @Nullable
    Object output;

    boolean delivered;

    Branch(
            String id,
            @Nullable String parentId,
            BarrierKind origin,
            String target,
            String node,
            Object input,
            @Nullable String from,
            Instant createdAt,
            BranchState initial) {
        BranchPhase.TABLE.check(id, null, initial.phase(), "created");
        this.state = initial;
        this.id = id;
        this.parentId = parentId;
        this.origin = origin;
        this.target = target;
        this.node = node;
        this.input = input;
        this.from = from;
        this.createdAt = createdAt;
        agents.add(node);
    }

    List<String> writableLineage() {
        if (!(lineage instanceof ArrayList)) {
            lineage = new ArrayList<>(lineage);
        }
        return lineage;
    }

    Map<String, List<ChatMessage>> writableMemory() {
        if (!(memory instanceof HashMap)) {
            memory = new HashMap<>(memory);
        }
        return memory;
    }

    Map<String, Integer> writableTurns() {
        if (!(turns instanceof HashMap)) {
            turns = new HashMap<>(turns);
        }
        return turns;
    }

    void addTraceIndex(int index) {
        Ints ints;
        if (traceIndexes instanceof Ints known) {
            ints = known;
        } else {
            ints = new Ints(traceIndexes);
            traceIndexes = ints;
        }
        ints.add(index);
    }

    /** A growable list of ints, read as a {@code List<Integer>}: one per step of a branch, so no boxing per step. */
    private static final class Ints extends java.util.AbstractList<Integer> implements java.util.RandomAccess {
        private int[] values;
        private int size;

        Ints(List<Integer> initial) {
            values = new int[Math.max(2, initial.size() + 1)]; // a fork child takes a step or two
            for (int value : initial) {
                add(value);
            }
        }

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        @Override
        public Integer get(int i) {
            java.util.Objects.checkIndex(i, size);
            return values[i];
        }

        @Override
        public int size() {
            return size;
        }
    }

    /**
     * A fork child of {@code parent} in fork {@code forkId}: it counts {@code max_turns} on from its parent's count
     * (along the conversation, across forks: D27) and works for the fork and every fork its parent works for.
     */
    void inherit(Branch parent, String forkId) {
        if (!parent.turns.isEmpty()) {
            writableTurns().putAll(parent.turns);
        }
        if (lineage.isEmpty() && parent.lineage.isEmpty()) {
            lineage = List.of(forkId); // a child of a top-level fork, nearly always: no list of its own until written
            return;
        }
        List<String> forks = writableLineage();
        forks.add(forkId);
        forks.addAll(parent.lineage);
    }

    /** This branch's instance of agent {@code node}, made by {@code make} the first time. */
    Agent instance(String name, java.util.function.Function<String, Agent> make) {
        if (!(instances instanceof HashMap)) {
            instances = new HashMap<>(2);
        }
        return instances.computeIfAbsent(name, make);
    }

    /** Moves this branch to the node of {@code next}, a plan entry of {@code plan} (the caller looked it up already). */
    void at(Plan plan, Plan.NodeInfo next) {
        node = next.name(); // the plan's own string: later checks of the cached entry compare by identity
        info = next;
        infoPlan = plan;
    }

    /** The plan entry of the node this branch is at. */
    Plan.NodeInfo info(Plan plan) {
        Plan.NodeInfo known = info;
        if (known == null || infoPlan != plan || !known.name().equals(node)) {
            known = plan.node(node);
            info = known;
            infoPlan = plan;
        }
        return known;
    }

    BranchState state() {
        return state;
    }

    BranchPhase phase() {
        return state.phase();
    }

    /**
     * Moves this branch to {@code to}.
     *
     * @throws IllegalStateException naming the branch, both phases and {@code event} when the table has no such move
     */
    void move(BranchState to, String event) {
        BranchPhase.TABLE.check(id, state.phase(), to.phase(), event);
        state = to;
    }

    /** Puts back a state read from storage (not a move: the stored state was reached by legal moves). */
    void restore(BranchState stored) {
        state = stored;
    }

    BranchStatus status() {
        return state.status();
    }

    boolean isAlive() {
        return !(state instanceof BranchState.Settled);
    }

    boolean isRunnable() {
        return state instanceof BranchState.Ready;
    }

    /**
     * Whether this branch runs step {@code token} now: it is RUNNING it, and the step's token was not retired (its
     * outcome taken, or the step given up).
     */
    boolean isRunning(long token) {
        return state instanceof BranchState.Running r && r.token() == token && token == stepToken;
    }

    /** The barrier this branch waits on (a fork it opened, the rendezvous it resolves), else null. */
    @Nullable
    String waitingOn() {
        return state.barrier();
    }

    /** The question this branch waits on, else null. */
    @Nullable
    String waitingQuestion() {
        return state instanceof BranchState.Asking a ? a.question() : null;
    }

    /** When a retry may run (epoch millis), or 0 when none waits. */
    long notBeforeMillis() {
        return state instanceof BranchState.RetryAt r ? r.notBeforeMillis() : 0;
    }

    /** Why the branch settled as it did, or null. */
    @Nullable
    String failure() {
        return state instanceof BranchState.Settled s ? s.reason() : null;
    }

    @Override
    public String toString() {
        return "branch '" + id + "' at '" + node + "'";
    }
}
