package dev.orchestra4j.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.Input;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionHandle;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of a session whose agent asked the user feeds each question the answer the original run received, in order,
 * without asking anyone; a question the recording holds no answer for ends the replay with a divergence naming it. A
 * fork asks its questions live again. Replays used to stop at the first question (waiting for an answer no one could
 * give, or asking the live channel again).
 */
@Timeout(20) // a replay that waits for an answer would never end: fail instead of hanging the build
final class ReplayAnsweredSessionTest {

    private final List<String> seenByA = new CopyOnWriteArrayList<>();
    private final StateManager storage =
            StateManager.builder(StorageBackends.inMemory()).build();

    /** A asks for approval, then (approved or not) for a colour, and hands the colour to B, which finishes. */
    private final AgentRegistry agents = AgentRegistry.create()
            .register("A", r -> {
                if (r.received() instanceof Input.Answer answer) {
                    seenByA.add(answer.text());
                    return List.of("yes", "no").contains(answer.text())
                            ? AgentResponse.askUser("which colour, after " + answer.text() + "?")
                            : AgentResponse.handOff("B", "ok " + answer.text());
                }
                return AgentResponse.askUser("approve?");
            })
            .register("B", r -> AgentResponse.finish(r.inputText() + " B"));

    private static Topology topology() {
        return Topology.builder()
                .edge("Start -> A")
                .edge("A -> User")
                .edge("A -> B")
                .edge("B -> End")
                .build();
    }

    private OrchestraInstance instance(CommunicationConfig communication) {
        return instance(communication, storage);
    }

    private OrchestraInstance instance(CommunicationConfig communication, StateManager stateManager) {
        return OrchestraInstance.builder()
                .topology(topology())
                .agents(agents)
                .stateManager(stateManager)
                .communicationConfig(communication)
                .build();
    }

    /** Answers from a script, in order, and remembers every question it was asked. */
    private static final class ScriptedUser implements UserChannel {
        final List<String> asked = new CopyOnWriteArrayList<>();
        private final Deque<String> answers;

        ScriptedUser(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public synchronized CompletionStage<String> ask(UserQuestion question) {
            asked.add(question.question());
            String answer = answers.poll();
            return answer == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(answer);
        }
    }

    @Test
    void replay_durablyAnsweredSession_feedsTheRecordedAnswersInOrder() {
        try (OrchestraInstance instance = instance(CommunicationConfig.durable())) {
            instance.execute("go", Map.of("session_id", "asked"), 10);
            instance.respond("asked", "yes");
            assertThat(instance.respond("asked", "red").finalResponse()).isEqualTo("ok red B");

            Replay replay = instance.replay("asked");

            assertThat(replay.divergence()).isEmpty();
            assertThat(replay.result().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(replay.result().finalResponse()).isEqualTo("ok red B");
            assertThat(replay.matchesRecording()).isTrue();
        }
        assertThat(seenByA).containsExactly("yes", "red", "yes", "red");
    }

    @Test
    void replay_inAnotherProcess_readsTheAnswersFromFileStorage(@TempDir Path dir) {
        StateManager files = StateManager.builder(new FileStorageBackend(dir)).build();
        try (OrchestraInstance instance = instance(CommunicationConfig.durable(), files)) {
            instance.execute("go", Map.of("session_id", "filed"), 10);
            instance.respond("filed", "no");
            instance.respond("filed", "blue");
        }
        StateManager reopened =
                StateManager.builder(new FileStorageBackend(dir)).build();
        try (OrchestraInstance instance = instance(CommunicationConfig.durable(), reopened)) {
            Replay replay = instance.replay("filed");

            assertThat(replay.divergence()).isEmpty();
            assertThat(replay.result().finalResponse()).isEqualTo("ok blue B");
        }
        assertThat(seenByA).containsExactly("no", "blue", "no", "blue");
    }

    @Test
    void replay_answeredOnALiveChannel_neverAsksTheChannelAgain() {
        ScriptedUser user = new ScriptedUser("yes", "red");
        try (OrchestraInstance instance = instance(CommunicationConfig.of(user))) {
            assertThat(instance.execute("go", Map.of("session_id", "live"), 10).finalResponse())
                    .isEqualTo("ok red B");

            Replay replay = instance.replay("live");

            assertThat(replay.divergence()).isEmpty();
            assertThat(replay.result().finalResponse()).isEqualTo("ok red B");
        }
        assertThat(user.asked).containsExactly("approve?", "which colour, after yes?");
    }

    @Test
    void replay_sessionStillWaiting_endsWithADivergenceNamingTheQuestion() {
        try (OrchestraInstance instance = instance(CommunicationConfig.durable())) {
            instance.execute("go", Map.of("session_id", "waiting"), 10);
            instance.respond("waiting", "yes"); // the second question is never answered

            Replay replay = instance.replay("waiting");

            assertThat(replay.result().status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(replay.divergence()).hasValueSatisfying(d -> {
                assertThat(d.agent()).isEqualTo("A");
                assertThat(d.step()).isEqualTo(2);
                assertThat(d.actual()).contains("which colour, after yes?");
                assertThat(d.reason()).contains("no answer");
            });
        }
    }

    @Test
    void replay_failureDecidedByTheUser_feedsTheRecordedDecision() {
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge("A -> End")
                .edge("A -> User [on error]")
                .build();
        AgentRegistry failingFirst = AgentRegistry.create().register("A", r -> {
            if (r.attempt() == 1) {
                throw new IllegalStateException("boom");
            }
            return AgentResponse.finish("done on attempt " + r.attempt());
        });
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology)
                .agents(failingFirst)
                .stateManager(storage)
                .errorConfig(
                        ErrorHandlingConfig.builder().baseDelay(Duration.ZERO).build())
                .communicationConfig(CommunicationConfig.none())
                .build()) {
            instance.execute("go", Map.of("session_id", "failed"), 10);
            assertThat(instance.respond("failed", "retry").finalResponse()).isEqualTo("done on attempt 2");

            Replay replay = instance.replay("failed");

            assertThat(replay.divergence()).isEmpty();
            assertThat(replay.result().finalResponse()).isEqualTo("done on attempt 2");
        }
    }

