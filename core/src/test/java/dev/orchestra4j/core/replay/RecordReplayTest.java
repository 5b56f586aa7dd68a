package dev.orchestra4j.core.replay;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording, replay, fork and diff on the file backend with scripted models (issue #19). */
final class RecordReplayTest {

    private static final String SECRET = "sk-live-0123456789abcdef";

    @TempDir
    Path dir;

    private final AtomicInteger lookups = new AtomicInteger();

    /** A tool that counts its calls and echoes the secret it sees in the query. */
    final class Lookup {
        @Tool("Looks a fact up")
        public String lookup(String query) {
            lookups.incrementAndGet();
            return "fact about " + query;
        }
    }

    /** A model that fails every call: proves that a replay never calls it. */
    private static final ChatModel OFFLINE = new ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            throw new AssertionError("the model was called during a replay");
        }
    };

    private static Topology topology() {
        return Topology.builder()
                .edge("Start -> Finder")
                .edge("Finder -> Writer")
                .edge("Writer -> End")
                .build();
    }

    private ScriptedChatModel liveModel() {
        return ScriptedChatModel.builder()
                .agent("Finder", toolCall("lookup", "{\"query\": \"otters " + SECRET + "\"}"))
                .agent("Finder", request -> invoke("Writer", "notes: otters hold hands"))
                .agent("Writer", request -> finish("Otters hold hands while sleeping."))
                .tokenUsage(50, 10)
                .build();
    }

    private AgentRegistry agents(ChatModel model, String writerPrompt) {
        return AgentRegistry.create()
                .register(
                        "Finder",
                        LlmAgent.builder()
                                .name("Finder")
                                .model(model)
                                .systemPrompt("You find facts.")
                                .tools(new Lookup())
                                .build())
                .register(
                        "Writer",
                        LlmAgent.builder()
                                .name("Writer")
                                .model(model)
                                .systemPrompt(writerPrompt)
                                .build());
    }

    private StateManager manager() {
        return new StateManager(new FileStorageBackend(dir.resolve("plain")));
    }

    /** Storage whose redactor removes the phrase "otters hold hands" from everything it stores. */
    private StateManager redacting(Path root) {
        return StateManager.builder(new FileStorageBackend(root))
                .redactor((path, value) -> value.isTextual() && value.asText().contains("otters hold hands")
                        ? TextNode.valueOf(value.asText().replace("otters hold hands", "[redacted]"))
                        : value)
                .build();
    }

    private OrchestraInstance instance(AgentRegistry agents, StateManager manager) {
        return OrchestraInstance.builder()
                .topology(topology())
                .agents(agents)
                .stateManager(manager)
                .build();
    }

    private OrchestraResult record(StateManager manager) {
        return OrchestraInstance.builder()
                .topology(topology())
                .agents(agents(liveModel(), "You write one sentence."))
                .stateManager(manager)
                .context(Map.of("session_id", "s-1"))
                .build()
                .execute("Tell me about otters", Map.of("session_id", "s-1"), 20);
    }

    private static String everythingStored(Path root) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    @Test
    void record_onByDefaultWithAStateManager_recordsModelCallsToolResultsTokensAndTiming() {
        try (StateManager manager = manager()) {
            OrchestraResult result = record(manager);
            assertThat(result.success()).as(result.error().orElse("")).isTrue();

            Recording recording = Recording.read(manager, "s-1");

            assertThat(recording.steps()).extracting(RecordedStep::agent).containsExactly("Finder", "Writer");
            RecordedStep finder = recording.step(1).orElseThrow();
            assertThat(finder.input()).isEqualTo("Tell me about otters");
            assertThat(finder.action()).isEqualTo("handoff");
            assertThat(finder.targets()).containsExactly("Writer");
            assertThat(finder.modelCalls()).hasSize(2).allSatisfy(call -> {
                assertThat(call.requestDigest()).hasSize(64);
                assertThat(call.inputTokens()).isEqualTo(50);
                assertThat(call.outputTokens()).isEqualTo(10);
                assertThat(call.duration()).isPositive();
                assertThat(call.tools()).contains("lookup", "invoke_agent");
            });
            assertThat(finder.modelCalls().getFirst().messages()).contains("You find facts.", "Tell me about otters");
            assertThat(finder.toolCalls()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("lookup");
                assertThat(t.result()).startsWith("fact about otters");
            });
            assertThat(finder.duration()).isPositive();
            assertThat(recording.step(2).orElseThrow().output()).isEqualTo("Otters hold hands while sleeping.");
            assertThat(recording.totalTokens()).isEqualTo(3 * 60);
            assertThat(recording.toMermaid())
                    .startsWith("sequenceDiagram")
                    .contains("Finder->>Finder: step 1 tool lookup", "Finder->>Writer: step 1 handoff")
                    .contains("Note over Writer: step 2 finish");
        }
    }

    @Test
    void record_throughTheRedactor_aRedactedRecordingReplaysUpToTheRedactedTextAndSaysSo() throws Exception {
        try (StateManager manager = redacting(dir.resolve("redacted"))) {
            OrchestraResult result = instance(agents(liveModel(), "You write one sentence."), manager)
                    .execute("Tell me about otters", Map.of("session_id", "s-red"), 20);
            assertThat(result.success()).as(result.error().orElse("")).isTrue();

            assertThat(Recording.read(manager, "s-red").step(1).orElseThrow().output())
                    .isEqualTo("notes: [redacted]");
            assertThat(everythingStored(dir.resolve("redacted"))).doesNotContain("otters hold hands");

            Replay replay = instance(agents(OFFLINE, "You write one sentence."), manager)
                    .replay("s-red");
            assertThat(replay.divergence()).hasValueSatisfying(d -> {
                assertThat(d.agent()).isEqualTo("Writer");
                assertThat(d.reason()).contains("redactor");
            });
        }
    }

    @Test
    void record_secretsEchoedIntoToolCallsAndMemory_neverReachTheRecording() throws Exception {
        Path root = dir.resolve("masked");
        try (StateManager manager = new StateManager(new FileStorageBackend(root))) {
            RunOptions options = RunOptions.builder()
                    .agents(agents(liveModel(), "You write one sentence."))
                    .stateManager(manager)
                    .secret("api_key", SECRET)
                    .context(Map.of("session_id", "s-masked"))
                    .build();
            OrchestraResult result = dev.orchestra4j.core.Orchestra.run("Tell me about otters", topology(), options);
            assertThat(result.success()).as(result.error().orElse("")).isTrue();

            assertThat(Recording.read(manager, "s-masked").step(1).orElseThrow().toolCalls())
                    .singleElement()
                    .satisfies(t -> assertThat(t.arguments()).doesNotContain(SECRET));
            assertThat(everythingStored(root)).contains("\"t\":\"step\"").doesNotContain(SECRET);
        }
    }

    @Test
    void record_switchedOffOrWithoutStorage_recordsNothingAndRecordTrueNeedsStorage() {
        try (StateManager manager = manager()) {
            OrchestraResult result = OrchestraInstance.builder()
                    .topology(topology())
                    .agents(agents(liveModel(), "You write one sentence."))
                    .stateManager(manager)
                    .record(false)
                    .build()
                    .execute("Tell me about otters", Map.of("session_id", "s-off"), 20);

            assertThat(result.success()).isTrue();
            assertThat(manager.lastRecordingSequence("s-off")).isZero();
            assertThatThrownBy(() -> Recording.read(manager, "s-off"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'s-off' has no recording");
        }
        assertThat(RunOptions.builder().build().recording()).isFalse();
        assertThatThrownBy(() -> RunOptions.builder().record(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("record(true) needs a StateManager");
    }

    @Test
    void replay_answersModelAndToolsFromTheRecording_sameResultNothingCalledNothingStored() {
        try (StateManager manager = manager()) {
            OrchestraResult recorded = record(manager);
            int toolRuns = lookups.get();
            long recordingBefore = manager.lastRecordingSequence("s-1");
            long journalBefore = manager.lastEventSequence("s-1");

            Replay replay = instance(agents(OFFLINE, "You write one sentence."), manager)
                    .replay("s-1");

            assertThat(replay.divergence()).isEmpty();
            assertThat(replay.matchesRecording()).isTrue();
            assertThat(replay.result().finalResponse()).isEqualTo(recorded.finalResponse());
            assertThat(replay.result().metrics().inputTokens())
                    .isEqualTo(recorded.metrics().inputTokens());
            assertThat(replay.result().executionTrace().getFirst().toolCalls())
                    .extracting(t -> t.result())
                    .isEqualTo(recorded.executionTrace().getFirst().toolCalls().stream()
                            .map(t -> t.result())
                            .toList());
            assertThat(lookups.get())
                    .as("the tool is answered from the recording")
                    .isEqualTo(toolRuns);
            assertThat(manager.lastRecordingSequence("s-1"))
                    .as("nothing stored")
                    .isEqualTo(recordingBefore);
            assertThat(manager.lastEventSequence("s-1")).as("nothing stored").isEqualTo(journalBefore);
            assertThat(Recording.read(manager, "s-1").steps()).hasSize(2);
        }
    }

    @Test
    void replay_changedPrompt_stopsAtThatAgentsFirstStepReportingExpectedAndActualRequest() {
        try (StateManager manager = manager()) {
            record(manager);

            Replay replay =
                    instance(agents(OFFLINE, "You write haiku."), manager).replay("s-1");

            assertThat(replay.result().status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(replay.matchesRecording()).isFalse();
            assertThat(replay.divergence()).hasValueSatisfying(d -> {
                assertThat(d.step()).isEqualTo(2);
                assertThat(d.agent()).isEqualTo("Writer");
                assertThat(d.branchId()).isEqualTo("b1");
                assertThat(d.expected()).contains("You write one sentence.");
                assertThat(d.actual()).contains("You write haiku.");
                assertThat(d.reason()).contains("model call 1 of Writer", "recorded \"", "now \"");
                assertThat(d.toString()).startsWith("diverged at step 2 (Writer on b1)");
            });
        }
    }

    @Test
    void replay_unknownOrUnrecordedSession_failsNamingIt() {
        try (StateManager manager = manager()) {
            OrchestraInstance instance = instance(agents(OFFLINE, "x"), manager);
            assertThatThrownBy(() -> instance.replay("nope"))
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("'nope'");
            OrchestraInstance noStorage = OrchestraInstance.builder()
                    .topology(topology())
                    .agents(agents(OFFLINE, "x"))
                    .build();
            assertThatThrownBy(() -> noStorage.replay("s-1"))
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("replay needs a StateManager");
        }
    }

    @Test
    void fork_atStepWithEditedInput_nextAgentGetsTheEditAndStepOneIsNotRunAgain() {
        try (StateManager manager = manager()) {
            record(manager);
            List<String> writerInputs = new CopyOnWriteArrayList<>();
            AgentRegistry agents = agents(OFFLINE, "You write one sentence.").register("Writer", request -> {
                writerInputs.add(request.inputText());
                return AgentResponse.finish("Wrote from: " + request.inputText());
            });
            int toolRuns = lookups.get();

            Replay fork = instance(agents, manager)
                    .fork("s-1", Fork.atStep(1).withInput("notes: beavers build dams"), "s-1-beavers");

            assertThat(fork.result().success())
                    .as(fork.result().error().orElse(""))
                    .isTrue();
            assertThat(fork.result().finalResponse()).isEqualTo("Wrote from: notes: beavers build dams");
            assertThat(writerInputs).containsExactly("notes: beavers build dams");
            assertThat(lookups.get()).isEqualTo(toolRuns);
            assertThat(fork.sessionId()).isEqualTo("s-1-beavers");

            RunDiff diff = RunDiff.between(manager, "s-1", "s-1-beavers");
            assertThat(diff.firstDivergingStep()).contains(1);
            assertThat(diff.steps()).hasSize(2);
            assertThat(diff.steps().get(1).inputDiffers()).isTrue();
            assertThatThrownBy(() ->
                            instance(agents, manager).fork("s-1", Fork.atStep(2).withInput("x"), "s-1-x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ended with finish, not a hand-off or a reply");
        }
    }

    @Test
    void fork_replayUntilDivergence_reusesMatchingCallsAndStopsAtTheChangedAgent() {
        try (StateManager manager = manager()) {
            record(manager);

            Replay same = instance(agents(OFFLINE, "You write one sentence."), manager)
                    .fork("s-1", Fork.atStep(1).replayUntilDivergence(), "s-1-same");
            Replay changed = instance(agents(OFFLINE, "You write haiku."), manager)
                    .fork("s-1", Fork.atStep(1).replayUntilDivergence(), "s-1-haiku");

            assertThat(same.divergence()).isEmpty();
            assertThat(same.result().finalResponse()).isEqualTo("Otters hold hands while sleeping.");
            assertThat(Recording.read(manager, "s-1-same").steps())
                    .extracting(s -> s.copiedFrom().orElse("run"))
                    .containsExactly("s-1", "run");
            assertThat(changed.divergence())
                    .hasValueSatisfying(d -> assertThat(d.agent()).isEqualTo("Writer"));
            assertThat(changed.result().status()).isEqualTo(RunStatus.CANCELLED);
        }
    }

    @Test
    void fork_atCheckpoint_startsFromTheCheckpointWithASwappedAgentAndLeavesTheOriginal() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> C")
                .edge("C -> End")
                .build();
        AtomicInteger aRuns = new AtomicInteger();
        try (StateManager manager = manager()) {
            OrchestraInstance[] holder = new OrchestraInstance[1];
            AgentRegistry agents = AgentRegistry.create()
                    .register("A", r -> {
                        aRuns.incrementAndGet();
                        holder[0].pauseSession("p-1", "checkpoint after A");
                        return AgentResponse.handOff("B", "from A");
                    })
                    .register("B", r -> AgentResponse.handOff("C", r.inputText() + " via B"))
                    .register("C", r -> AgentResponse.finish("C got " + r.inputText()));
            holder[0] = OrchestraInstance.builder()
                    .topology(t)
                    .agents(agents)
                    .stateManager(manager)
                    .build();
            OrchestraResult paused = holder[0].execute("go", Map.of("session_id", "p-1"), 20);
            assertThat(paused.status()).isEqualTo(RunStatus.PAUSED);
            String checkpoint = holder[0].createCheckpoint("p-1", "after-a");
            OrchestraResult done = holder[0].resumeSession("p-1", Map.of());
            assertThat(done.finalResponse()).isEqualTo("C got from A via B");

            Replay fork = holder[0].fork(
                    "p-1",
                    Fork.atCheckpoint(checkpoint).withAgent("C", r -> AgentResponse.finish("new C: " + r.inputText())),
                    "p-1-new-c");

            assertThat(fork.result().finalResponse()).isEqualTo("new C: from A via B");
            assertThat(aRuns.get()).as("A ran once, before the checkpoint").isEqualTo(1);
            assertThat(Recording.read(manager, "p-1-new-c").steps())
                    .extracting(s -> s.agent() + " " + s.copiedFrom().orElse("run"))
                    .containsExactly("A p-1", "B run", "C run");
            assertThat(manager.loadSession("p-1").orElseThrow().status()).isEqualTo("COMPLETED");
            assertThat(Recording.read(manager, "p-1").step(3).orElseThrow().output())
                    .isEqualTo("C got from A via B");
            assertThatThrownBy(() -> holder[0].fork("s-other", checkpoint, "x-1"))
                    .isInstanceOf(SessionException.class);
        }
    }
}
