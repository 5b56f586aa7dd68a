package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What changed in a session since the last journal entry or snapshot, as one journal event: the branches and barriers
 * whose encoding changed (settled ones are written once, when they settle), the new trace entries and final responses,
 * and the small shared parts (counters, questions, open rendezvous). Bytes per committed step therefore stay flat as a
 * run grows; replaying the events over the snapshot they follow rebuilds the state.
 */
final class JournalDelta {

    static final String KIND = "t";
    static final String STEP = "step";
    static final String CLAIM = "claim";

    /** The last journaled encoding of each live branch or barrier; settled ones are frozen as {@link #FROZEN}. */
    private final Map<String, JsonNode> branches = new HashMap<>();

    private final Map<String, JsonNode> barriers = new HashMap<>();
    private static final JsonNode FROZEN = SnapshotValues.MAPPER.nullNode();
    /** Journaled lengths of each branch's append-only lists (visited agents, trace indexes): only the rest is written. */
    private final Map<String, int[]> listSizes = new HashMap<>();

    private final Map<String, Integer> invocations = new HashMap<>();
    private int traceSize;
    private int finalsSize;
    private int followUps;
    private int checkpoints;

    /** Everything in {@code st} is in the snapshot just written: the next delta starts from here. */
    void baseline(SessionState st) {
        branches.clear();
        barriers.clear();
        st.branches
                .values()
                .forEach(b -> branches.put(b.id, b.isAlive() ? SnapshotCodec.encode(b, st.candidates) : FROZEN));
        listSizes.clear();
        st.branches.values().forEach(b -> listSizes.put(b.id, new int[] {b.agents.size(), b.traceIndexes.size()}));
        invocations.clear();
        invocations.putAll(st.invocations);
        st.barriers
                .values()
                .forEach(x -> barriers.put(x.id, x.isOpen() ? SnapshotCodec.encode(x, st.candidates) : FROZEN));
        traceSize = st.trace.size();
        finalsSize = st.finalResponses.size();
        followUps = st.followUps;
        checkpoints = st.checkpointIds.size();
    }

    /** The changes since the last call (or baseline), as one event; its parts are then considered journaled. */
    ObjectNode next(SessionState st) {
        ObjectNode d = SnapshotValues.MAPPER.createObjectNode().put(KIND, STEP);
        d.set("counters", SnapshotCodec.Counters.encode(st));
        ObjectNode counts = d.putObject("invocations");
        st.invocations.forEach((agent, n) -> {
            if (!n.equals(invocations.put(agent, n))) {
                counts.put(agent, n);
            }
        });
        d.put("rootBarrier", st.rootBarrier);
        ArrayNode changedBranches = d.putArray("branches");
        for (Branch b : st.branches.values()) {
            JsonNode before = branches.get(b.id);
            if (before == FROZEN) {
                continue;
            }
            ObjectNode now = SnapshotCodec.encode(b, st.candidates);
            if (!now.equals(before)) {
                branches.put(b.id, b.isAlive() ? now : FROZEN);
                changedBranches.add(withoutJournaledParts(b, now, before));
            }
        }
        d.set("removedBranches", removed(branches, st.branches));
        listSizes.keySet().retainAll(st.branches.keySet());
        ArrayNode changedBarriers = d.putArray("barriers");
        st.barriers.values().forEach(x -> changed(
                        barriers, x.id, x.isOpen(), () -> SnapshotCodec.encode(x, st.candidates))
                .ifPresent(changedBarriers::add));
        d.set("openRendezvous", SnapshotValues.MAPPER.valueToTree(st.openRendezvous));
        ArrayNode questions = d.putArray("questions");
        st.questions.values().forEach(q -> questions.add(SnapshotCodec.encode(q)));
        d.set("trace", TraceCodec.encode(st.trace.subList(traceSize, st.trace.size())));
        traceSize = st.trace.size();
        ArrayNode finals = d.putArray("finalResponses");
        st.finalResponses
                .subList(finalsSize, st.finalResponses.size())
                .forEach(v -> finals.add(SnapshotValues.encode(v)));
        finalsSize = st.finalResponses.size();
        if (st.checkpointIds.size() != checkpoints) {
            d.set("checkpointIds", SnapshotValues.MAPPER.valueToTree(st.checkpointIds));
            checkpoints = st.checkpointIds.size();
        }
        if (st.followUps != followUps) { // a follow-up round changed the context (previous_result)
            ObjectNode context = d.putObject("context");
            st.context.forEach((k, v) -> context.set(k, SnapshotValues.encode(v)));
            followUps = st.followUps;
        }
        return d;
    }

