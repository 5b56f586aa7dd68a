package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.ToolCallRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A step's outcome as journal data and back: what the machine decides on comes back the same. */
final class OutcomePartTest {

    record Order(String id, int quantity) {}

    private static final Instant START = Instant.parse("2026-12-03T10:15:30.123456789Z");
    private static final List<ChatMessage> BEFORE =
            List.of(SystemMessage.from("you are terse"), UserMessage.from("hello"), AiMessage.from("hi"));

    private static StepOutcome outcome(
            @Nullable AgentResponse response,
            @Nullable Throwable error,
            List<ChatMessage> memory,
            StepTelemetry telemetry,
            int interrupted,
            StepOutcome.@Nullable Classified classified,
            Map<String, Boolean> verdicts) {
        return new StepOutcome(
                "b-3", 7, response, error, memory, START, 1_234_567, telemetry, interrupted, classified, verdicts);
    }

    private static StepOutcome success(AgentResponse response) {
        List<ChatMessage> after = new ArrayList<>(BEFORE);
        after.add(UserMessage.from("next"));
        after.add(AiMessage.from("done"));
        return outcome(response, null, after, frozen(new StepTelemetry()), 0, null, Map.of());
    }

    private static StepTelemetry frozen(StepTelemetry t) {
        t.freeze();
        return t;
    }

    private static byte[] bytes(OutcomePart part) {
        return JournalCodec.bytes(JournalCodec.tree(part));
    }

    private static OutcomePart read(byte[] bytes) throws IOException {
        return JournalCodec.outcome(SnapshotValues.MAPPER.readTree(bytes));
    }

    /** Through JSON bytes and back; the part read re-encodes to the same bytes. */
    private static StepOutcome roundTrip(StepOutcome original, List<ChatMessage> before) throws IOException {
        byte[] bytes = bytes(OutcomePart.of(original, before));
        OutcomePart read = read(bytes);
        assertThat(new String(bytes(read), StandardCharsets.UTF_8))
                .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        StepOutcome back = read.toOutcome(before);
        assertSameForTheMachine(back, original);
        return back;
    }

    private static void assertSameForTheMachine(StepOutcome back, StepOutcome original) {
        assertThat(back.branchId()).isEqualTo(original.branchId());
        assertThat(back.token()).isEqualTo(original.token());
        assertThat(back.response()).isEqualTo(original.response());
        assertThat(back.error() == null).isEqualTo(original.error() == null);
        if (original.error() != null) {
            assertThat(Stepping.describe(back.error())).isEqualTo(Stepping.describe(original.error()));
        }
        assertThat(back.memory()).isEqualTo(original.memory());
        assertThat(back.start()).isEqualTo(original.start());
        assertThat(back.nanos()).isEqualTo(original.nanos());
        assertThat(back.interrupted()).isEqualTo(original.interrupted());
        assertThat(back.timedOut()).isEqualTo(original.timedOut());
        assertThat(back.cancelled()).isEqualTo(original.cancelled());
        assertThat(back.classified()).isEqualTo(original.classified());
        assertThat(back.verdicts()).isEqualTo(original.verdicts());
        assertThat(back.telemetry().inputTokens())
                .isEqualTo(original.telemetry().inputTokens());
        assertThat(back.telemetry().outputTokens())
                .isEqualTo(original.telemetry().outputTokens());
        assertThat(back.telemetry().toolCalls()).isEqualTo(original.telemetry().toolCalls());
        assertThat(back.telemetry().record()).isNull();
    }

    @Test
    void everyResponseKind_comesBackWithItsJavaTypes() throws IOException {
        Map<String, Object> mapRequest = new LinkedHashMap<>();
        mapRequest.put("order", new Order("A-1", 2));
        mapRequest.put("note", "rush");
        List<AgentResponse> responses = List.of(
                AgentResponse.handOff("writer", new Order("A-1", 2)),
                AgentResponse.handOff("writer", mapRequest),
                AgentResponse.parallel(Invocation.of("a", "x"), Invocation.of("b", new Order("B-2", 5))),
                AgentResponse.call("callee", 42),
                AgentResponse.finish(new Order("F", 1)).withMetadata("needs_review", true),
                AgentResponse.finish("plain"),
                AgentResponse.askUser("which one?"),
                AgentResponse.reply(Map.of("score", 3)),
                AgentResponse.reply("ok").label("approved"),
                AgentResponse.fail("cannot", ErrorCategory.VALIDATION));
        for (AgentResponse response : responses) {
            StepOutcome back = roundTrip(success(response), BEFORE);
            assertThat(back.response()).as("%s", response).isEqualTo(response);
        }
        AgentResponse.Invoke handOff =
                (AgentResponse.Invoke) roundTrip(success(AgentResponse.handOff("writer", mapRequest)), BEFORE)
                        .response();
        assertThat(((Map<?, ?>) handOff.request()).get("order")).isInstanceOf(Order.class);
    }

