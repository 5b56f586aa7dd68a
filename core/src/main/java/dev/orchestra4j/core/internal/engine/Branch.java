package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.event.BarrierKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** Barriers expecting an arrival from this branch (its target, lineage forks, reachable rendezvous). */
    final Set<String> candidateOf = new LinkedHashSet<>(4);

    String node;
    Object input;

    @Nullable
    String from;

    BranchStatus status = BranchStatus.RUNNING;
    /** The barrier this branch waits on (a fork it opened, or the rendezvous it resolves). */
    @Nullable
    String waitingOn;
    /** The question this branch waits on. */
    @Nullable
    String waitingQuestion;
    /** Whether this branch has become visible (a pre-created rendezvous resolver is not until it fires). */
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

    boolean inFlight;
    /** A retry waits until this instant (epoch millis); 0 when runnable now. */
    long notBeforeMillis;
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

    @Nullable
    String failure;

    Branch(
            String id,
            @Nullable String parentId,
            BarrierKind origin,
            String target,
            String node,
            Object input,
            @Nullable String from,
            Instant createdAt) {
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

    boolean isAlive() {
        return !status.isSettled();
    }

    boolean isRunnable() {
        return status == BranchStatus.RUNNING && !inFlight && waitingOn == null && waitingQuestion == null;
    }

    @Override
    public String toString() {
        return "branch '" + id + "' at '" + node + "'";
    }
}
