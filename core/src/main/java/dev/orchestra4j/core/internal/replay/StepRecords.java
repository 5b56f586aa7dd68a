package dev.orchestra4j.core.internal.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ToolCallRecord;
import dev.orchestra4j.core.internal.engine.AnswerRecords;
import dev.orchestra4j.core.internal.engine.JournaledRecords;
import dev.orchestra4j.core.internal.engine.RecordedValues;
import dev.orchestra4j.core.internal.engine.ResponseCodec;
import dev.orchestra4j.core.replay.ModelCall;
import dev.orchestra4j.core.replay.RecordedStep;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.StateManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of a recording's step events, and reading a session's recording back. One event per agent step ({@code
 * "t": "step"}); a step number recorded twice (a session restored from a checkpoint ran it again) counts as its last
 * recording. The recording also holds the answers the user gave ({@code "t": "answer"}, {@link AnswerRecords}).
 */
public final class StepRecords {

    static final String KIND = "t";
    static final String STEP = "step";

    private StepRecords() {}

    /** One step's event as stored, and the public view of it. */
    public record StepRecord(JsonNode json, RecordedStep step) {

        /** The recorded response, with its Java types; empty when the step threw. */
        Optional<AgentResponse> response() {
            JsonNode r = json.path("response");
            return r.isObject() ? Optional.of(ResponseCodec.decode(r)) : Optional.empty();
        }

        List<ChatMessage> memoryAfter(List<ChatMessage> before) {
            int from = json.path("memoryFrom").asInt();
            List<ChatMessage> out = new ArrayList<>(before.subList(0, Math.min(from, before.size())));
            out.addAll(
                    ChatMessageDeserializer.messagesFromJson(json.path("memory").toString()));
            return out;
        }

        JsonNode modelCall(int index) {
            return json.path("model").path(index);
        }

        int modelCalls() {
            return json.path("model").size();
        }

        JsonNode toolCall(int index) {
            return json.path("tools").path(index);
        }

        int toolCalls() {
            return json.path("tools").size();
        }
    }

    /**
     * The session's recorded steps, ordered by step number (empty when nothing was recorded): its recording and the
     * records of committed steps its journal still holds ({@link JournaledRecords}).
     */
    public static List<StepRecord> read(StateManager manager, String sessionId) {
        TreeMap<Integer, StepRecord> steps = new TreeMap<>();
        each(manager, sessionId, (n, where) -> add(steps, n, where, sessionId));
        return List.copyOf(steps.values());
    }

    /**
     * The answers the user gave the session ({@link AnswerRecords}) in the order they were committed; a question
     * answered twice (a session restored from a checkpoint asked it again) counts once, with its last answer, in that
     * answer's place.
     */
    static List<JsonNode> answers(StateManager manager, String sessionId) {
        Map<String, JsonNode> answers = new java.util.LinkedHashMap<>();
        each(manager, sessionId, (n, where) -> {
            if (AnswerRecords.KIND.equals(n.path(KIND).asText())) {
                String id = n.path("interaction").asText();
                answers.remove(id); // in the place of its last answer: the order the steps that followed went in
                answers.put(id, n);
            }
        });
        return List.copyOf(answers.values());
    }

    /** Every record of the session in commit order: its recording's, then those its journal still holds. */
    private static void each(StateManager manager, String sessionId, BiConsumer<JsonNode, String> record) {
        // the journal first: a record a running leg moves meanwhile is then in the recording read next, never in
        // neither
        List<JournalEvent> journal = manager.readEvents(sessionId, 0);
        long moved = 0;
        for (JournalEvent event : manager.readRecording(sessionId, 0)) {
            record.accept(event.data(), "recording event " + event.sequence());
            moved = Math.max(moved, event.data().path(JournaledRecords.SEQUENCE).asLong(0));
        }
        for (JsonNode n : JournaledRecords.after(sessionId, journal, moved)) {
            record.accept(n, "the record in journal entry " + n.path(JournaledRecords.SEQUENCE));
        }
    }

