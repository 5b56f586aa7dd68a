package dev.orchestra4j.state.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.orchestra4j.state.Redactor;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

final class RepeatedTextTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LONG = "an agent's answer ".repeat(20);
    private static final List<String> NAMES = List.of("a", "b/c", "~", "~1", "", "0", "12", "text", "ü");

    @Example
    void write_textInThreePlaces_storesItOnceAndReadsBackWhole() throws Exception {
        ObjectNode document = JSON.createObjectNode();
        document.putObject("branch").put("input", LONG);
        document.putArray("trace")
                .add(JSON.createObjectNode().put("output", LONG))
                .add(LONG);
        document.put("short", "hi").put("short again", "hi");

        byte[] bytes = RepeatedText.write(JSON.writer(), document);
        String json = new String(bytes, StandardCharsets.UTF_8);

        assertThat(json.split(LONG, -1)).hasSize(2); // once
        assertThat(json).contains("\"repeats\":{\"/trace/0/output\":\"/branch/input\",\"/trace/1\":\"/branch/input\"}");
        JsonNode read = JSON.readTree(bytes);
        RepeatedText.resolve(read, "entry 1");
        assertThat(read).isEqualTo(document);
        RepeatedText.resolve(read, "entry 1"); // again: nothing left to do
        assertThat(read).isEqualTo(document);
    }

    @Example
    void write_textsShorterThanTheMinimum_areWrittenWhereTheyOccur() throws Exception {
        String almost = "x".repeat(RepeatedText.MIN_LENGTH - 1);
        ObjectNode document = JSON.createObjectNode().put("a", almost).put("b", almost);

        String json = new String(RepeatedText.write(JSON.writer(), document), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"a\":\"" + almost + "\",\"b\":\"" + almost + "\"}");
    }

    @Property(tries = 300)
    void snapshotCodec_randomPayloadsWithRepeatedTexts_roundTripExactly(@ForAll long seed, @ForAll boolean gzip) {
        Random random = new Random(seed);
        List<String> texts = List.of(LONG, LONG + "/", "~".repeat(RepeatedText.MIN_LENGTH), "é".repeat(200));
        JsonNode payload = tree(random, texts, 0);
        SessionSnapshot snapshot = SessionSnapshot.create("s-1", "RUNNING", Instant.EPOCH, "{}", "d", payload);
        SnapshotCodec codec = new SnapshotCodec();

        SessionSnapshot read = codec.decode(codec.encode(snapshot, gzip), "session 's-1'", "s-1", 3);

        assertThat(read.payload()).isEqualTo(payload);
    }

    @Property(tries = 200)
    void pointer_ofEveryValueWritten_isJacksonsPathAsPointer(@ForAll long seed) throws Exception {
        JsonNode document = tree(new Random(seed), List.of("t"), 0);
        java.util.List<String> ours = new java.util.ArrayList<>();
        java.util.List<String> jacksons = new java.util.ArrayList<>();
        try (com.fasterxml.jackson.core.JsonGenerator out =
                new com.fasterxml.jackson.core.util.JsonGeneratorDelegate(
                        JSON.getFactory().createGenerator(java.io.OutputStream.nullOutputStream()), true) {
                    @Override
                    public void writeString(String text) throws java.io.IOException {
                        super.writeString(text);
                        ours.add(RepeatedText.pointer(getOutputContext()));
                        jacksons.add(getOutputContext().pathAsPointer().toString());
                    }
                }) {
            JSON.writeTree(out, document);
        }
        assertThat(ours).isEqualTo(jacksons);
    }

    @Example
    void snapshotCodec_repeatedTexts_makeTheStoredBytesSmaller() {
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode trace = payload.putArray("trace");
        for (int i = 0; i < 10; i++) {
            trace.add(JSON.createObjectNode().put("input", LONG).put("output", LONG));
        }
        SessionSnapshot snapshot = SessionSnapshot.create("s-1", "RUNNING", Instant.EPOCH, "{}", "d", payload);

        byte[] bytes = new SnapshotCodec().encode(snapshot, false);

        assertThat(bytes.length).isLessThan(20 * LONG.length() / 3); // a third of its twenty copies
        assertThat(new SnapshotCodec().decode(bytes, "session 's-1'", "s-1", 1).payload())
                .isEqualTo(payload);
    }

    @Example
    void snapshotCodec_redactorReplacingTheFirstPlace_hidesEveryRepeatToo() {
        ObjectNode payload = JSON.createObjectNode().put("first", LONG).put("second", LONG);
        Redactor secret =
                (path, value) -> value.isTextual() && value.textValue().equals(LONG) ? TextNode.valueOf("***") : value;
        SnapshotCodec codec = new SnapshotCodec(secret);
        SessionSnapshot snapshot = SessionSnapshot.create("s-1", "RUNNING", Instant.EPOCH, "{}", "d", payload);

        JsonNode read = codec.decode(codec.encode(snapshot, false), "session 's-1'", "s-1", 1)
                .payload();

        assertThat(read.get("first").textValue()).isEqualTo("***");
        assertThat(read.get("second").textValue()).isEqualTo("***");
    }

    @Example
    void resolve_placeChangedAfterWriting_keepsWhatIsStoredThere() throws Exception {
        ObjectNode read =
                (ObjectNode) JSON.readTree("{\"a\":\"" + LONG + "\",\"b\":\"***\",\"repeats\":{\"/b\":\"/a\"}}");

        RepeatedText.resolve(read, "entry 2");

        assertThat(read.get("b").textValue()).isEqualTo("***");
        assertThat(read.has("repeats")).isFalse();
    }

    @Example
    void resolve_malformedRepeats_failNamingTheDocumentAndThePlace() throws Exception {
        assertThatThrownBy(() -> RepeatedText.resolve(JSON.readTree("{\"repeats\":[1]}"), "entry 4 of session 's'"))
                .isInstanceOf(StateException.class)
                .hasMessage("Cannot read entry 4 of session 's': it is corrupt: 'repeats' is not an object");
        assertThatThrownBy(() -> RepeatedText.resolve(
                        JSON.readTree("{\"a\":\"\",\"repeats\":{\"/a\":\"/missing\"}}"), "entry 5"))
                .isInstanceOf(StateException.class)
                .hasMessage("Cannot read entry 5: it is corrupt: the repeat at '/a' refers to \"/missing\", which"
                        + " holds no text");
        assertThatThrownBy(() ->
                        RepeatedText.resolve(JSON.readTree("{\"a\":\"x\",\"repeats\":{\"a\":\"/a\"}}"), "entry 6"))
                .isInstanceOf(StateException.class)
                .hasMessageStartingWith("Cannot read entry 6: it is corrupt: 'a' in 'repeats' is not a place in it");
        assertThatThrownBy(
                        () -> RepeatedText.resolve(JSON.readTree("{\"a\":\"x\",\"repeats\":{\"\":\"/a\"}}"), "entry 7"))
                .isInstanceOf(StateException.class)
                .hasMessage("Cannot read entry 7: it is corrupt: '' in 'repeats' is not a place in it: it points"
                        + " at the whole entry");
    }

    /** A random tree whose long texts come from {@code texts}, under names that need escaping in a pointer. */
    private static JsonNode tree(Random random, List<String> texts, int depth) {
        int kind = depth >= 4 ? 2 + random.nextInt(2) : random.nextInt(4);
        switch (kind) {
            case 0 -> {
                ObjectNode object = JSON.createObjectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(NAMES.get(random.nextInt(NAMES.size())), tree(random, texts, depth + 1));
                }
                return object;
            }
            case 1 -> {
                ArrayNode array = JSON.createArrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(tree(random, texts, depth + 1));
                }
                return array;
            }
            case 2 -> {
                return TextNode.valueOf(texts.get(random.nextInt(texts.size())));
            }
            default -> {
                return random.nextBoolean()
                        ? TextNode.valueOf("")
                        : JSON.getNodeFactory().numberNode(random.nextInt());
            }
        }
    }
}
