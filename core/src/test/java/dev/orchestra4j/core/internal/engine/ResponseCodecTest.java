package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.Invocation;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code response} of recordings already stored reads back, and is written the same way again. */
final class ResponseCodecTest {

    record Order(String id, int quantity) {}

    private static final String ORDER = "dev.orchestra4j.core.internal.engine.ResponseCodecTest$Order";

    /** JSON literals in the recording format as StepRecords wrote it before the codec moved here. */
    private static final List<String> STORED = List.of(
            "{\"kind\":\"handoff\",\"agent\":\"writer\",\"request\":{\"@type\":\"" + ORDER
                    + "\",\"@value\":{\"id\":\"A-1\",\"quantity\":2}}}",
            "{\"kind\":\"parallel\",\"invocations\":[{\"agent\":\"a\",\"request\":\"x\"},"
                    + "{\"agent\":\"b\",\"request\":{\"n\":1}}]}",
            "{\"kind\":\"finish\",\"answer\":\"done\",\"metadata\":{\"needs_review\":true}}",
            "{\"kind\":\"finish\",\"answer\":7,\"metadata\":{}}",
            "{\"kind\":\"ask_user\",\"question\":\"which?\"}",
            "{\"kind\":\"reply\",\"content\":{\"score\":3},\"label\":\"ok\"}",
            "{\"kind\":\"reply\",\"content\":\"plain\"}",
            "{\"kind\":\"fail\",\"reason\":\"nope\",\"category\":\"VALIDATION\"}");

    private static JsonNode tree(String json) throws IOException {
        return SnapshotValues.MAPPER.readTree(json);
    }

    @Test
    void storedFormat_readsBackWithItsTypes_andIsWrittenUnchanged() throws IOException {
        List<AgentResponse> expected = List.of(
                AgentResponse.handOff("writer", new Order("A-1", 2)),
                AgentResponse.parallel(Invocation.of("a", "x"), Invocation.of("b", Map.of("n", 1))),
                AgentResponse.finish("done").withMetadata("needs_review", true),
                AgentResponse.finish(7),
                AgentResponse.askUser("which?"),
                AgentResponse.reply(Map.of("score", 3)).label("ok"),
                AgentResponse.reply("plain"),
                AgentResponse.fail("nope", ErrorCategory.VALIDATION));
        for (int i = 0; i < STORED.size(); i++) {
            AgentResponse decoded = ResponseCodec.decode(tree(STORED.get(i)));

            assertThat(decoded).as(STORED.get(i)).isEqualTo(expected.get(i));
            assertThat(SnapshotValues.MAPPER.writeValueAsString(ResponseCodec.encode(decoded)))
                    .isEqualTo(STORED.get(i));
        }
    }

    @Test
    void unknownKind_failsNamingIt() {
        assertThatThrownBy(() -> ResponseCodec.decode(tree("{\"kind\":\"teleport\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'teleport'");
        assertThatThrownBy(() -> ResponseCodec.decode(tree("{\"agent\":\"a\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing field 'kind'");
    }

    @Test
    void missingField_failsNamingIt() {
        Map<String, String> cases = Map.of(
                "{\"kind\":\"handoff\",\"request\":1}", "agent",
                "{\"kind\":\"handoff\",\"agent\":\"a\"}", "request",
                "{\"kind\":\"parallel\",\"invocations\":[{\"agent\":\"a\"}]}", "request",
                "{\"kind\":\"finish\",\"answer\":1}", "metadata",
                "{\"kind\":\"ask_user\"}", "question",
                "{\"kind\":\"reply\",\"content\":null}", "content",
                "{\"kind\":\"fail\",\"reason\":\"r\"}", "category");
        cases.forEach((json, field) -> assertThatThrownBy(() -> ResponseCodec.decode(tree(json)))
                .as(json)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing field '" + field + "'"));
    }
}
