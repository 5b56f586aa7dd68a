package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Everything a session knows that changes while it runs: branches, barriers, questions, counters and the trace. Owned
 * by the coordinator; this is what a snapshot persists.
 */
final class SessionState {

    // Sized for the one branch and one barrier (ROOT) most sessions have: 2 buckets, not 16, held while they run; a
    // fork grows them like any map.
    final Map<String, Branch> branches = new LinkedHashMap<>(2);
    final Map<String, Barrier> barriers = new LinkedHashMap<>(2);
    /** Which branches each barrier still expects (and, the other way round, where each branch is expected). */
    final Candidates candidates = new Candidates();
    /** The OPEN rendezvous barrier at each node, if any. */
    // sorted: Gates looks at them in this order, which must not depend on the map's history (a replay rebuilds it)
    final Map<String, String> openRendezvous = new java.util.TreeMap<>();
    /**
     * Questions waiting for an answer, by interaction id, in asking order. Only the coordinator changes it; {@code
     * respond} reads it from the caller's thread while holding its lock (D12), so it is a synchronized map.
     */
    final Map<String, PendingQuestion> questions = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    final List<TraceStep> trace = new ArrayList<>();
    final Map<String, Integer> invocations = new TreeMap<>();
    final List<Object> finalResponses = new ArrayList<>();
    final List<String> checkpointIds = new ArrayList<>();
    /** The session context (follow-ups add {@code previous_result}; a resume may add more). */
    final Map<String, Object> context = new LinkedHashMap<>();
    /**
     * Result metadata agents set with {@code finish(x).withMetadata(k, v)}; merged into the result's metadata. A shared
     * empty map until the first is set (most runs set none); change it only through {@link #addResultMetadata}.
     */
    Map<String, Object> resultMetadata = Map.of();
    /** How many times {@link #resultMetadata} changed: a journal entry carries it when this moved. */
    int resultMetadataChanges;

    int nextBranch;
    int nextBarrier;
    int nextInteraction;
    int steps;
    int retries;
    int timeouts;
    long inputTokens;
    long outputTokens;
    long busyNanos;
    long elapsedNanosBefore;
    int followUps;
    Instant startedAt;

    @Nullable
    String rootBarrier;

    SessionState(Instant startedAt) {
        this.startedAt = startedAt;
    }

    /** Merges {@code metadata} into the result metadata (later values win, as {@code Map.putAll}). */
    void addResultMetadata(Map<String, ?> metadata) {
        if (metadata.isEmpty()) {
            return;
        }
        if (resultMetadata.isEmpty()) {
            resultMetadata = new LinkedHashMap<>();
        }
        resultMetadata.putAll(metadata);
        resultMetadataChanges++;
    }

    String newBranchId() {
        return "b" + (++nextBranch);
    }

    String newBarrierId(String prefix) {
        return prefix + (++nextBarrier);
    }

    Branch branch(String id) {
        Branch b = branches.get(id);
        if (b == null) {
            throw new IllegalStateException("unknown branch '" + id + "'");
        }
        return b;
    }

    Barrier barrier(String id) {
        Barrier b = barriers.get(id);
        if (b == null) {
            throw new IllegalStateException("unknown barrier '" + id + "'");
        }
        return b;
    }

    /** The branches not settled yet (a copy: acting on them may settle others). */
    List<Branch> aliveBranches() {
        return branches.values().stream().filter(Branch::isAlive).toList();
    }

    /** The barriers still open, described (none should be once a run has ended). */
    List<String> openBarriers() {
        return barriers.values().stream()
                .filter(Barrier::isOpen)
                .map(Barrier::describe)
                .toList();
    }

    Barrier root() {
        return barrier(java.util.Objects.requireNonNull(rootBarrier, "rootBarrier"));
    }

    /** A question a branch is suspended on. */
    record PendingQuestion(UserQuestion question, long deadlineMillis) {}
}
