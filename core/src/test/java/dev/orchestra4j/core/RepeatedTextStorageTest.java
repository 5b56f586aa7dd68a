package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.orchestra4j.core.replay.RecordedStep;
import dev.orchestra4j.core.replay.Recording;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.Redactor;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A long text is stored once per journal entry and snapshot (state's {@code RepeatedText}); a {@link Redactor} still
 * decides, for every place, what is stored there: one that hides a text hides it everywhere it was repeated, one that
 * hides a place keeps that place hidden when the text is put back into the others.
 */
final class RepeatedTextStorageTest {

    private static final String PERSONAL = "Dear Ada Lovelace, 12 St James's Square, London. ".repeat(4);

    /** Every byte the engine hands to storage. */
    private final List<String> written = new CopyOnWriteArrayList<>();

    private StateManager manager(Redactor redactor) {
        var storage = new ForwardingStorageBackend(StorageBackends.inMemory()) {
            @Override
            public long write(String key, byte[] value) {
                written.add(new String(value, StandardCharsets.UTF_8));
                return super.write(key, value);
            }

            @Override
            public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
                written.add(new String(value, StandardCharsets.UTF_8));
                return super.compareAndSet(key, expectedVersion, value);
            }

            @Override
            public OptionalLong compareAndSet(
                    String key, long expectedVersion, byte[] value, long expectedLastSequence) {
                written.add(new String(value, StandardCharsets.UTF_8));
                return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
            }

            @Override
            public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
                entries.forEach(e -> written.add(new String(e, StandardCharsets.UTF_8)));
                return super.appendJournal(key, expectedLastSequence, entries);
            }
        };
        return StateManager.builder(storage).redactor(redactor).build();
    }

    /** Writer drafts a letter, Reviewer passes it on unchanged, Sender finishes with it: the text in every part. */
    private OrchestraInstance instance(StateManager manager) {
        AgentRegistry agents = AgentRegistry.create()
                .register("Writer", r -> AgentResponse.handOff("Reviewer", Map.of("letter", PERSONAL)))
                .register("Reviewer", r -> AgentResponse.handOff("Sender", r.input()))
                .register("Sender", r -> AgentResponse.finish(r.input()));
        Topology topology = Topology.builder()
                .edge("Start -> Writer")
                .edge("Writer -> Reviewer")
                .edge("Reviewer -> Sender")
                .edge("Sender -> End")
                .build();
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .stateManager(manager)
                .build();
    }

    @Test
    void aRedactorHidingTheText_hidesItInEveryPlaceItWasRepeated() {
        StateManager manager = manager((path, value) ->
                value.isTextual() && value.textValue().equals(PERSONAL) ? TextNode.valueOf("[letter]") : value);

        OrchestraResult result = instance(manager).execute("post", Map.of("session_id", "letter-1"), 10);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(written).isNotEmpty().noneMatch(bytes -> bytes.contains("Lovelace"));
        List<RecordedStep> steps = Recording.read(manager, "letter-1").steps();
        assertThat(steps).hasSize(3);
        assertThat(steps).extracting(RecordedStep::output).containsOnly(Map.of("letter", "[letter]"));
        assertThat(steps.get(1).input()).isEqualTo(Map.of("letter", "[letter]"));
    }

    @Test
    void aRedactorHidingOnePlace_keepsThatPlaceHidden_andTheTextIsBackEverywhereElse() {
        StateManager manager = manager(
                (path, value) -> path.matches("/records/\\d+/input") ? TextNode.valueOf("[input withheld]") : value);

        OrchestraResult result = instance(manager).execute("post", Map.of("session_id", "letter-2"), 10);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        List<RecordedStep> steps = Recording.read(manager, "letter-2").steps();
        assertThat(steps).extracting(RecordedStep::input).containsOnly("[input withheld]");
        assertThat(steps).extracting(RecordedStep::output).containsOnly(Map.of("letter", PERSONAL));
    }
}
