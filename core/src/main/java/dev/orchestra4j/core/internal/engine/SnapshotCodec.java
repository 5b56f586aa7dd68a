package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.StateException;
import java.time.Instant;
import java.util.List;

/**
 * Writes a {@link SessionState} as a JSON tree and reads it back. Only known shapes are written: run values (task,
 * inputs, outputs) as plain JSON, with {@link Arrival} lists and {@link ErrorContext}s tagged explicitly, and agent
 * memories in LangChain4j's own message format — there is no polymorphic typing to exploit. Every context entry is
 * written: secrets are not context entries ({@code RunOptions.Builder#secret} keeps them out of the session state, and
 * the spec masks their text in what is stored), so no key is dropped by its name.
 */
final class SnapshotCodec {

    private SnapshotCodec() {}

    /**
     * @throws StateException naming the value when something in the session cannot be written as JSON
     */
    static ObjectNode encode(String sessionId, SessionState st, Object task) {
        try {
            return encode(sessionId, st, task, SnapshotValues.MAPPER.createObjectNode());
        } catch (IllegalArgumentException e) {
            throw SnapshotValues.unwritable(sessionId, "a value produced by an agent", null, e);
        }
    }

    private static ObjectNode encode(String sessionId, SessionState st, Object task, ObjectNode root) {
        root.set("task", SnapshotValues.encode(sessionId, "the task", task));
        ObjectNode context = root.putObject("context");
        st.context.forEach((k, v) -> context.set(k, SnapshotValues.encode(sessionId, "context value '" + k + "'", v)));
        root.put("startedAt", st.startedAt.toString());
        root.put("rootBarrier", st.rootBarrier);
        root.set("counters", Counters.encode(st));
        root.set("invocations", SnapshotValues.MAPPER.valueToTree(st.invocations));
        ArrayNode finals = root.putArray("finalResponses");
        st.finalResponses.forEach(v -> finals.add(SnapshotValues.encode(v)));
        root.set("checkpointIds", SnapshotValues.MAPPER.valueToTree(st.checkpointIds));
        ObjectNode resultMetadata = root.putObject("resultMetadata");
        st.resultMetadata.forEach((k, v) -> resultMetadata.set(k, SnapshotValues.encode(v)));
        ArrayNode branches = root.putArray("branches");
        st.branches.values().forEach(b -> branches.add(encode(b, st.candidates)));
        ArrayNode barriers = root.putArray("barriers");
        st.barriers.values().forEach(x -> barriers.add(encode(x, st.candidates)));
        root.set("openRendezvous", SnapshotValues.MAPPER.valueToTree(st.openRendezvous));
        ArrayNode questions = root.putArray("questions");
        st.questions.values().forEach(q -> questions.add(encode(q)));
        root.set("trace", TraceCodec.encode(st.trace));
        return root;
    }

    static SessionState decode(String sessionId, JsonNode root) {
        SnapshotReader r = new SnapshotReader(sessionId, root);
        SessionState st = new SessionState(Instant.parse(r.text(root, "startedAt")));
        r.object(root, "context")
                .properties()
                .forEach(e -> st.context.put(e.getKey(), SnapshotValues.decode(e.getValue())));
        st.rootBarrier =
                root.path("rootBarrier").isTextual() ? root.get("rootBarrier").asText() : null;
        Counters.decode(r, r.object(root, "counters"), st);
        r.object(root, "invocations")
                .properties()
                .forEach(e -> st.invocations.put(e.getKey(), e.getValue().asInt()));
        r.array(root, "finalResponses").forEach(v -> st.finalResponses.add(SnapshotValues.decode(v)));
        r.array(root, "checkpointIds").forEach(v -> st.checkpointIds.add(v.asText()));
        root.path("resultMetadata") // optional: absent in snapshots written before it existed
                .properties()
                .forEach(e -> st.resultMetadata.put(e.getKey(), SnapshotValues.decode(e.getValue())));
        r.array(root, "branches").forEach(b -> {
            Branch branch = decodeBranch(r, b, st.candidates);
            st.branches.put(branch.id, branch);
        });
        r.array(root, "barriers").forEach(x -> {
            Barrier barrier = decodeBarrier(r, x, st.candidates);
            st.barriers.put(barrier.id, barrier);
        });
        r.object(root, "openRendezvous")
                .properties()
                .forEach(e -> st.openRendezvous.put(e.getKey(), e.getValue().asText()));
        r.array(root, "questions").forEach(q -> {
            SessionState.PendingQuestion pending = decodeQuestion(r, q);
            st.questions.put(pending.question().interactionId(), pending);
        });
        st.trace.addAll(TraceCodec.decode(r, r.array(root, "trace")));
        return st;
    }

