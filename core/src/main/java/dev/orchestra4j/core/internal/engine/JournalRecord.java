package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.user.UserQuestion;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One event of a session's journal, as Jackson writes and reads it ({@link JournalCodec}); the kind is the {@value
 * #KIND} property. The field names are the journal's format: entries written before these records existed (hand-built
 * trees with the same names) read back through them unchanged. Run values (inputs, outputs, errors, arrivals' values,
 * final responses, context values) are the trees {@link SnapshotValues} makes, so they keep their types.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = JournalRecord.KIND)
@JsonSubTypes({
    @JsonSubTypes.Type(value = JournalRecord.Step.class, name = JournalRecord.STEP),
    @JsonSubTypes.Type(value = JournalRecord.Claim.class, name = JournalRecord.CLAIM)
})
sealed interface JournalRecord {

    String KIND = "t";
    String STEP = "step";
    String CLAIM = "claim";

    /**
     * What committed steps changed: the branches and barriers that changed (a settled one for the last time), the new
     * trace entries and final responses, and the small shared parts, which are written whole ({@code openRendezvous},
     * {@code questions}). {@code checkpointIds} and {@code context} are null when unchanged; {@code records} carries
     * the committed steps' recordings ({@link JournaledRecords}); {@code inputs} what the machine accepted to make
     * these changes ({@link Accepted}), which recovery replays (null in entries written before they were journaled).
     */
    record Step(
            Counters counters,
            Map<String, Integer> invocations,
            @Nullable String rootBarrier,
            List<BranchPart> branches,
            List<String> removedBranches,
            List<BarrierPart> barriers,
            Map<String, String> openRendezvous,
            List<QuestionPart> questions,
            List<TraceCodec.Part> trace,
            List<JsonNode> finalResponses,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            List<String> checkpointIds,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Map<String, JsonNode> context,

            @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable
            List<JsonNode> records,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            List<InputPart> inputs,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Map<String, JsonNode> resultMetadata)
            implements JournalRecord {

        public Step {
            required(counters, "counters");
            required(invocations, "invocations");
            required(branches, "branches");
            required(removedBranches, "removedBranches");
            required(barriers, "barriers");
            required(openRendezvous, "openRendezvous");
            required(questions, "questions");
            required(trace, "trace");
            required(finalResponses, "finalResponses");
        }
    }

    /** A new owner fenced the journal here (see {@link Ownership}); it changes no state. */
    record Claim() implements JournalRecord {}

    /** The session's counters. */
    record Counters(
            int nextBranch,
            int nextBarrier,
            int nextInteraction,
            int steps,
            int retries,
            int timeouts,
            long inputTokens,
            long outputTokens,
            long busyNanos,
            long elapsedNanosBefore,
            int followUps) {

        static Counters of(SessionState st) {
            return new Counters(
                    st.nextBranch,
                    st.nextBarrier,
                    st.nextInteraction,
                    st.steps,
                    st.retries,
                    st.timeouts,
                    st.inputTokens,
                    st.outputTokens,
                    st.busyNanos,
                    st.elapsedNanosBefore,
                    st.followUps);
        }

        void restore(SessionState st) {
            st.nextBranch = nextBranch;
            st.nextBarrier = nextBarrier;
            st.nextInteraction = nextInteraction;
            st.steps = steps;
            st.retries = retries;
            st.timeouts = timeouts;
            st.inputTokens = inputTokens;
            st.outputTokens = outputTokens;
            st.busyNanos = busyNanos;
            st.elapsedNanosBefore = elapsedNanosBefore;
            st.followUps = followUps;
        }
    }

    /**
     * A branch as it is now. The first time it is journaled it is whole; after that ({@code agentsFrom} set) {@code
     * agents} and {@code traceIndexes} hold only what follows the journaled lengths, and {@code memory} only the
     * agents whose conversation changed ({@code memoryPartial}). {@code memory} values are LangChain4j's message JSON.
     */
    record BranchPart(
            String id,
            @Nullable String parentId,
            BarrierKind origin,
            String target,
            List<String> lineage,
            List<String> candidateOf,
            String node,
            @Nullable String from,
            BranchStatus status,
            JsonNode input,
            @Nullable String waitingOn,
            @Nullable String waitingQuestion,
            boolean materialized,
            Map<String, String> memory,
            Map<String, Integer> turns,
            List<String> agents,
            List<Integer> traceIndexes,
            int steps,
            int attempt,
            int steering,
            @Nullable JsonNode error,
            long notBeforeMillis,
            String createdAt,
            @Nullable String endedAt,
            @Nullable JsonNode output,
            boolean delivered,
            @Nullable String failure,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Boolean memoryPartial,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Integer agentsFrom,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Integer traceIndexesFrom) {

        public BranchPart {
            required(id, "id");
            required(origin, "origin");
            required(target, "target");
            required(lineage, "lineage");
            required(candidateOf, "candidateOf");
            required(node, "node");
            required(status, "status");
            required(input, "input");
            required(memory, "memory");
            required(turns, "turns");
            required(agents, "agents");
            required(traceIndexes, "traceIndexes");
            required(createdAt, "createdAt");
        }

        boolean isPartial() {
            return agentsFrom != null;
        }
    }

    /** A barrier as it is now, with the branches it still expects ({@code pending}). */
    record BarrierPart(
            String id,
            BarrierKind kind,
            String node,
            @Nullable String resolver,
            double minRatio,
            ConvergencePolicy.OnInsufficient onInsufficient,
            boolean terminateOrphans,
            String openedAt,
            Barrier.State state,
            int stragglers,
            List<String> pending,
            Map<String, Integer> slots,
            List<ArrivalPart> arrivals,
            List<Integer> arrivalSlots,
            Map<String, String> failed,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Integer handedOn) {

        public BarrierPart {
            required(id, "id");
            required(kind, "kind");
            required(node, "node");
            required(onInsufficient, "onInsufficient");
            required(openedAt, "openedAt");
            required(state, "state");
            required(pending, "pending");
            required(slots, "slots");
            required(arrivals, "arrivals");
            required(arrivalSlots, "arrivalSlots");
            required(failed, "failed");
        }
    }

    /** One arrival at a barrier. */
    record ArrivalPart(String agent, String branchId, JsonNode value) {
        public ArrivalPart {
            required(agent, "agent");
            required(branchId, "branchId");
            required(value, "value");
        }
    }

    /** A question waiting for the user's answer. */
    record QuestionPart(
            String interactionId,
            String branchId,
            String agent,
            String question,
            UserQuestion.Kind kind,
            String askedAt,
            List<String> options,
            long deadlineMillis) {

        public QuestionPart {
            required(interactionId, "interactionId");
            required(branchId, "branchId");
            required(agent, "agent");
            required(question, "question");
            required(kind, "kind");
            required(askedAt, "askedAt");
            required(options, "options");
        }

        static QuestionPart of(SessionState.PendingQuestion pending) {
            UserQuestion q = pending.question();
            return new QuestionPart(
                    q.interactionId(),
                    q.branchId(),
                    q.agent(),
                    q.question(),
                    q.kind(),
                    q.askedAt().toString(),
                    q.options(),
                    pending.deadlineMillis());
        }
    }

    /** Fails on a part a journal entry lacks, naming it (the reader adds the session and the entry). */
    private static void required(@Nullable Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
    }
}
