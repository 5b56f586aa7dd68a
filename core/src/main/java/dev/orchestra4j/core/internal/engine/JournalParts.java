package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.UnreadableStateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Branches, barriers and questions to the {@link JournalRecord} parts a journal entry carries, and back (recovery).
 * A branch journaled before is written cut to what is new since ({@link JournalMarks.BranchMark}); reading it back puts
 * the journaled prefixes and unchanged memories of the branch it replaces around it.
 */
final class JournalParts {

    private JournalParts() {}

    /** {@code b} whole when {@code journaled} is null, else cut to what changed since {@code journaled}. */
    static JournalRecord.BranchPart branch(
            Branch b, Candidates candidates, JournalMarks.@Nullable BranchMark journaled) {
        Map<String, String> memory = new LinkedHashMap<>();
        b.memory.forEach((agent, messages) -> {
            if (journaled == null || journaled.isMemoryChanged(b, agent)) {
                memory.put(agent, ChatMessageSerializer.messagesToJson(messages));
            }
        });
        int agentsFrom = journaled == null ? 0 : journaled.agents;
        int indexesFrom = journaled == null ? 0 : journaled.traceIndexes;
        boolean partial = journaled != null;
        return new JournalRecord.BranchPart(
                b.id,
                b.parentId,
                b.origin,
                b.target,
                List.copyOf(b.lineage),
                candidates.barriersOf(b.id),
                b.node,
                b.from,
                b.status(),
                SnapshotValues.encode(b.input),
                b.waitingOn(),
                b.waitingQuestion(),
                b.materialized,
                memory,
                new TreeMap<>(b.turns), // sorted: the same bytes in every JVM (Map.copyOf iterates in a per-JVM order)
                List.copyOf(b.agents.subList(agentsFrom, b.agents.size())),
                List.copyOf(b.traceIndexes.subList(indexesFrom, b.traceIndexes.size())),
                b.steps,
                b.attempt,
                b.steering,
                b.error == null ? null : SnapshotValues.encode(b.error),
                b.notBeforeMillis(),
                b.createdAt.toString(),
                b.endedAt == null ? null : b.endedAt.toString(),
                b.output == null ? null : SnapshotValues.encode(b.output),
                b.delivered,
                b.failure(),
                partial ? Boolean.TRUE : null,
                partial ? agentsFrom : null,
                partial ? indexesFrom : null);
    }

    /**
     * The branch {@code p} describes; a partial one is completed from {@code before}, the branch it replaces. Its side
     * of the candidate index goes into {@code candidates}.
     */
    static Branch branch(String sessionId, JournalRecord.BranchPart p, @Nullable Branch before, Candidates candidates) {
        if (p.isPartial() && before == null) {
            throw new UnreadableStateException("journal of session '" + sessionId + "' continues branch '" + p.id()
                    + "', which neither its snapshot nor an earlier entry holds");
        }
        Branch b = new Branch(
                p.id(),
                p.parentId(),
                p.origin(),
                p.target(),
                p.node(),
                SnapshotValues.decode(p.input()),
                p.from(),
                Instant.parse(p.createdAt()),
                BranchState.READY);
        b.agents.clear();
        if (before != null && p.isPartial()) {
            b.agents.addAll(prefix(sessionId, p, "agentsFrom", before.agents, p.agentsFrom()));
            prefix(sessionId, p, "traceIndexesFrom", before.traceIndexes, p.traceIndexesFrom())
                    .forEach(b::addTraceIndex);
            if (Boolean.TRUE.equals(p.memoryPartial())) {
                before.memory.forEach((agent, messages) -> b.writableMemory().put(agent, new ArrayList<>(messages)));
            }
        }
        b.agents.addAll(p.agents());
        p.traceIndexes().forEach(b::addTraceIndex);
        if (!p.lineage().isEmpty()) {
            b.writableLineage().addAll(p.lineage());
        }
        candidates.restoreBranch(b.id, p.candidateOf());
        b.materialized = p.materialized();
        b.restore(state(p));
        p.memory().forEach((agent, json) -> b.writableMemory().put(agent, memory(sessionId, p.id(), json)));
        if (!p.turns().isEmpty()) {
            b.writableTurns().putAll(p.turns());
        }
        b.steps = p.steps();
        b.attempt = p.attempt();
        b.steering = p.steering();
        b.error = p.error() != null && p.error().isObject() ? (ErrorContext) SnapshotValues.decode(p.error()) : null;
        b.endedAt = p.endedAt() == null ? null : Instant.parse(p.endedAt());
        b.output = p.output() == null || p.output().isNull() ? null : SnapshotValues.decode(p.output());
        b.delivered = p.delivered();
        return b;
    }