    private static void add(TreeMap<Integer, StepRecord> steps, JsonNode n, String where, String sessionId) {
        if (!STEP.equals(n.path(KIND).asText())) {
            return;
        }
        StepRecord record;
        try {
            record = new StepRecord(n, decode(n));
        } catch (RuntimeException e) {
            throw new dev.orchestra4j.state.StateException(
                    where + " of session '" + sessionId + "' is not a step record: " + e.getMessage(), e);
        }
        steps.put(record.step().step(), record);
    }

    /**
     * A model call's record before its response: the request's digest (SHA-256 of its messages and offered tools'
     * definitions), the tools' own digest, their names and the messages. The messages are serialized once.
     */
    static ObjectNode modelCall(ChatRequest request) {
        String messages = ChatMessageSerializer.messagesToJson(request.messages());
        String toolsDigest = toolsDigest(request);
        ObjectNode n = mapper().createObjectNode()
                .put("digest", sha256(messages + "\n" + toolsDigest))
                .put("toolsDigest", toolsDigest);
        n.set("messages", tree(messages));
        ArrayNode tools = n.putArray("tools");
        request.toolSpecifications().forEach(t -> tools.add(t.name()));
        return n;
    }

    /** SHA-256 of the offered tools' definitions, hex. */
    private static String toolsDigest(ChatRequest request) {
        StringBuilder text = new StringBuilder();
        for (ToolSpecification tool : request.toolSpecifications()) {
            text.append(tool).append('\n');
        }
        return sha256(text.toString());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("LangChain4j wrote unreadable JSON: " + e.getMessage(), e);
        }
    }

    static com.fasterxml.jackson.databind.ObjectMapper mapper() {
        return RecordedValues.mapper();
    }

    static RecordedStep decode(JsonNode n) {
        JsonNode response = n.path("response");
        String action = "error";
        List<String> targets = new ArrayList<>();
        @Nullable Object output = null;
        if (response.isObject()) {
            action = response.path("kind").asText();
            switch (action) {
                case "handoff" -> {
                    targets.add(response.path("agent").asText());
                    output = RecordedValues.decode(response.path("request"));
                }
                case "parallel" -> {
                    List<@Nullable Object> requests = new ArrayList<>();
                    response.path("invocations").forEach(i -> {
                        targets.add(i.path("agent").asText());
                        requests.add(RecordedValues.decode(i.path("request")));
                    });
                    output = requests;
                }
                case "finish" -> output = RecordedValues.decode(response.path("answer"));
                case "ask_user" -> output = response.path("question").asText();
                case "reply" -> output = RecordedValues.decode(response.path("content"));
                case "fail" -> output = response.path("reason").asText();
                default -> throw new IllegalArgumentException("unknown response kind '" + action + "'");
            }
        }
        List<ModelCall> calls = new ArrayList<>();
        n.path("model").forEach(m -> {
            List<String> tools = new ArrayList<>();
            m.path("tools").forEach(t -> tools.add(t.asText()));
            calls.add(new ModelCall(
                    m.path("digest").asText(),
                    m.path("messages").toString(),
                    tools,
                    m.path("response").toString(),
                    m.path("in").asLong(),
                    m.path("out").asLong(),
                    Duration.ofNanos(m.path("nanos").asLong())));
        });
        List<ToolCallRecord> tools = new ArrayList<>();
        n.path("tools")
                .forEach(t -> tools.add(new ToolCallRecord(
                        t.path("name").asText(),
                        t.path("arguments").asText(),
                        t.path("result").asText(),
                        Duration.ofNanos(t.path("nanos").asLong()),
                        t.path("failed").asBoolean())));
        return new RecordedStep(
                n.path("step").asInt(),
                n.path("attempt").asInt(),
                n.path("branch").asText(),
                n.path("agent").asText(),
                RecordedValues.decode(n.path("input")),
                action,
                targets,
                output,
                n.hasNonNull("error") ? Optional.of(n.get("error").asText()) : Optional.empty(),
                Instant.parse(n.path("start").asText()),
                Duration.ofNanos(n.path("nanos").asLong()),
                calls,
                tools,
                n.hasNonNull("copiedFrom") ? Optional.of(n.get("copiedFrom").asText()) : Optional.empty());
    }
}
