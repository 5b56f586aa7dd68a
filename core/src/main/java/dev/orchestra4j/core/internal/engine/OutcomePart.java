package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One agent step's outcome as journal data, as Jackson writes and reads it ({@link JournalCodec}), so that recovery can
 * hand the machine the same input again ({@link #toOutcome}). What the machine decides on is kept as it saw it: the
 * response ({@link ResponseCodec}), the failure as {@link Stepping#describe} named it ({@link RecordedFailure}), the
 * classifier's verdict and the edge predicates' ({@code verdicts}, sorted so that the bytes are the same in every
 * JVM); the agent's memory after the call is its tail after the longest prefix it kept of the memory before it
 * ({@code memoryFrom}), in LangChain4j's message JSON.
 *
 * @param response the response's tree; null when the step failed
 * @param error the failure as the machine names it; null on success
 * @param category the classifier's category of {@code error}; null when it was not classified
 * @param retryAfterMillis the classifier's {@code Retry-After}, when it gave one
 */
record OutcomePart(
        String branch,
        long token,
        @Nullable JsonNode response,
        @Nullable String error,
        int memoryFrom,
        String memory,
        String start,
        long nanos,
        long inputTokens,
        long outputTokens,
        List<TraceCodec.ToolPart> toolCalls,
        int interrupted,
        @Nullable ErrorCategory category,
        @Nullable Long retryAfterMillis,
        Map<String, Boolean> verdicts) {

    OutcomePart {
        required(branch, "branch");
        required(memory, "memory");
        required(start, "start");
        required(toolCalls, "toolCalls");
        required(verdicts, "verdicts");
        if (response != null && response.isNull()) {
            response = null; // Jackson reads a JSON null into a JsonNode as a NullNode
        }
        if (memoryFrom < 0) {
            throw new IllegalArgumentException("field 'memoryFrom' is negative: " + memoryFrom);
        }
        if (category == null && retryAfterMillis != null) {
            throw new IllegalArgumentException("field 'retryAfterMillis' without a 'category'");
        }
        for (int i = 0; i < toolCalls.size(); i++) {
            TraceCodec.ToolPart t = toolCalls.get(i);
            required(t, "toolCalls[" + i + "]");
            required(t.name(), "toolCalls[" + i + "].name");
            required(t.arguments(), "toolCalls[" + i + "].arguments");
            required(t.result(), "toolCalls[" + i + "].result");
        }
        TreeMap<String, Boolean> sorted = new TreeMap<>();
        verdicts.forEach((condition, holds) -> {
            required(holds, "verdicts." + condition);
            sorted.put(condition, holds);
        });
        verdicts = Collections.unmodifiableSortedMap(sorted);
        toolCalls = List.copyOf(toolCalls);
    }

    /** The JSON of no messages (most steps add none to what they were given, or the agent keeps no memory). */
    private static final String NO_MESSAGES = "[]";

    /** {@code o} as journal data; {@code before} is the agent's memory before the call. */
    static OutcomePart of(StepOutcome o, List<ChatMessage> before) {
        List<ChatMessage> after = o.memory();
        int from = 0;
        int common = Math.min(before.size(), after.size());
        while (from < common && before.get(from).equals(after.get(from))) {
            from++;
        }
        StepOutcome.Classified classified = o.classified();
        return new OutcomePart(
                o.branchId(),
                o.token(),
                o.response() == null ? null : ResponseCodec.encode(o.response()),
                o.error() == null ? null : Stepping.describe(o.error()),
                from,
                from == after.size()
                        ? NO_MESSAGES
                        : ChatMessageSerializer.messagesToJson(after.subList(from, after.size())),
                o.start().toString(),
                o.nanos(),
                o.telemetry().inputTokens(),
                o.telemetry().outputTokens(),
                TraceCodec.toolParts(o.telemetry().toolCalls()),
                o.interrupted(),
                classified == null ? null : classified.category(),
                classified == null
                        ? null
                        : classified.retryAfter().map(Duration::toMillis).orElse(null),
                o.verdicts());
    }

    /**
     * The outcome this part was made of, as the machine decides on it; {@code before} is the agent's memory before the
     * call, as it is again when the step is replayed.
     *
     * @throws IllegalArgumentException when {@code before} is shorter than {@code memoryFrom}, or a part is unreadable
     */
    StepOutcome toOutcome(List<ChatMessage> before) {
        if (memoryFrom > before.size()) {
            throw new IllegalArgumentException("field 'memoryFrom' (" + memoryFrom
                    + ") is beyond the memory before the step (" + before.size() + " messages)");
        }
        List<ChatMessage> after = new ArrayList<>(before.subList(0, memoryFrom));
        try {
            if (!memory.equals(NO_MESSAGES)) {
                after.addAll(ChatMessageDeserializer.messagesFromJson(memory));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "field 'memory' is not LangChain4j's message JSON: " + e.getMessage(), e);
        }
        Instant started;
        try {
            started = Instant.parse(start);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field 'start' is not an instant: '" + start + "'", e);
        }
        AgentResponse decoded = response == null ? null : ResponseCodec.decode(response);
        return new StepOutcome(
                branch,
                token,
                decoded,
                error == null ? null : new RecordedFailure(error),
                after,
                started,
                nanos,
                StepTelemetry.replayed(inputTokens, outputTokens, TraceCodec.toolRecords(toolCalls)),
                interrupted,
                category == null
                        ? null
                        : new StepOutcome.Classified(
                                category, Optional.ofNullable(retryAfterMillis).map(Duration::ofMillis)),
                verdicts);
    }

    /** Fails on a part the journal entry lacks, naming it. */
    private static void required(@Nullable Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
    }
}