    private static <T> List<T> prefix(
            String sessionId, JournalRecord.BranchPart p, String field, List<T> journaled, @Nullable Integer length) {
        if (length == null || length < 0 || length > journaled.size()) {
            throw new UnreadableStateException("journal of session '" + sessionId + "': branch '" + p.id() + "' has '"
                    + field + "' " + length + ", but " + journaled.size() + " were journaled before");
        }
        return journaled.subList(0, length);
    }

    /** The branch's state from its stored fields (the format keeps the fields a state is made of). */
    private static BranchState state(JournalRecord.BranchPart p) {
        if (p.status().isSettled()) {
            return new BranchState.Settled(p.status(), p.failure());
        }
        if (p.waitingQuestion() != null) {
            return new BranchState.Asking(p.waitingQuestion(), p.waitingOn());
        }
        if (p.waitingOn() != null) {
            return new BranchState.Joining(p.waitingOn());
        }
        if (!p.materialized()) {
            return BranchState.QUEUED;
        }
        return p.notBeforeMillis() != 0 ? new BranchState.RetryAt(p.notBeforeMillis()) : BranchState.READY;
    }

    private static List<dev.langchain4j.data.message.ChatMessage> memory(String sessionId, String branch, String json) {
        try {
            return new ArrayList<>(ChatMessageDeserializer.messagesFromJson(json));
        } catch (RuntimeException e) {
            throw new UnreadableStateException(
                    "journal of session '" + sessionId + "': the memory of branch '" + branch + "' is corrupt: "
                            + e.getMessage(),
                    e);
        }
    }

    static JournalRecord.BarrierPart barrier(Barrier x, Candidates candidates) {
        List<JournalRecord.ArrivalPart> arrivals = new ArrayList<>(x.arrivals.size());
        x.arrivals.forEach(a ->
                arrivals.add(new JournalRecord.ArrivalPart(a.agent(), a.branchId(), SnapshotValues.encode(a.value()))));
        return new JournalRecord.BarrierPart(
                x.id,
                x.kind,
                x.node,
                x.resolver,
                x.policy.minRatio(),
                x.policy.onInsufficient(),
                x.policy.terminateOrphans(),
                x.openedAt.toString(),
                x.state(),
                x.stragglers,
                candidates.pendingAt(x.id),
                new LinkedHashMap<>(x.slots),
                arrivals,
                x.arrivalSlots(),
                new LinkedHashMap<>(x.failed),
                x.isOpen() && x.handedOn > 0 ? x.handedOn : null); // only an open fork decides by it (D24)
    }

    /** The barrier {@code p} describes; its side of the candidate index goes into {@code candidates}. */
    static Barrier barrier(JournalRecord.BarrierPart p, Candidates candidates) {
        Barrier x = new Barrier(
                p.id(),
                p.kind(),
                p.node(),
                p.resolver(),
                new ConvergencePolicy(p.minRatio(), p.onInsufficient(), p.terminateOrphans()),
                Instant.parse(p.openedAt()));
        x.restore(p.state());
        x.stragglers = p.stragglers();
        candidates.restoreBarrier(x.id, p.pending());
        if (!p.slots().isEmpty()) {
            x.slots = new LinkedHashMap<>(p.slots());
        }
        List<dev.orchestra4j.core.Arrival> arrivals =
                new ArrayList<>(p.arrivals().size());
        p.arrivals()
                .forEach(a -> arrivals.add(new dev.orchestra4j.core.Arrival(
                        a.agent(),
                        a.branchId(),
                        java.util.Objects.requireNonNull(SnapshotValues.decode(a.value()), "value"))));
        x.restoreArrivals(arrivals, p.arrivalSlots());
        p.failed().forEach(x::fail);
        x.handedOn = p.handedOn() == null ? 0 : p.handedOn();
        return x;
    }

    static SessionState.PendingQuestion question(String sessionId, JournalRecord.QuestionPart p) {
        UserQuestion q = new UserQuestion(
                p.interactionId(),
                sessionId,
                p.branchId(),
                p.agent(),
                p.question(),
                p.kind(),
                p.options(),
                Instant.parse(p.askedAt()));
        return new SessionState.PendingQuestion(q, p.deadlineMillis());
    }
}
