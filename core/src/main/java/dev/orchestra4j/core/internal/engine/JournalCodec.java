package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.UnreadableStateException;
import dev.orchestra4j.state.internal.codec.RepeatedText;
import java.io.IOException;

/**
 * Journal events to JSON bytes and back, with Jackson over the {@link JournalRecord}s, and an event applied to a
 * session's state (recovery). Reading is strict: an unknown field, a missing or null number, a missing part or an
 * unknown enum value is a {@link StateException} naming the session and the entry, not a silent default. Events that
 * are not steps (a claim, a restore's marker) change nothing.
 */
final class JournalCodec {

    private static final ObjectWriter WRITER = SnapshotValues.MAPPER.writerFor(JournalRecord.class);
    private static final ObjectWriter TREE_WRITER = SnapshotValues.MAPPER.writerFor(JsonNode.class);
    private static final ObjectReader READER = SnapshotValues.MAPPER
            .readerFor(JournalRecord.class)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectReader OUTCOME_READER = SnapshotValues.MAPPER
            .readerFor(OutcomePart.class)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JournalCodec() {}

    /** {@code event} as the JSON bytes the journal stores (each long text once: {@link RepeatedText}). */
    static byte[] bytes(JournalRecord event) {
        return bytes(WRITER, event);
    }

    /** {@code event}, a tree {@link #tree} made, as the JSON bytes the journal stores. */
    static byte[] bytes(JsonNode event) {
        return bytes(TREE_WRITER, event);
    }

    private static byte[] bytes(ObjectWriter writer, Object event) {
        try {
            return RepeatedText.write(writer, event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** {@code event} as a tree (to mask secrets in it before it is stored). */
    static JsonNode tree(JournalRecord event) {
        return SnapshotValues.MAPPER.valueToTree(event);
    }

    /** A step's outcome as a tree (to embed in a journal entry). */
    static JsonNode tree(OutcomePart outcome) {
        return SnapshotValues.MAPPER.valueToTree(outcome);
    }

    /**
     * A step's outcome {@link #tree} made, read as strictly as an entry: an unknown or missing field is an {@link
     * IllegalArgumentException} naming it.
     */
    static OutcomePart outcome(JsonNode tree) {
        try {
            return OUTCOME_READER.readValue(tree);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                String field = m.getPath().getLast().getFieldName();
                why = field == null || why.contains("'" + field + "'") ? why : "field '" + field + "': " + why;
            }
            throw new IllegalArgumentException("unreadable step outcome: " + why, e);
        }
    }

    /** Applies journal entry {@code sequence} of the session to {@code st} (recovery). */
    static void apply(String sessionId, SessionState st, long sequence, JsonNode event) {
        if (!JournalRecord.STEP.equals(event.path(JournalRecord.KIND).asText())) {
            return; // a claim or a restore's marker: it fences, it changes nothing
        }
        if (read(sessionId, sequence, event) instanceof JournalRecord.Step step) {
            apply(sessionId, st, step);
        }
    }

    /** Entry {@code sequence} as its record; its texts are put back in place first ({@link RepeatedText}). */
    static JournalRecord read(String sessionId, long sequence, JsonNode event) {
        RepeatedText.resolve(event, "journal entry " + sequence + " of session '" + sessionId + "'");
        try {
            return READER.readValue(event);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new UnreadableStateException(
                    "journal entry " + sequence + " of session '" + sessionId + "' is corrupt: " + why, e);
        }
    }

    static void apply(String sessionId, SessionState st, JournalRecord.Step step) {
        step.counters().restore(st);
        st.invocations.putAll(step.invocations());
        st.rootBarrier = step.rootBarrier();
        for (JournalRecord.BranchPart part : step.branches()) {
            Branch b = JournalParts.branch(sessionId, part, st.branches.get(part.id()), st.candidates);
            st.branches.put(b.id, b);
        }
        for (String id : step.removedBranches()) {
            st.branches.remove(id);
            st.candidates.restoreBranch(id, java.util.List.of());
        }
        for (JournalRecord.BarrierPart part : step.barriers()) {
            Barrier x = JournalParts.barrier(part, st.candidates);
            st.barriers.put(x.id, x);
        }
        st.openRendezvous.clear();
        st.openRendezvous.putAll(step.openRendezvous());
        synchronized (st.questions) {
            st.questions.clear();
            step.questions().forEach(q -> st.questions.put(q.interactionId(), JournalParts.question(sessionId, q)));
        }
        step.trace().forEach(t -> st.trace.add(t.toStep()));
        step.finalResponses().forEach(v -> st.finalResponses.add(SnapshotValues.decode(v)));
        if (step.checkpointIds() != null) {
            st.checkpointIds.clear();
            st.checkpointIds.addAll(step.checkpointIds());
        }
        if (step.resultMetadata() != null) { // the whole map when the entry was committed: a superset of st's
            st.addResultMetadata(SnapshotValues.decodeAll(step.resultMetadata()));
        }
        if (step.context() != null) {
            st.context.clear();
            step.context().forEach((k, v) -> st.context.put(k, SnapshotValues.decode(v)));
        }
    }
}
