package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What changed in a session since the last journal entry or snapshot, as one {@link JournalRecord.Step}: the branches
 * and barriers that changed (settled ones are written once, when they settle), the new trace entries and final
 * responses, and the small shared parts (counters, questions, open rendezvous). Which branches and barriers changed is
 * told by their {@link JournalMarks}, without encoding the unchanged ones; a changed branch is written cut to what is new
 * since its last entry. Bytes per committed step therefore stay flat as a run grows; replaying the events over the
 * snapshot they follow ({@link JournalCodec#apply}) rebuilds the state.
 */
final class JournalDelta {

    static final String KIND = JournalRecord.KIND;
    static final String STEP = JournalRecord.STEP;
    static final String CLAIM = JournalRecord.CLAIM;

    /** What was journaled of each branch; settled ones are frozen as null (never written again). */
    private final Map<String, JournalMarks.@Nullable BranchMark> branches = new HashMap<>();

    /** What was journaled of each barrier; closed ones are frozen as null. */
    private final Map<String, JournalMarks.@Nullable BarrierMark> barriers = new HashMap<>();

    private final Map<String, Integer> invocations = new HashMap<>();
    private int traceSize;
    private int finalsSize;
    private int followUps;
    private int checkpoints;
    private int resultMetadataChanges;

    /** Everything in {@code st} is in the snapshot just written: the next delta starts from here. */
    void baseline(SessionState st) {
        branches.clear();
        st.branches
                .values()
                .forEach(b -> branches.put(b.id, b.isAlive() ? new JournalMarks.BranchMark(b, st.candidates) : null));
        barriers.clear();
        st.barriers
                .values()
                .forEach(x -> barriers.put(x.id, x.isOpen() ? new JournalMarks.BarrierMark(x, st.candidates) : null));
        invocations.clear();
        invocations.putAll(st.invocations);
        traceSize = st.trace.size();
        finalsSize = st.finalResponses.size();
        followUps = st.followUps;
        checkpoints = st.checkpointIds.size();
        resultMetadataChanges = st.resultMetadataChanges;
    }

    /**
     * The changes since the last call (or baseline), as one event carrying {@code records} (the committed steps'
     * recordings); its parts are then considered journaled.
     *
     * @throws IllegalArgumentException when a value in it cannot be written as JSON
     */
    JournalRecord.Step next(SessionState st, List<JsonNode> records) {
        return next(st, records, null);
    }

    /** Like {@link #next(SessionState, List)}, carrying {@code inputs}: what the machine accepted to get here. */
    JournalRecord.Step next(SessionState st, List<JsonNode> records, @Nullable List<InputPart> inputs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        st.invocations.forEach((agent, n) -> {
            if (!n.equals(invocations.put(agent, n))) {
                counts.put(agent, n);
            }
        });
        List<JournalRecord.BranchPart> changedBranches = changedBranches(st);
        List<JournalRecord.BarrierPart> changedBarriers = changedBarriers(st);
        List<JournalRecord.QuestionPart> questions = new ArrayList<>(st.questions.size());
        st.questions.values().forEach(q -> questions.add(JournalRecord.QuestionPart.of(q)));
        List<TraceCodec.Part> trace = TraceCodec.parts(st.trace.subList(traceSize, st.trace.size()));
        traceSize = st.trace.size();
        List<JsonNode> finals = new ArrayList<>(st.finalResponses.size() - finalsSize);
        st.finalResponses
                .subList(finalsSize, st.finalResponses.size())
                .forEach(v -> finals.add(SnapshotValues.encode(v)));
        finalsSize = st.finalResponses.size();
        List<String> checkpointIds = null;
        if (st.checkpointIds.size() != checkpoints) {
            checkpointIds = List.copyOf(st.checkpointIds);
            checkpoints = st.checkpointIds.size();
        }
        Map<String, JsonNode> context = null;
        if (st.followUps != followUps) { // a follow-up round changed the context (previous_result)
            context = SnapshotValues.encodeAll(st.context);
            followUps = st.followUps;
        }
        Map<String, JsonNode> resultMetadata = null;
        if (st.resultMetadataChanges != resultMetadataChanges) { // a finish set metadata: all of it, it is small
            resultMetadata = SnapshotValues.encodeAll(st.resultMetadata);
            resultMetadataChanges = st.resultMetadataChanges;
        }
        return new JournalRecord.Step(
                JournalRecord.Counters.of(st),
                counts,
                st.rootBarrier,
                changedBranches,
                removed(branches, st.branches),
                changedBarriers,
                new TreeMap<>(st.openRendezvous), // sorted: the same bytes in every JVM
                questions,
                trace,
                finals,
                checkpointIds,
                context,
                records,
                inputs,
                resultMetadata);
    }

    private List<JournalRecord.BranchPart> changedBranches(SessionState st) {
        List<JournalRecord.BranchPart> changed = new ArrayList<>(2);
        for (Branch b : st.branches.values()) {
            boolean known = branches.containsKey(b.id);
            JournalMarks.BranchMark mark = branches.get(b.id);
            if (known && mark == null) {
                continue; // settled and journaled: it never changes again
            }
            if (mark == null) {
                changed.add(JournalParts.branch(b, st.candidates, null));
                mark = new JournalMarks.BranchMark(b, st.candidates);
            } else if (mark.isChanged(b, st.candidates)) {
                changed.add(JournalParts.branch(b, st.candidates, mark));
                mark.update(b, st.candidates);
            }
            if (!known || !b.isAlive()) {
                branches.put(b.id, b.isAlive() ? mark : null);
            }
        }
        return changed;
    }

    private List<JournalRecord.BarrierPart> changedBarriers(SessionState st) {
        List<JournalRecord.BarrierPart> changed = new ArrayList<>(1);
        for (Barrier x : st.barriers.values()) {
            boolean known = barriers.containsKey(x.id);
            JournalMarks.BarrierMark mark = barriers.get(x.id);
            if (known && mark == null) {
                continue; // closed and journaled
            }
            if (mark == null || mark.isChanged(x, st.candidates)) {
                changed.add(JournalParts.barrier(x, st.candidates));
                if (mark == null) {
                    mark = new JournalMarks.BarrierMark(x, st.candidates);
                } else {
                    mark.update(x, st.candidates);
                }
            }
            if (!known || !x.isOpen()) {
                barriers.put(x.id, x.isOpen() ? mark : null);
            }
        }
        return changed;
    }

    /** The ids journaled before that {@code current} no longer holds (they are forgotten here too). */
    private static List<String> removed(Map<String, ?> journaled, Map<String, ?> current) {
        if (journaled.size() == current.size()) { // every current one is journaled: none was removed
            return List.of();
        }
        List<String> out = new ArrayList<>(journaled.size() - current.size());
        for (Iterator<String> it = journaled.keySet().iterator(); it.hasNext(); ) {
            String id = it.next();
            if (!current.containsKey(id)) {
                out.add(id);
                it.remove();
            }
        }
        return out;
    }
}