    /**
     * The branch's encoding cut to what is new since the last entry: the tails of its append-only lists and the agent
     * memories that changed.
     */
    private JsonNode withoutJournaledParts(Branch b, ObjectNode encoded, @Nullable JsonNode before) {
        int[] sizes = listSizes.get(b.id);
        if (sizes == null || before == null) {
            listSizes.put(b.id, new int[] {b.agents.size(), b.traceIndexes.size()});
            return encoded;
        }
        ObjectNode n = encoded.deepCopy();
        ObjectNode memory = n.putObject("memory");
        encoded.get("memory").properties().forEach(e -> {
            if (!e.getValue().equals(before.path("memory").get(e.getKey()))) {
                memory.set(e.getKey(), e.getValue());
            }
        });
        n.put("memoryPartial", true);
        n.put("agentsFrom", sizes[0]).put("traceIndexesFrom", sizes[1]);
        n.set("agents", SnapshotValues.MAPPER.valueToTree(b.agents.subList(sizes[0], b.agents.size())));
        n.set(
                "traceIndexes",
                SnapshotValues.MAPPER.valueToTree(b.traceIndexes.subList(sizes[1], b.traceIndexes.size())));
        sizes[0] = b.agents.size();
        sizes[1] = b.traceIndexes.size();
        return n;
    }

    /** Puts the journaled parts of a branch back around what an entry carries (recovery). */
    private static void restorePrefixes(SessionState st, JsonNode n) {
        if (!n.has("agentsFrom")) {
            return;
        }
        Branch before = st.branch(n.path("id").asText());
        ObjectNode o = (ObjectNode) n;
        ObjectNode memory = (ObjectNode) n.get("memory");
        before.memory.forEach((agent, messages) -> {
            if (!memory.has(agent)) {
                memory.put(agent, dev.langchain4j.data.message.ChatMessageSerializer.messagesToJson(messages));
            }
        });
        ArrayNode agents = SnapshotValues.MAPPER.valueToTree(
                before.agents.subList(0, n.get("agentsFrom").asInt()));
        agents.addAll((ArrayNode) n.get("agents"));
        o.set("agents", agents);
        ArrayNode indexes = SnapshotValues.MAPPER.valueToTree(
                before.traceIndexes.subList(0, n.get("traceIndexesFrom").asInt()));
        indexes.addAll((ArrayNode) n.get("traceIndexes"));
        o.set("traceIndexes", indexes);
    }

    private static java.util.Optional<JsonNode> changed(
            Map<String, JsonNode> seen, String id, boolean live, java.util.function.Supplier<ObjectNode> encode) {
        JsonNode before = seen.get(id);
        if (before == FROZEN) {
            return java.util.Optional.empty();
        }
        ObjectNode now = encode.get();
        if (now.equals(before)) {
            return java.util.Optional.empty();
        }
        seen.put(id, live ? now : FROZEN);
        return java.util.Optional.of(now);
    }

    private static ArrayNode removed(Map<String, JsonNode> seen, Map<String, ?> current) {
        ArrayNode out = SnapshotValues.MAPPER.createArrayNode();
        for (Iterator<String> it = seen.keySet().iterator(); it.hasNext(); ) {
            String id = it.next();
            if (!current.containsKey(id)) {
                out.add(id);
                it.remove();
            }
        }
        return out;
    }

    /** Applies one journal event to {@code st} (recovery); events other than steps (claims) change nothing. */
    static void apply(String sessionId, SessionState st, long sequence, JsonNode event) {
        if (!STEP.equals(event.path(KIND).asText())) {
            return;
        }
        SnapshotReader r = new SnapshotReader(sessionId, event);
        SnapshotCodec.Counters.decode(r, r.object(event, "counters"), st);
        r.object(event, "invocations")
                .properties()
                .forEach(e -> st.invocations.put(e.getKey(), e.getValue().asInt()));
        st.rootBarrier =
                event.path("rootBarrier").isTextual() ? event.get("rootBarrier").asText() : null;
        r.array(event, "branches").forEach(n -> {
            restorePrefixes(st, n);
            Branch b = SnapshotCodec.decodeBranch(r, n, st.candidates);
            st.branches.put(b.id, b);
        });
        r.array(event, "removedBranches").forEach(id -> {
            st.branches.remove(id.asText());
            st.candidates.restoreBranch(id.asText(), java.util.List.of());
        });
        r.array(event, "barriers").forEach(n -> {
            Barrier x = SnapshotCodec.decodeBarrier(r, n, st.candidates);
            st.barriers.put(x.id, x);
        });
        st.openRendezvous.clear();
        r.object(event, "openRendezvous")
                .properties()
                .forEach(e -> st.openRendezvous.put(e.getKey(), e.getValue().asText()));
        st.questions.clear();
        r.array(event, "questions").forEach(q -> {
            SessionState.PendingQuestion pending = SnapshotCodec.decodeQuestion(r, q);
            st.questions.put(pending.question().interactionId(), pending);
        });
        st.trace.addAll(TraceCodec.decode(r, r.array(event, "trace")));
        r.array(event, "finalResponses").forEach(v -> st.finalResponses.add(SnapshotValues.decode(v)));
        replaceIfPresent(event.get("checkpointIds"), ids -> {
            st.checkpointIds.clear();
            ids.forEach(id -> st.checkpointIds.add(id.asText()));
        });
        replaceIfPresent(event.get("context"), context -> {
            st.context.clear();
            context.properties().forEach(e -> st.context.put(e.getKey(), SnapshotValues.decode(e.getValue())));
        });
    }

    private static void replaceIfPresent(@Nullable JsonNode n, java.util.function.Consumer<JsonNode> apply) {
        if (n != null && !n.isNull()) {
            apply.accept(n);
        }
    }
}
