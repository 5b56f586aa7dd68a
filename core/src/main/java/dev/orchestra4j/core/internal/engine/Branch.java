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
    /** Open forks this branch works for, innermost first (causal lineage used to route returns). */
    final List<String> lineage = new ArrayList<>(2);

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

    final Map<String, List<ChatMessage>> memory = new HashMap<>(2);
    final Map<String, Agent> instances = new HashMap<>(2);
    final Map<String, Integer> turns = new HashMap<>(2);
    final List<String> agents = new ArrayList<>(4);
    final List<Integer> traceIndexes = new ArrayList<>(4);

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