    @Test
    void fork_beforeTheQuestion_asksTheLiveChannelAgain() {
        ScriptedUser user = new ScriptedUser("yes", "red", "no", "blue");
        try (OrchestraInstance instance = instance(CommunicationConfig.of(user))) {
            instance.execute("go", Map.of("session_id", "original"), 10);

            Replay fork = instance.fork("original", 1, "original-fork");

            assertThat(fork.divergence()).isEmpty();
            assertThat(fork.result().finalResponse()).isEqualTo("ok blue B");
        }
        assertThat(user.asked)
                .containsExactly("approve?", "which colour, after yes?", "approve?", "which colour, after no?");
        assertThat(seenByA).containsExactly("yes", "red", "no", "blue");
    }

    @Test
    void fork_beforeTheQuestion_waitsForRespondWhenDurable() {
        try (OrchestraInstance instance = instance(CommunicationConfig.durable())) {
            instance.execute("go", Map.of("session_id", "asked"), 10);
            instance.respond("asked", "yes");
            instance.respond("asked", "red");

            Replay fork = instance.fork("asked", 1, "asked-fork");
            assertThat(fork.result().status()).isEqualTo(RunStatus.WAITING_FOR_USER);

            instance.respond("asked-fork", "no");
            assertThat(instance.respond("asked-fork", "blue").finalResponse()).isEqualTo("ok blue B");
        }
        assertThat(seenByA).containsExactly("yes", "red", "no", "blue");
    }

