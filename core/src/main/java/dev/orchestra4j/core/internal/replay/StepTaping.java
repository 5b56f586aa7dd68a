package dev.orchestra4j.core.internal.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.core.internal.SecretMask;
import dev.orchestra4j.core.internal.engine.AnswerRecords;
import dev.orchestra4j.core.internal.engine.JournaledRecords;
import dev.orchestra4j.core.internal.engine.RecordedValues;
import dev.orchestra4j.core.internal.engine.ResponseCodec;
import dev.orchestra4j.core.replay.Divergence;
import dev.orchestra4j.state.StateManager;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The step interceptor behind recording, replay and fork. Around every agent step it makes a {@link Tape} current,
 * through which an {@code LlmAgent}'s model and tool calls pass, and afterwards hands the step's record (input,
 * decision, memory, calls, timing; secrets masked) to the engine, which commits it with the step in the session journal
 * ({@link JournaledRecords}): a step that is never committed has no record. What the tape does per step:
 *
 * <ul>
 *   <li>live: calls go to the model and the tools and are recorded;
 *   <li>replay: each call is answered from the recorded step with the same step number, after checking that the
 *       request is the recorded one; the first mismatch is reported as a {@link Divergence} and the step fails;
 *   <li>copy (a fork's steps up to its fork point): the agent is not called at all; its recorded decision and memory
 *       are applied as they were recorded.
 * </ul>
 *
 * Internal: not part of the API.
 */
public final class StepTaping implements StepInterceptor, AnswerRecords.Source {

    /** Masks secrets in what is recorded; null when nothing is (a replay). */
    private final @Nullable SecretMask recordMask;

    private final Map<Integer, StepRecords.StepRecord> source;
    private final @Nullable String sourceSessionId;
    private final int copyThrough;
    private final @Nullable Object editedInput;
    private final boolean replayRest;
    private final Clock clock;
    /** Where durations are read (System.nanoTime, or a simulation test's virtual time). */
    private final java.util.function.LongSupplier ticker;

    private final Consumer<Divergence> onDivergence;
    private final AtomicReference<@Nullable Divergence> divergence = new AtomicReference<>();
    /** The last step that ran on each branch, kept when replaying: where a question a replay cannot answer was asked. */
    private final Map<String, Integer> lastSteps = new java.util.concurrent.ConcurrentHashMap<>();

    private StepTaping(
            @Nullable SecretMask recordMask,
            List<StepRecords.StepRecord> source,
            @Nullable String sourceSessionId,
            int copyThrough,
            @Nullable Object editedInput,
            boolean replayRest,
            Clock clock,
            java.util.function.LongSupplier ticker,
            Consumer<Divergence> onDivergence) {
        this.recordMask = recordMask;
        Map<Integer, StepRecords.StepRecord> byStep = new HashMap<>();
        source.forEach(r -> byStep.put(r.step().step(), r));
        this.source = Map.copyOf(byStep);
        this.sourceSessionId = sourceSessionId;
        this.copyThrough = copyThrough;
        this.editedInput = editedInput;
        this.replayRest = replayRest;
        this.clock = clock;
        this.ticker = ticker;
        this.onDivergence = onDivergence;
    }

    /** Records every step of the sessions it runs in. */
    public static StepTaping recording(SecretMask mask, Clock clock) {
        return recording(mask, clock, System::nanoTime);
    }

    /** Records every step, reading durations from {@code ticker} (a simulation test's virtual time). */
    public static StepTaping recording(SecretMask mask, Clock clock, java.util.function.LongSupplier ticker) {
        return new StepTaping(mask, List.of(), null, 0, null, false, clock, ticker, d -> {});
    }

    /** Answers every step from {@code source}, recording nothing; divergences go to {@code onDivergence}. */
    public static StepTaping replaying(
            List<StepRecords.StepRecord> source, Clock clock, Consumer<Divergence> onDivergence) {
        return new StepTaping(null, source, null, 0, null, true, clock, System::nanoTime, onDivergence);
    }

    /**
     * A fork of {@code sourceSessionId}: steps up to {@code copyThrough} are copied from {@code source} (the last of
     * them with its hand-off request or reply replaced by {@code editedInput} when given), later ones run live or, with
     * {@code replayRest}, from the source until they diverge. Every step is recorded.
     */
    public static StepTaping forking(
            SecretMask mask,
            List<StepRecords.StepRecord> source,
            String sourceSessionId,
            int copyThrough,
            @Nullable Object editedInput,
            boolean replayRest,
            Clock clock,
            Consumer<Divergence> onDivergence) {
        return new StepTaping(
                mask,
                source,
                sourceSessionId,
                copyThrough,
                editedInput,
                replayRest,
                clock,
                System::nanoTime,
                onDivergence);
    }

    /**
     * Copies the recorded steps of {@code sourceSessionId} up to {@code throughStep} into the recording of {@code
     * newSessionId} (a fork from a checkpoint that covers them), marked as copied, in one append before the new
     * session runs.
     */
    public static void copyInto(
            StateManager manager,
            SecretMask mask,
            List<StepRecords.StepRecord> source,
            String sourceSessionId,
            String newSessionId,
            int throughStep) {
        List<JsonNode> copied = new java.util.ArrayList<>();
        for (StepRecords.StepRecord record : source) {
            if (record.step().step() <= throughStep) {
                ObjectNode event = record.json().deepCopy();
                event.remove(JournaledRecords.SEQUENCE); // a stamp of the source's journal, not of the new session's
                if (!event.hasNonNull("copiedFrom")) {
                    event.put("copiedFrom", sourceSessionId);
                }
                copied.add(mask.apply(event));
            }
        }
        if (!copied.isEmpty()) {
            manager.appendRecording(newSessionId, manager.lastRecordingSequence(newSessionId), copied);
        }
    }

    /** Whether this taping records the steps it sees (the engine then records the user's answers too). */
    @Override
    public boolean records() {
        return recordMask != null;
    }

    /** The number of the last step that ran on {@code branchId} in this replay; 0 before any did. */
    int lastStep(String branchId) {
        return lastSteps.getOrDefault(branchId, 0);
    }

    /** The first divergence seen, if any. */
    public Optional<Divergence> divergence() {
        return Optional.ofNullable(divergence.get());
    }

    @Override
    public AgentResponse around(AgentRequest request, Step step) throws Exception {
        StepRecords.StepRecord recorded = source.get(request.step());
        if (recorded != null
                && request.step() <= copyThrough
                && sameStep(recorded, request)
                && sameInput(recorded, request)) {
            return copy(recorded, request);
        }
        if (replayRest) {
            lastSteps.merge(request.branchId(), request.step(), Math::max);
            if (recorded == null) {
                throw diverge(new Divergence(
                        request.step(),
                        request.agent(),
                        request.branchId(),
                        -1,
                        "(no step " + request.step() + " in the recording)",
                        describe(request),
                        "the recording has no step " + request.step()));
            }
            if (!sameStep(recorded, request)) {
                throw diverge(new Divergence(
                        request.step(),
                        request.agent(),
                        request.branchId(),
                        -1,
                        describe(recorded),
                        describe(request),
                        "step " + request.step() + " was " + recorded.step().agent() + " on "
                                + recorded.step().branchId() + " (attempt "
                                + recorded.step().attempt()
                                + ") in the recording"));
            }
        }
        StepTape tape = new StepTape(request, replayRest ? recorded : null);
        java.time.Instant start = clock.instant();
        long t0 = ticker.getAsLong();
        List<ChatMessage> before = List.copyOf(request.memory());
        AgentResponse response = null;
        Throwable error = null;
        try {
            response = tape.around(step::proceed);
        } catch (Exception | Error e) {
            error = e;
        }
        if (error == null && response != null && replayRest && recorded != null) {
            JsonNode expected = recorded.json().path("response");
            JsonNode actual;
            try {
                actual = ResponseCodec.encode(response);
            } catch (IllegalArgumentException e) {
                actual = StepRecords.mapper().getNodeFactory().textNode("(not recordable: " + e.getMessage() + ")");
            }
            if (!expected.equals(actual)) {
                throw diverge(new Divergence(
                        request.step(),
                        request.agent(),
                        request.branchId(),
                        -1,
                        expected.toString(),
                        actual.toString(),
                        "the agent decided differently from the recording"));
            }
        }
        if (recordMask != null && !(error instanceof ReplayDivergedException)) {
            ObjectNode event = stepEvent(request, start, ticker.getAsLong() - t0, before, response, error);
            event.set("model", tape.calls);
            event.set("tools", tape.tools);
            hand(request, event);
        }
        if (error instanceof Exception e) {
            throw e;
        }
        if (error instanceof Error e) {
            throw e;
        }
        return response;
    }

    private AgentResponse copy(StepRecords.StepRecord recorded, AgentRequest request) {
        List<ChatMessage> memory = request.memory();
        List<ChatMessage> after = recorded.memoryAfter(memory);
        memory.clear();
        memory.addAll(after);
        recorded.step().modelCalls().forEach(call -> request.recorder()
                .tokens(call.inputTokens(), call.outputTokens()));
        recorded.step().toolCalls().forEach(call -> request.recorder()
                .toolCall(call.name(), call.arguments(), call.result(), call.duration(), call.failed()));
        Optional<AgentResponse> response = recorded.response();
        ObjectNode event = recorded.json().deepCopy();
        if (response.isPresent() && editedInput != null && request.step() == copyThrough) {
            response = Optional.of(edited(response.get(), request.step()));
            event.set("response", ResponseCodec.encode(response.get()));
            event.put("edited", true);
        }
        if (recordMask != null) {
            event.remove(JournaledRecords.SEQUENCE); // a stamp of the source's journal, not of this session's
            if (!event.hasNonNull("copiedFrom")) {
                event.put("copiedFrom", sourceSessionId);
            }
            hand(request, event);
        }
        return response.orElseThrow(() -> new AgentException("step " + request.step() + " of agent '"
                + request.agent() + "' failed in the recording: "
                + recorded.step().error().orElse("(no message)")));
    }

    /** Hands the step's record to the engine, which commits it with the step. */
    private void hand(AgentRequest request, ObjectNode event) {
        if (!(request.recorder() instanceof JournaledRecords.Carrier carrier)) {
            throw new IllegalStateException("step " + request.step() + " of agent '" + request.agent()
                    + "' cannot be recorded: its AgentRequest.recorder() is not the engine's (a StepInterceptor"
                    + " replaced it); keep the request's recorder when rebuilding the request");
        }
        java.util.Objects.requireNonNull(recordMask).apply(event); // in place
        carrier.stepRecord(event);
    }

    private AgentResponse edited(AgentResponse response, int step) {
        Object input = java.util.Objects.requireNonNull(editedInput);
        return switch (response) {
            case AgentResponse.Invoke invoke -> AgentResponse.handOff(invoke.agent(), input);
            case AgentResponse.Reply reply ->
                reply.label().map(l -> AgentResponse.reply(input).label(l)).orElse(AgentResponse.reply(input));
            default ->
                throw new IllegalArgumentException("cannot edit the pending input at step " + step + ": it ended with "
                        + ResponseCodec.encode(response).path("kind").asText()
                        + ", not a hand-off or a reply; fork at a step that hands off");
        };
    }

    private static boolean sameStep(StepRecords.StepRecord recorded, AgentRequest request) {
        return recorded.step().agent().equals(request.agent())
                && recorded.step().branchId().equals(request.branchId())
                && recorded.step().attempt() == request.attempt();
    }

    /**
     * Whether the step takes the input it took in the recording (masked as recorded): a step copied from the recording
     * must be the same call, and an answer the user gives a fork differently is not the recorded one (it used to be
     * replaced by it).
     */
    private boolean sameInput(StepRecords.StepRecord recorded, AgentRequest request) {
        ObjectNode live = StepRecords.mapper().createObjectNode();
        try {
            live.set("input", RecordedValues.encode(request.input()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (recordMask != null) {
            recordMask.apply(live);
        }
        return live.path("input").equals(recorded.json().path("input"));
    }

    private static String describe(AgentRequest request) {
        return "step " + request.step() + ": " + request.agent() + " on " + request.branchId() + ", attempt "
                + request.attempt();
    }

    private static String describe(StepRecords.StepRecord recorded) {
        return "step " + recorded.step().step() + ": " + recorded.step().agent() + " on "
                + recorded.step().branchId() + ", attempt " + recorded.step().attempt();
    }

    /** Reports {@code d} unless a divergence was reported already; returns what the diverging call throws. */
    ReplayDivergedException diverge(Divergence d) {
        if (divergence.compareAndSet(null, d)) {
            onDivergence.accept(d);
        }
        return new ReplayDivergedException(d);
    }

    private static ObjectNode stepEvent(
            AgentRequest request,
            java.time.Instant start,
            long nanos,
            List<ChatMessage> before,
            @Nullable AgentResponse response,
            @Nullable Throwable error) {
        ObjectNode n = StepRecords.mapper().createObjectNode().put(StepRecords.KIND, StepRecords.STEP);
        n.put("step", request.step()).put("attempt", request.attempt());
        n.put("branch", request.branchId()).put("agent", request.agent());
        try {
            n.set("input", RecordedValues.encode(request.input()));
        } catch (IllegalArgumentException e) { // the engine reports values that are not JSON itself, more precisely
            n.put("input", "(not recordable: " + e.getMessage() + ")");
        }
        n.put("start", start.toString()).put("nanos", nanos);
        if (response != null) {
            try {
                n.set("response", ResponseCodec.encode(response));
            } catch (IllegalArgumentException e) {
                n.put("error", "the response could not be recorded: " + e.getMessage());
            }
        }
        if (error != null) {
            n.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        }
        List<ChatMessage> after = request.memory();
        int from = commonPrefix(before, after);
        n.put("memoryFrom", from);
        n.set(
                "memory",
                from == after.size() // most steps add no message: no JSON to write and read back
                        ? n.arrayNode()
                        : StepRecords.tree(ChatMessageSerializer.messagesToJson(after.subList(from, after.size()))));
        return n;
    }

    private static int commonPrefix(List<ChatMessage> a, List<ChatMessage> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (!a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return n;
    }

    /** One step's tape: records its calls and, when replaying, answers them from the recorded step. */
    private final class StepTape extends Tape {
        private final AgentRequest request;
        private final StepRecords.@Nullable StepRecord recorded;
        final ArrayNode calls = StepRecords.mapper().createArrayNode();
        final ArrayNode tools = StepRecords.mapper().createArrayNode();

        StepTape(AgentRequest request, StepRecords.@Nullable StepRecord recorded) {
            this.request = request;
            this.recorded = recorded;
        }

        @Override
        protected ChatResponse onChat(String agent, ChatModel model, ChatRequest chat) {
            ObjectNode call = StepRecords.modelCall(chat);
            String digest = call.path("digest").asText();
            long t0 = ticker.getAsLong();
            ChatResponse response;
            if (recorded != null) {
                int index = calls.size();
                JsonNode expected = recorded.modelCall(index);
                if (expected.isMissingNode()) {
                    throw diverge(new Divergence(
                            request.step(),
                            request.agent(),
                            request.branchId(),
                            index,
                            "(no model call " + (index + 1) + " in the recorded step)",
                            call.path("messages").toString(),
                            "the recorded step made only " + recorded.modelCalls() + " model call(s)"));
                }
                if (!expected.path("digest").asText().equals(digest)) {
                    throw diverge(new Divergence(
                            request.step(),
                            request.agent(),
                            request.branchId(),
                            index,
                            expected.path("messages").toString(),
                            call.path("messages").toString(),
                            "model call " + (index + 1) + " of " + agent + " asks "
                                    + Differences.firstDifference(expected, call)));
                }
                AiMessage ai = (AiMessage) ChatMessageDeserializer.messageFromJson(
                        expected.path("response").toString());
                ChatResponse.Builder b = ChatResponse.builder().aiMessage(ai);
                if (expected.path("usage").asBoolean()) {
                    b.tokenUsage(new TokenUsage(
                            expected.path("in").asInt(), expected.path("out").asInt()));
                }
                response = b.build();
            } else {
                response = model.chat(chat);
            }
            TokenUsage usage = response.tokenUsage();
            call.set("response", StepRecords.tree(ChatMessageSerializer.messageToJson(response.aiMessage())));
            call.put("usage", usage != null);
            call.put("in", usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount());
            call.put("out", usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
            call.put("nanos", ticker.getAsLong() - t0);
            calls.add(call);
            return response;
        }

        @Override
        protected ToolOutcome onTool(String agent, String name, String arguments, ToolExecution execution)
                throws InterruptedException {
            long t0 = ticker.getAsLong();
            ToolOutcome outcome;
            if (recorded != null) {
                int index = tools.size();
                JsonNode expected = recorded.toolCall(index);
                if (expected.isMissingNode()
                        || !expected.path("name").asText().equals(name)
                        || !expected.path("arguments").asText().equals(arguments)) {
                    throw diverge(new Divergence(
                            request.step(),
                            request.agent(),
                            request.branchId(),
                            index,
                            expected.isMissingNode()
                                    ? "(no tool call " + (index + 1) + " in the recorded step)"
                                    : expected.path("name").asText() + " "
                                            + expected.path("arguments").asText(),
                            name + " " + arguments,
                            "tool call " + (index + 1) + " of " + agent + " differs from the recording"));
                }
                outcome = new ToolOutcome(
                        expected.path("result").asText(),
                        expected.path("failed").asBoolean());
            } else {
                outcome = execution.run();
            }
            tools.addObject()
                    .put("name", name)
                    .put("arguments", arguments)
                    .put("result", outcome.text())
                    .put("failed", outcome.failed())
                    .put("nanos", ticker.getAsLong() - t0);
            return outcome;
        }
    }
}