    static ObjectNode encode(Branch b, Candidates candidates) {
        ObjectNode n = SnapshotValues.MAPPER.createObjectNode();
        n.put("id", b.id)
                .put("parentId", b.parentId)
                .put("origin", b.origin.name())
                .put("target", b.target);
        n.set("lineage", SnapshotValues.MAPPER.valueToTree(b.lineage));
        n.set("candidateOf", SnapshotValues.MAPPER.valueToTree(candidates.barriersOf(b.id)));
        n.put("node", b.node).put("from", b.from).put("status", b.status().name());
        n.set("input", SnapshotValues.encode(b.input));
        n.put("waitingOn", b.waitingOn())
                .put("waitingQuestion", b.waitingQuestion())
                .put("materialized", b.materialized);
        ObjectNode memory = n.putObject("memory");
        b.memory.forEach((agent, messages) -> memory.put(agent, ChatMessageSerializer.messagesToJson(messages)));
        n.set("turns", SnapshotValues.MAPPER.valueToTree(b.turns));
        n.set("agents", SnapshotValues.MAPPER.valueToTree(b.agents));
        n.set("traceIndexes", SnapshotValues.MAPPER.valueToTree(b.traceIndexes));
        n.put("steps", b.steps).put("attempt", b.attempt).put("steering", b.steering);
        n.set("error", b.error == null ? null : SnapshotValues.encode(b.error));
        n.put("notBeforeMillis", b.notBeforeMillis()).put("createdAt", b.createdAt.toString());
        n.put("endedAt", b.endedAt == null ? null : b.endedAt.toString());
        n.set("output", b.output == null ? null : SnapshotValues.encode(b.output));
        n.put("delivered", b.delivered).put("failure", b.failure());
        return n;
    }

    /** Reads a branch; its side of the candidate index goes into {@code candidates}. */
    static Branch decodeBranch(SnapshotReader r, JsonNode n, Candidates candidates) {
        Branch b = new Branch(
                r.text(n, "id"),
                r.optText(n, "parentId"),
                r.enumValue(n, "origin", BarrierKind.class),
                r.text(n, "target"),
                r.text(n, "node"),
                SnapshotValues.decode(r.field(n, "input")),
                r.optText(n, "from"),
                Instant.parse(r.text(n, "createdAt")),
                new BranchState.Ready());
        b.agents.clear();
        r.array(n, "agents").forEach(a -> b.agents.add(a.asText()));
        r.array(n, "lineage").forEach(a -> b.writableLineage().add(a.asText()));
        List<String> candidateOf = new java.util.ArrayList<>();
        r.array(n, "candidateOf").forEach(a -> candidateOf.add(a.asText()));
        candidates.restoreBranch(b.id, candidateOf);
        b.materialized = r.bool(n, "materialized");
        b.restore(state(r, n, b.materialized));
        r.object(n, "memory").properties().forEach(e -> b.writableMemory().put(e.getKey(), memory(r, e.getValue())));
        r.object(n, "turns").properties().forEach(e -> b.writableTurns()
                .put(e.getKey(), e.getValue().asInt()));
        r.array(n, "traceIndexes").forEach(i -> b.addTraceIndex(i.asInt()));
        b.steps = r.integer(n, "steps");
        b.attempt = r.integer(n, "attempt");
        b.steering = r.integer(n, "steering");
        JsonNode error = n.path("error");
        b.error = error.isObject() ? (ErrorContext) SnapshotValues.decode(error) : null;
        b.endedAt =
                n.path("endedAt").isTextual() ? Instant.parse(n.get("endedAt").asText()) : null;
        b.output = n.path("output").isNull() || n.path("output").isMissingNode()
                ? null
                : SnapshotValues.decode(n.get("output"));
        b.delivered = r.bool(n, "delivered");
        return b;
    }

    /** The branch's state from its stored fields (the format keeps the fields a state is made of). */
    private static BranchState state(SnapshotReader r, JsonNode n, boolean materialized) {
        BranchStatus status = r.enumValue(n, "status", BranchStatus.class);
        String waitingOn = r.optText(n, "waitingOn");
        String question = r.optText(n, "waitingQuestion");
        long notBefore = n.path("notBeforeMillis").asLong();
        if (status.isSettled()) {
            return new BranchState.Settled(status, r.optText(n, "failure"));
        }
        if (question != null) {
            return new BranchState.Asking(question, waitingOn);
        }
        if (waitingOn != null) {
            return new BranchState.Joining(waitingOn);
        }
        if (!materialized) {
            return new BranchState.Queued();
        }
        return notBefore != 0 ? new BranchState.RetryAt(notBefore) : new BranchState.Ready();
    }

    private static List<ChatMessage> memory(SnapshotReader r, JsonNode json) {
        try {
            return new java.util.ArrayList<>(ChatMessageDeserializer.messagesFromJson(json.asText()));
        } catch (RuntimeException e) {
            throw r.corrupt("memory", e);
        }
    }

