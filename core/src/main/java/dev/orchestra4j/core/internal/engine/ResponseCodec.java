package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@link AgentResponse} as JSON and back (internal: for {@code dev.orchestra4j.core.internal.replay} too): the
 * format of a recording's {@code response} and of a journaled step outcome ({@link OutcomePart}). The kind is the
 * {@code kind} property; run values are {@link SnapshotValues} trees, so they come back with their Java types.
 * Reading is strict: an unknown kind or a missing field is an {@link IllegalArgumentException} naming it.
 */
public final class ResponseCodec {

    private static final String KIND = "kind";

    private ResponseCodec() {}

    /** {@code response} as a tree. */
    public static ObjectNode encode(AgentResponse response) {
        ObjectNode n = SnapshotValues.MAPPER.createObjectNode();
        switch (response) {
            case AgentResponse.Invoke invoke -> {
                n.put(KIND, "handoff").put("agent", invoke.agent());
                n.set("request", SnapshotValues.encode(invoke.request()));
            }
            case AgentResponse.Parallel parallel -> {
                n.put(KIND, "parallel");
                ArrayNode invocations = n.putArray("invocations");
                for (Invocation i : parallel.invocations()) {
                    invocations.addObject().put("agent", i.agent()).set("request", SnapshotValues.encode(i.request()));
                }
            }
            case AgentResponse.Finish finish -> {
                n.put(KIND, "finish");
                n.set("answer", SnapshotValues.encode(finish.answer()));
                n.set("metadata", SnapshotValues.encode(finish.metadata()));
            }
            case AgentResponse.AskUser ask -> n.put(KIND, "ask_user").put("question", ask.question());
            case AgentResponse.Reply reply -> {
                n.put(KIND, "reply");
                n.set("content", SnapshotValues.encode(reply.content()));
                reply.label().ifPresent(label -> n.put("label", label));
            }
            case AgentResponse.Fail fail ->
                n.put(KIND, "fail")
                        .put("reason", fail.reason())
                        .put("category", fail.category().name());
        }
        return n;
    }

    /** A response {@link #encode} wrote, with its Java types. */
    @SuppressWarnings("unchecked")
    public static AgentResponse decode(JsonNode n) {
        String kind = text(n, KIND, "a response");
        String what = "a '" + kind + "' response";
        return switch (kind) {
            case "handoff" -> AgentResponse.handOff(text(n, "agent", what), value(n, "request", what));
            case "parallel" -> {
                JsonNode items = field(n, "invocations", what);
                if (!items.isArray()) {
                    throw new IllegalArgumentException("field 'invocations' of " + what + " is not a list");
                }
                List<Invocation> invocations = new ArrayList<>(items.size());
                String item = "an invocation of " + what;
                items.forEach(i -> invocations.add(Invocation.of(text(i, "agent", item), value(i, "request", item))));
                yield AgentResponse.parallel(invocations);
            }
            case "finish" -> {
                if (!(value(n, "metadata", what) instanceof Map<?, ?> metadata)) {
                    throw new IllegalArgumentException("field 'metadata' of " + what + " is not a map");
                }
                yield new AgentResponse.Finish(value(n, "answer", what), (Map<String, Object>) metadata);
            }
            case "ask_user" -> AgentResponse.askUser(text(n, "question", what));
            case "reply" -> {
                AgentResponse.Reply reply = AgentResponse.reply(value(n, "content", what));
                yield n.has("label") ? reply.label(text(n, "label", what)) : reply;
            }
            case "fail" -> AgentResponse.fail(text(n, "reason", what), category(text(n, "category", what), what));
            default -> throw new IllegalArgumentException("unknown response kind '" + kind + "'");
        };
    }

    private static JsonNode field(JsonNode n, String name, String what) {
        JsonNode value = n.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + name + "' in " + what);
        }
        return value;
    }

    private static String text(JsonNode n, String name, String what) {
        JsonNode value = field(n, name, what);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + name + "' of " + what + " is not text");
        }
        return value.asText();
    }

    private static Object value(JsonNode n, String name, String what) {
        Object value = SnapshotValues.decode(field(n, name, what));
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + name + "' in " + what);
        }
        return value;
    }

    private static ErrorCategory category(String name, String what) {
        try {
            return ErrorCategory.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown error category '" + name + "' in " + what, e);
        }
    }
}