    /** A hub forking two W that each ask which one they are for, and joining what they were told. */
    private OrchestraInstance parallelAskers() {
        AgentRegistry askers = AgentRegistry.create()
                .register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("W", "one"), Invocation.of("W", "two"))
                                : AgentResponse.finish(r.arrivals().stream()
                                        .map(a -> String.valueOf(a.value()))
                                        .sorted()
                                        .toList()
                                        .toString()))
                .register(
                        "W",
                        r -> r.received() instanceof Input.Answer a
                                ? AgentResponse.finish("W got " + a.text())
                                : AgentResponse.askUser("which for " + r.inputText() + "?"));
        return OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edge("Start -> Hub")
                        .edge("Hub <-> W")
                        .edge("W -> User")
                        .edge("Hub -> End")
                        .build())
                .agents(askers)
                .stateManager(storage)
                .communicationConfig(CommunicationConfig.durable())
                .build();
    }

    @Test
    void replay_parallelQuestionsAnsweredNewestFirst_feedsEachBranchItsOwnAnswerInTheRecordedOrder() {
        try (OrchestraInstance instance = parallelAskers()) {
            OrchestraResult last = instance.execute("go", Map.of("session_id", "both"), 20);
            List<UserQuestion> asked = last.pendingQuestions();
            assertThat(asked).hasSize(2);
            UserQuestion newer = asked.get(1);
            UserQuestion older = asked.get(0);
            instance.respond("both", newer.interactionId(), "first answer, to " + newer.question());
            OrchestraResult original =
                    instance.respond("both", older.interactionId(), "second answer, to " + older.question());
            assertThat(original.status()).isEqualTo(RunStatus.COMPLETED);

            Replay replay = instance.replay("both");

            assertThat(replay.divergence())
                    .as(
                            "the original ran %s,%n the replay %s",
                            original.executionTrace().stream()
                                    .map(t -> t.index() + ":" + t.agent() + "@" + t.branchId() + ":" + t.action())
                                    .toList(),
                            replay.result().executionTrace().stream()
                                    .map(t -> t.index() + ":" + t.agent() + "@" + t.branchId() + ":" + t.action())
                                    .toList())
                    .isEmpty();
            assertThat(replay.result().finalResponse()).isEqualTo(original.finalResponse());
            assertThat(replay.matchesRecording()).isTrue();
        }
    }

    @Test
    void replay_parallelQuestionsNumberedInEitherOrder_neverDivergeOverTheirIds() {
        try (OrchestraInstance instance = parallelAskers()) {
            for (int round = 0; round < 20; round++) {
                String id = "round-" + round;
                OrchestraResult last = instance.execute("go", Map.of("session_id", id), 20);
                while (last.status() == RunStatus.WAITING_FOR_USER) {
                    last = instance.respond(id, "yes"); // the oldest question first, whichever branch asked it
                }

                Replay replay = instance.replay(id);

                assertThat(replay.divergence()).as("round %d", round).isEmpty();
                assertThat(replay.result().finalResponse()).isEqualTo(last.finalResponse());
            }
        }
    }

    @Test
    void replay_followUpLetTimeOut_endsTheConversationAsTheRecordingDid() {
        dev.orchestra4j.core.MutableClock clock = dev.orchestra4j.core.MutableClock.atEpoch();
        ScriptedUser user = new ScriptedUser("yes", "red"); // the follow-up prompt gets no answer
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology())
                .agents(agents)
                .stateManager(storage)
                .communicationConfig(CommunicationConfig.of(user))
                .allowFollowUps(true)
                .followUpTimeout(Duration.ofMinutes(1))
                .clock(clock)
                .build()) {
            SessionHandle handle = instance.start("go", Map.of("session_id", "silent"));
            while (user.asked.size() < 3) { // the two questions, then the follow-up prompt
                Thread.onSpinWait();
            }
            clock.advance(Duration.ofMinutes(2));
            OrchestraResult original = handle.await();
            assertThat(original.status()).isEqualTo(RunStatus.COMPLETED);

            Replay replay = instance.replay("silent");

            assertThat(replay.divergence()).isEmpty();
            assertThat(replay.result().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(replay.result().finalResponse()).isEqualTo("ok red B");
        }
    }

    @Test
    void replay_answerHoldingASecret_stopsAtItsQuestionNamingTheMask() {
        AgentRegistry guarded = AgentRegistry.create()
                .register(
                        "A",
                        r -> r.received() instanceof Input.Answer a
                                ? AgentResponse.finish(a.text().equals("hunter2") ? "authorized" : "denied")
                                : AgentResponse.askUser("password?"));
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edge("Start -> A")
                        .edge("A -> User")
                        .edge("A -> End")
                        .build())
                .agents(guarded)
                .stateManager(storage)
                .secret("db_password", "hunter2")
                .communicationConfig(CommunicationConfig.durable())
                .build()) {
            instance.execute("go", Map.of("session_id", "secret"), 10);
            assertThat(instance.respond("secret", "hunter2").finalResponse()).isEqualTo("authorized");

            Replay replay = instance.replay("secret");

            assertThat(replay.result().status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(replay.divergence()).hasValueSatisfying(d -> {
                assertThat(d.actual()).isEqualTo("password?");
                assertThat(d.reason()).contains("[secret:db_password]").contains("masked");
            });
        }
    }

    @Test
    void replay_afterARestoreAnsweredInAnotherOrder_followsTheOrderAfterTheRestore() {
        try (OrchestraInstance instance = parallelAskers()) {
            OrchestraResult asked = instance.execute("go", Map.of("session_id", "restored"), 20);
            UserQuestion two = asked.pendingQuestions().stream()
                    .filter(q -> q.question().contains("two"))
                    .findFirst()
                    .orElseThrow();
            String checkpoint = instance.createCheckpoint("restored", "both-asked");
            instance.respond("restored", two.interactionId(), "before the restore");
            assertThat(instance.restoreCheckpoint(checkpoint)).isTrue();
            OrchestraResult again = instance.resumeSession("restored", Map.of());
            List<UserQuestion> oneThenTwo = again.pendingQuestions().stream()
                    .sorted(java.util.Comparator.comparing(UserQuestion::question))
                    .toList();
            OrchestraResult last = again;
            for (UserQuestion q : oneThenTwo) { // "which for one?", then "which for two?": two last this time
                last = instance.respond("restored", q.interactionId(), "after the restore");
            }
            assertThat(last.status()).isEqualTo(RunStatus.COMPLETED);

            Replay replay = instance.replay("restored");

            assertThat(replay.divergence()).isEmpty();
            assertThat(replay.result().finalResponse()).isEqualTo(last.finalResponse());
        }
    }
}