    @Test
    void failure_classifiedWithRetryAfter_describedAsTheMachineDescribedIt() throws IOException {
        Throwable error = new IllegalStateException("rate limited by upstream");
        StepOutcome original = outcome(
                null,
                error,
                new ArrayList<>(BEFORE),
                frozen(new StepTelemetry()),
                0,
                new StepOutcome.Classified(ErrorCategory.RATE_LIMIT, Optional.of(Duration.ofSeconds(3))),
                Map.of());

        StepOutcome back = roundTrip(original, BEFORE);

        assertThat(back.response()).isNull();
        assertThat(back.error()).isInstanceOf(RecordedFailure.class);
        assertThat(back.error().getStackTrace()).isEmpty();
        assertThat(Stepping.describe(back.error())).isEqualTo("IllegalStateException: rate limited by upstream");
        assertThat(back.classified().retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void failure_classifiedWithoutRetryAfter_andAnErrorWithoutMessage() throws IOException {
        StepOutcome original = outcome(
                null,
                new java.util.concurrent.CancellationException(),
                BEFORE,
                frozen(new StepTelemetry()),
                StepSlot.REASON_CANCEL,
                new StepOutcome.Classified(ErrorCategory.UNKNOWN, Optional.empty()),
                Map.of());

        StepOutcome back = roundTrip(original, BEFORE);

        assertThat(Stepping.describe(back.error())).isEqualTo("CancellationException");
        assertThat(back.classified()).isEqualTo(new StepOutcome.Classified(ErrorCategory.UNKNOWN, Optional.empty()));
        assertThat(back.cancelled()).isTrue();
        JsonNode tree = JournalCodec.tree(OutcomePart.of(original, BEFORE));
        assertThat(tree.get("retryAfterMillis").isNull()).isTrue();
        assertThat(tree.get("response").isNull()).isTrue();
    }

    @Test
    void memory_appended_keepsOnlyTheNewMessages() throws IOException {
        StepOutcome original = success(AgentResponse.reply("ok"));

        OutcomePart part = OutcomePart.of(original, BEFORE);
        roundTrip(original, BEFORE);

        assertThat(part.memoryFrom()).isEqualTo(BEFORE.size());
        assertThat(part.memory()).contains("next").contains("done").doesNotContain("hello");
    }

    @Test
    void memory_historyRewritten_keepsThePrefixItKept() throws IOException {
        List<ChatMessage> after = List.of(BEFORE.get(0), UserMessage.from("summary of the talk"), AiMessage.from("k"));
        StepOutcome original =
                outcome(AgentResponse.reply("ok"), null, after, frozen(new StepTelemetry()), 0, null, Map.of());

        OutcomePart part = OutcomePart.of(original, BEFORE);
        StepOutcome back = roundTrip(original, BEFORE);

        assertThat(part.memoryFrom()).isEqualTo(1);
        assertThat(back.memory()).isEqualTo(after);
    }

    @Test
    void memory_shortened_orUnchanged() throws IOException {
        StepOutcome cleared =
                outcome(AgentResponse.reply("ok"), null, List.of(), frozen(new StepTelemetry()), 0, null, Map.of());
        assertThat(OutcomePart.of(cleared, BEFORE).memoryFrom()).isZero();
        assertThat(roundTrip(cleared, BEFORE).memory()).isEmpty();

        StepOutcome same = outcome(
                AgentResponse.reply("ok"), null, List.copyOf(BEFORE), frozen(new StepTelemetry()), 0, null, Map.of());
        assertThat(OutcomePart.of(same, BEFORE).memory()).isEqualTo("[]");
        assertThat(roundTrip(same, BEFORE).memory()).isEqualTo(BEFORE);
    }

    @Test
    void memory_emptyBefore() throws IOException {
        StepOutcome original = success(AgentResponse.finish("x"));

        OutcomePart part = OutcomePart.of(original, List.of());
        StepOutcome back = roundTrip(original, List.of());

        assertThat(part.memoryFrom()).isZero();
        assertThat(back.memory()).hasSize(BEFORE.size() + 2);
    }

    @Test
    void telemetry_tokensAndToolCalls_andInterrupted() throws IOException {
        StepTelemetry telemetry = new StepTelemetry();
        telemetry.tokens(120, 30);
        telemetry.tokens(5, 1);
        telemetry.toolCall("search", "{\"q\":\"x\"}", "3 hits", Duration.ofNanos(1_500_001), false);
        telemetry.toolCall("fetch", "{}", "404", Duration.ofMillis(20), true);
        telemetry.freeze();
        StepOutcome original =
                outcome(AgentResponse.reply("ok"), null, BEFORE, telemetry, StepSlot.REASON_TIMEOUT, null, Map.of());

        StepOutcome back = roundTrip(original, BEFORE);

        assertThat(back.telemetry().inputTokens()).isEqualTo(125);
        assertThat(back.telemetry().outputTokens()).isEqualTo(31);
        assertThat(back.telemetry().toolCalls())
                .containsExactly(
                        new ToolCallRecord("search", "{\"q\":\"x\"}", "3 hits", Duration.ofNanos(1_500_001), false),
                        new ToolCallRecord("fetch", "{}", "404", Duration.ofMillis(20), true));
        assertThat(back.timedOut()).isTrue();
        back.telemetry().tokens(1, 1); // a late report is not part of the step
        assertThat(back.telemetry().inputTokens()).isEqualTo(125);
        for (int reason : new int[] {0, StepSlot.REASON_CANCEL, StepSlot.REASON_WAKE}) {
            assertThat(roundTrip(original.interrupted(reason), BEFORE).interrupted())
                    .isEqualTo(reason);
        }
    }

    @Test
    void verdicts_sameBytesWhateverTheMapOrder() throws IOException {
        Map<String, Boolean> one = new LinkedHashMap<>();
        Map<String, Boolean> two = new LinkedHashMap<>();
        List<String> names = List.of("zeta", "alpha", "mid", "beta");
        for (int i = 0; i < names.size(); i++) {
            one.put(names.get(i), i % 2 == 0);
            two.put(names.get(names.size() - 1 - i), (names.size() - 1 - i) % 2 == 0);
        }
        Map<String, Boolean> hashed = new HashMap<>(one);
        AgentResponse reply = AgentResponse.reply("ok");
        byte[] a =
                bytes(OutcomePart.of(outcome(reply, null, BEFORE, frozen(new StepTelemetry()), 0, null, one), BEFORE));
        byte[] b =
                bytes(OutcomePart.of(outcome(reply, null, BEFORE, frozen(new StepTelemetry()), 0, null, two), BEFORE));
        byte[] c = bytes(
                OutcomePart.of(outcome(reply, null, BEFORE, frozen(new StepTelemetry()), 0, null, hashed), BEFORE));

        assertThat(a).isEqualTo(b).isEqualTo(c);
        assertThat(new String(a, StandardCharsets.UTF_8))
                .contains("\"verdicts\":{\"alpha\":false,\"beta\":false,\"mid\":true,\"zeta\":true}");
        assertThat(roundTrip(outcome(reply, null, BEFORE, frozen(new StepTelemetry()), 0, null, one), BEFORE)
                        .verdicts())
                .isEqualTo(one);
    }

    private static ObjectNode sampleTree() {
        StepOutcome original = success(AgentResponse.reply("ok").label("yes"));
        return (ObjectNode) JournalCodec.tree(OutcomePart.of(original, BEFORE));
    }

    @Test
    void reading_missingField_failsNamingIt() {
        for (String field : List.of("branch", "memory", "start", "toolCalls", "verdicts")) {
            ObjectNode tree = sampleTree();
            tree.remove(field);
            assertThatThrownBy(() -> JournalCodec.outcome(tree))
                    .as(field)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("missing field '" + field + "'");
        }
        for (String number : List.of("token", "memoryFrom", "nanos", "inputTokens", "interrupted")) {
            ObjectNode tree = sampleTree();
            tree.remove(number);
            assertThatThrownBy(() -> JournalCodec.outcome(tree))
                    .as(number)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(number);
        }
    }

    @Test
    void reading_unknownField_fails() {
        ObjectNode tree = sampleTree();
        tree.put("surprise", 1);

        assertThatThrownBy(() -> JournalCodec.outcome(tree))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surprise");
    }

    @Test
    void reading_badResponse_failsNamingTheKindOrField() {
        ObjectNode tree = sampleTree();
        ((ObjectNode) tree.get("response")).put("kind", "teleport");
        OutcomePart part = JournalCodec.outcome(tree);
        assertThatThrownBy(() -> part.toOutcome(BEFORE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("teleport");

        ObjectNode missing = sampleTree();
        ((ObjectNode) missing.get("response")).remove("content");
        OutcomePart lacking = JournalCodec.outcome(missing);
        assertThatThrownBy(() -> lacking.toOutcome(BEFORE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing field 'content'");
    }

    @Test
    void toOutcome_memoryFromBeyondTheMemoryBefore_failsNamingIt() {
        OutcomePart part = JournalCodec.outcome(sampleTree());

        assertThatThrownBy(() -> part.toOutcome(BEFORE.subList(0, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memoryFrom");
        ObjectNode negative = sampleTree();
        negative.put("memoryFrom", -1);
        assertThatThrownBy(() -> JournalCodec.outcome(negative))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memoryFrom");
    }
}
