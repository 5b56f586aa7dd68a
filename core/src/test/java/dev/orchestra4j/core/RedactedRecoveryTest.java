package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.orchestra4j.state.Redactor;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.UnreadableStateException;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A crashed session recovers under a {@link Redactor} that replaces a value in some of the places it is stored but not
 * in others (by path): the recorded outcomes the journal replays and the changes it committed then disagree there,
 * which the replay must not take for a journal of another engine. A journal the redactor left alone is still held to
 * replaying exactly.
 */
final class RedactedRecoveryTest {

    private static final String LETTER = "Dear Ada Lovelace, 12 St James's Square, London.";

    private final DyingStorage storage = new DyingStorage();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** Start -> P0 -> ... -> P7 -> End; each agent writes a letter and hands it on, the last one finishes with it. */
    private final AgentRegistry agents = AgentRegistry.create();

    private final Topology topology = pipeline();

    private Topology pipeline() {
        Topology.Builder b = Topology.builder().edge("Start -> P0");
        for (int i = 0; i < 8; i++) {
            String name = "P" + i;
            String next = i == 7 ? "End" : "P" + (i + 1);
            b.edge(name + " -> " + next);
            agents.register(name, r -> {
                calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                Map<String, Object> letter = Map.of("letter", LETTER, "by", name);
                return next.equals("End") ? AgentResponse.finish(letter) : AgentResponse.handOff(next, letter);
            });
        }
        return b.build();
    }

    private OrchestraInstance instance(Redactor redactor) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .stateManager(StateManager.builder(storage)
                        .redactor(redactor)
                        .heartbeatInterval(Duration.ofMillis(50))
                        .leaseTimeout(Duration.ofMillis(100)) // a recovery watches the dead owner this long
                        .build())
                .build();
    }

    /** Runs until the process dies after {@code appends} journal appends. */
    private void crashAfter(int appends, Redactor redactor, String id) {
        storage.appendsUntilDeath = appends;
        assertThatThrownBy(() -> instance(redactor).execute("write", Map.of("session_id", id), 100))
                .isInstanceOf(StateException.class);
        storage.appendsUntilDeath = Integer.MAX_VALUE;
    }

    private void assertRecovered(OrchestraResult recovered) {
        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(calls.get("P7").get()).isEqualTo(1);
        assertThat(calls.values().stream().mapToInt(AtomicInteger::get).max().orElseThrow())
                .as("only the step in flight at the crash runs again")
                .isLessThanOrEqualTo(2);
        assertThat(calls.entrySet()).filteredOn(e -> e.getValue().get() == 2).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void recover_redactorHidesTheTracesOutputsOnly_recoversWithThemHidden() {
        // "keep the agents' outputs out of the stored trace": the recorded outcomes still hold them
        Redactor outputs = (path, value) -> path.matches("/trace/\\d+/output") ? TextNode.valueOf("[withheld]") : value;
        crashAfter(4, outputs, "redacted-trace");

        OrchestraResult recovered = instance(outputs).recoverSession("redacted-trace", Map.of());

        assertRecovered(recovered);
        assertThat(recovered.executionTrace().getFirst().output())
                .as("a value the redactor replaced is not restored: what storage holds is what recovery resumes")
                .isEqualTo("[withheld]");
        assertThat(recovered.finalResponse()).isEqualTo(Map.of("letter", LETTER, "by", "P7"));
    }

    @Test
    void recover_redactorHidesTheRecordedAnswersOnly_recoversFromTheCommittedChanges() {
        // the other way round: the recorded responses are hidden, the changes they made are not
        Redactor answers = (path, value) -> path.endsWith("/response/request") ? TextNode.valueOf("[withheld]") : value;
        crashAfter(4, answers, "redacted-answers");

        OrchestraResult recovered = instance(answers).recoverSession("redacted-answers", Map.of());

        assertRecovered(recovered);
        assertThat(recovered.executionTrace().get(1).input()).isEqualTo(Map.of("letter", LETTER, "by", "P0"));
    }

    @Test
    void recover_redactorHidesAContextField_recoversAndTheAgentsAfterItSeeTheReplacement() {
        Redactor email = (path, value) -> path.equals("/context/customer_email") ? TextNode.valueOf("[email]") : value;
        Map<String, Object> seen = new ConcurrentHashMap<>();
        agents.register("P7", r -> {
            calls.computeIfAbsent("P7", k -> new AtomicInteger()).incrementAndGet();
            seen.put("email", r.context().get("customer_email"));
            return AgentResponse.finish("sent");
        });
        storage.appendsUntilDeath = 4;
        assertThatThrownBy(() -> instance(email)
                        .execute(
                                "write",
                                Map.of("session_id", "redacted-context", "customer_email", "ada@example.org"),
                                100))
                .isInstanceOf(StateException.class);
        storage.appendsUntilDeath = Integer.MAX_VALUE;

        OrchestraResult recovered = instance(email).recoverSession("redacted-context", Map.of());

        assertRecovered(recovered);
        assertThat(seen).containsEntry("email", "[email]");
    }

    @Test
    void recover_redactorHidesATextEverywhere_recoversWithItHidden() {
        Redactor letters = (path, value) ->
                value.isTextual() && value.textValue().equals(LETTER) ? TextNode.valueOf("***") : value;
        crashAfter(4, letters, "redacted-text");

        OrchestraResult recovered = instance(letters).recoverSession("redacted-text", Map.of());

        assertRecovered(recovered);
        assertThat(recovered.executionTrace().getFirst().output()).isEqualTo(Map.of("letter", "***", "by", "P0"));
    }

    @Test
    void recover_entriesTheRedactorChangedThatTheMachineCannotReplay_recoverFromTheirChanges() {
        // a redactor that hid what the machine decides on (an agent's name, a routed value) stops the replay itself
        Redactor outputs = (path, value) -> path.matches("/trace/\\d+/output") ? TextNode.valueOf("[withheld]") : value;
        crashAfter(4, outputs, "redacted-stopped");
        storage.onRead = tree -> {
            tree.path("inputs").forEach(input -> {
                if (input.path("i").asText().equals("start")) {
                    ((ObjectNode) input).put("branch", "b999");
                }
            });
            return tree;
        };

        OrchestraResult recovered = instance(outputs).recoverSession("redacted-stopped", Map.of());

        assertRecovered(recovered);
    }

    @Test
    void recover_redactorChangedNothingInTheJournal_aTamperedOutcomeIsStillRefused() {
        Redactor unrelated = (path, value) -> path.equals("/context/api_key") ? TextNode.valueOf("***") : value;
        crashAfter(4, unrelated, "redacted-nothing");
        storage.onRead = tree -> {
            tree.path("inputs").forEach(input -> {
                JsonNode response = input.path("outcome").path("response");
                if (response.path("agent").asText().equals("P2")) {
                    ((ObjectNode) response.path("request")).put("letter", "tampered");
                }
            });
            return tree;
        };

        assertThatThrownBy(() -> instance(unrelated).recoverSession("redacted-nothing", Map.of()))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("session 'redacted-nothing'")
                .hasMessageContaining("does not replay to the state it committed")
                .hasMessageContaining("tampered");
    }
}
