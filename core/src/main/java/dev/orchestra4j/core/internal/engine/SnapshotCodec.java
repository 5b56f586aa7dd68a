package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.UnreadableStateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link SessionState} as a JSON tree and reads it back, through a {@link SnapshotRecord} that Jackson writes
 * and reads. Only known shapes are written: run values (task, inputs, outputs) as plain JSON, with {@link Arrival}
 * lists and {@link ErrorContext}s tagged explicitly, and agent memories in LangChain4j's own message format — there is
 * no polymorphic typing to exploit. Every context entry is written: secrets are not context entries ({@code
 * RunOptions.Builder#secret} keeps them out of the session state, and the spec masks their text in what is stored), so
 * no key is dropped by its name. Reading is strict: a missing or unknown field is an error naming the session.
 */
final class SnapshotCodec {

    private static final ObjectReader READER = SnapshotValues.MAPPER
            .readerFor(SnapshotRecord.class)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SnapshotCodec() {}

    /**
     * @throws StateException naming the value when something in the session cannot be written as JSON
     */
    static ObjectNode encode(String sessionId, SessionState st, Object task) {
        try {
            return SnapshotValues.MAPPER.valueToTree(record(sessionId, st, task));
        } catch (IllegalArgumentException e) {
            throw SnapshotValues.unwritable(sessionId, "a value produced by an agent", null, e);
        }
    }

    private static SnapshotRecord record(String sessionId, SessionState st, Object task) {
        JsonNode taskNode = SnapshotValues.encode(sessionId, "the task", task);
        Map<String, JsonNode> context = new LinkedHashMap<>();
        st.context.forEach((k, v) -> context.put(k, SnapshotValues.encode(sessionId, "context value '" + k + "'", v)));
        List<JsonNode> finals = new ArrayList<>(st.finalResponses.size());
        st.finalResponses.forEach(v -> finals.add(SnapshotValues.encode(v)));
        Map<String, JsonNode> resultMetadata = SnapshotValues.encodeAll(st.resultMetadata);
        List<JournalRecord.BranchPart> branches = new ArrayList<>(st.branches.size());
        st.branches.values().forEach(b -> branches.add(JournalParts.branch(b, st.candidates, null)));
        List<JournalRecord.BarrierPart> barriers = new ArrayList<>(st.barriers.size());
        st.barriers.values().forEach(x -> barriers.add(JournalParts.barrier(x, st.candidates)));
        List<JournalRecord.QuestionPart> questions = new ArrayList<>(st.questions.size());
        st.questions.values().forEach(q -> questions.add(JournalRecord.QuestionPart.of(q)));
        return new SnapshotRecord(
                taskNode,
                context,
                st.startedAt.toString(),
                st.rootBarrier,
                JournalRecord.Counters.of(st),
                new LinkedHashMap<>(st.invocations),
                finals,
                List.copyOf(st.checkpointIds),
                resultMetadata,
                branches,
                barriers,
                new LinkedHashMap<>(st.openRendezvous),
                questions,
                TraceCodec.parts(st.trace));
    }

    static SessionState decode(String sessionId, JsonNode root) {
        if (!root.isObject()) {
            throw new UnreadableStateException("snapshot of session '" + sessionId
                    + "' has no engine state (payload is " + root.getNodeType() + ")");
        }
        SnapshotRecord s;
        try {
            s = READER.readValue(root);
        } catch (java.io.IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new UnreadableStateException("snapshot of session '" + sessionId + "' is corrupt: " + why, e);
        }
        SessionState st = new SessionState(Instant.parse(s.startedAt()));
        s.context().forEach((k, v) -> st.context.put(k, SnapshotValues.decode(v)));
        st.rootBarrier = s.rootBarrier();
        s.counters().restore(st);
        st.invocations.putAll(s.invocations());
        s.finalResponses().forEach(v -> st.finalResponses.add(SnapshotValues.decode(v)));
        st.checkpointIds.addAll(s.checkpointIds());
        if (s.resultMetadata() != null) { // absent in snapshots written before it existed
            st.addResultMetadata(SnapshotValues.decodeAll(s.resultMetadata()));
        }
        for (JournalRecord.BranchPart part : s.branches()) {
            st.branches.put(part.id(), JournalParts.branch(sessionId, part, null, st.candidates));
        }
        for (JournalRecord.BarrierPart part : s.barriers()) {
            st.barriers.put(part.id(), JournalParts.barrier(part, st.candidates));
        }
        st.openRendezvous.putAll(s.openRendezvous());
        s.questions().forEach(q -> st.questions.put(q.interactionId(), JournalParts.question(sessionId, q)));
        s.trace().forEach(t -> st.trace.add(t.toStep()));
        return st;
    }
}