    static ObjectNode encode(Barrier x, Candidates candidates) {
        ObjectNode n = SnapshotValues.MAPPER.createObjectNode();
        n.put("id", x.id).put("kind", x.kind.name()).put("node", x.node).put("resolver", x.resolver);
        n.put("minRatio", x.policy.minRatio())
                .put("onInsufficient", x.policy.onInsufficient().name());
        n.put("terminateOrphans", x.policy.terminateOrphans());
        n.put("openedAt", x.openedAt.toString()).put("state", x.state().name()).put("stragglers", x.stragglers);
        n.set("pending", SnapshotValues.MAPPER.valueToTree(candidates.pendingAt(x.id)));
        n.set("slots", SnapshotValues.MAPPER.valueToTree(x.slots));
        ArrayNode arrivals = n.putArray("arrivals");
        x.arrivals.forEach(a -> arrivals.add(SnapshotValues.encodeArrival(a)));
        n.set("arrivalSlots", SnapshotValues.MAPPER.valueToTree(x.arrivalSlots));
        n.set("failed", SnapshotValues.MAPPER.valueToTree(x.failed));
        return n;
    }

    /** Reads a barrier; its side of the candidate index goes into {@code candidates}. */
    static Barrier decodeBarrier(SnapshotReader r, JsonNode n, Candidates candidates) {
        ConvergencePolicy policy = new ConvergencePolicy(
                n.path("minRatio").asDouble(),
                r.enumValue(n, "onInsufficient", ConvergencePolicy.OnInsufficient.class),
                r.bool(n, "terminateOrphans"));
        Barrier x = new Barrier(
                r.text(n, "id"),
                r.enumValue(n, "kind", BarrierKind.class),
                r.text(n, "node"),
                r.optText(n, "resolver"),
                policy,
                Instant.parse(r.text(n, "openedAt")));
        x.restore(r.enumValue(n, "state", Barrier.State.class));
        x.stragglers = n.path("stragglers").asInt();
        List<String> pending = new java.util.ArrayList<>();
        r.array(n, "pending").forEach(p -> pending.add(p.asText()));
        candidates.restoreBarrier(x.id, pending);
        r.object(n, "slots")
                .properties()
                .forEach(e -> x.slots.put(e.getKey(), e.getValue().asInt()));
        r.array(n, "arrivals").forEach(a -> x.arrivals.add(SnapshotValues.decodeArrival(r, a)));
        r.array(n, "arrivalSlots").forEach(s -> x.arrivalSlots.add(s.asInt()));
        r.object(n, "failed")
                .properties()
                .forEach(e -> x.failed.put(e.getKey(), e.getValue().asText()));
        return x;
    }

    static ObjectNode encode(SessionState.PendingQuestion pending) {
        UserQuestion q = pending.question();
        ObjectNode n = SnapshotValues.MAPPER.createObjectNode();
        n.put("interactionId", q.interactionId()).put("branchId", q.branchId()).put("agent", q.agent());
        n.put("question", q.question())
                .put("kind", q.kind().name())
                .put("askedAt", q.askedAt().toString());
        n.set("options", SnapshotValues.MAPPER.valueToTree(q.options()));
        n.put("deadlineMillis", pending.deadlineMillis());
        return n;
    }

    static SessionState.PendingQuestion decodeQuestion(SnapshotReader r, JsonNode n) {
        List<String> options = new java.util.ArrayList<>();
        r.array(n, "options").forEach(o -> options.add(o.asText()));
        UserQuestion q = new UserQuestion(
                r.text(n, "interactionId"),
                r.sessionId,
                r.text(n, "branchId"),
                r.text(n, "agent"),
                r.text(n, "question"),
                r.enumValue(n, "kind", UserQuestion.Kind.class),
                options,
                Instant.parse(r.text(n, "askedAt")));
        return new SessionState.PendingQuestion(q, n.path("deadlineMillis").asLong(Long.MAX_VALUE));
    }

    /** The session's counters. */
    static final class Counters {
        private Counters() {}

        static ObjectNode encode(SessionState st) {
            ObjectNode n = SnapshotValues.MAPPER.createObjectNode();
            n.put("nextBranch", st.nextBranch).put("nextBarrier", st.nextBarrier);
            n.put("nextInteraction", st.nextInteraction).put("steps", st.steps).put("retries", st.retries);
            n.put("timeouts", st.timeouts).put("inputTokens", st.inputTokens).put("outputTokens", st.outputTokens);
            n.put("busyNanos", st.busyNanos).put("elapsedNanosBefore", st.elapsedNanosBefore);
            n.put("followUps", st.followUps);
            return n;
        }

        static void decode(SnapshotReader r, JsonNode n, SessionState st) {
            st.nextBranch = r.integer(n, "nextBranch");
            st.nextBarrier = r.integer(n, "nextBarrier");
            st.nextInteraction = r.integer(n, "nextInteraction");
            st.steps = r.integer(n, "steps");
            st.retries = r.integer(n, "retries");
            st.timeouts = r.integer(n, "timeouts");
            st.inputTokens = n.path("inputTokens").asLong();
            st.outputTokens = n.path("outputTokens").asLong();
            st.busyNanos = n.path("busyNanos").asLong();
            st.elapsedNanosBefore = n.path("elapsedNanosBefore").asLong();
            st.followUps = r.integer(n, "followUps");
        }
    }
}
