package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Follow-up rounds (SPEC §4.7): each continues the same session, and silence ends it. */
final class FollowUpTest {

    /** What the agent saw in one round. */
    private record Seen(Object input, Object previousResult, List<ChatMessage> memory) {}

    private final QueueUserChannel channel = new QueueUserChannel();
    private final MutableClock clock = MutableClock.atEpoch();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private SessionHandle start(Topology topology, AgentRegistry agents) {
        return instance(topology, agents).start("first question", Map.of("session_id", "follow-ups"));
    }

    /** An instance asking {@link #channel} for follow-ups, which time out after 2 minutes of {@link #clock}. */
    private OrchestraInstance instance(Topology topology, AgentRegistry agents) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .communicationConfig(CommunicationConfig.of(channel))
                .allowFollowUps(true)
                .followUpTimeout(Duration.ofMinutes(2))
                .clock(clock)
                .build();
    }

    /** One agent, A, remembering what it was asked. */
    private AgentRegistry rememberingA() {
        return AgentRegistry.create().register("A", rememberingAgent());
    }

    private UserQuestion nextFollowUpPrompt() throws InterruptedException {
        Optional<UserQuestion> next = channel.nextQuestion(Duration.ofSeconds(10));
        assertThat(next).as("the channel is asked for a follow-up").isPresent();
        assertThat(next.get().kind()).isEqualTo(UserQuestion.Kind.FOLLOW_UP);
        return next.get();
    }

    /** Remembers every input and answers with the round number it counts from its own memory. */
    private Agent rememberingAgent() {
        return r -> {
            seen.add(new Seen(r.input(), r.context().getOrDefault("previous_result", "none"), List.copyOf(r.memory())));
            r.memory().add(UserMessage.from(r.inputText()));
            return AgentResponse.finish("answer " + r.memory().size() + " to " + r.input());
        };
    }

    @Test
    void followUps_twoRoundsThenSilence_continueTheSessionAndMergeTheResult() throws Exception {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        SessionHandle handle = start(t, rememberingA());

        channel.submit(nextFollowUpPrompt().interactionId(), "second question");
        channel.submit(nextFollowUpPrompt().interactionId(), "third question");
        UserQuestion last = nextFollowUpPrompt();
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.metadata()).containsEntry("follow_ups", 2);
        assertThat(result.totalSteps()).isEqualTo(3);
        assertThat(result.agentInvocationCount("A")).isEqualTo(3);
        assertThat(result.finalResponse()).isEqualTo("answer 3 to third question");
        assertThat(result.finalResponses())
                .containsExactly(
                        "answer 1 to first question", "answer 2 to second question", "answer 3 to third question");
        assertThat(result.branchResults()).hasSize(3);
        assertThat(seen).extracting(Seen::input).containsExactly("first question", "second question", "third question");
        assertThat(seen)
                .extracting(Seen::previousResult)
                .containsExactly("none", "answer 1 to first question", "answer 2 to second question");
        assertThat(seen.get(2).memory())
                .containsExactly(UserMessage.from("first question"), UserMessage.from("second question"));
        assertThat(channel.submit(last.interactionId(), "too late")).isFalse();
    }

    @Test
    void followUps_emptyAnswer_endsTheSessionWithoutAnotherRound() throws Exception {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        SessionHandle handle = start(t, rememberingA());

        channel.submit(nextFollowUpPrompt().interactionId(), "  ");
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.metadata()).containsEntry("follow_ups", 0);
        assertThat(result.totalSteps()).isEqualTo(1);
        assertThat(channel.pending()).isEmpty();
    }

    @Test
    void followUps_doneTypedByATerminalUser_endsTheSessionWithoutAnotherRound() throws Exception {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        SessionHandle handle = start(t, rememberingA());

        channel.submit(nextFollowUpPrompt().interactionId(), " Done ");
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.metadata()).containsEntry("follow_ups", 0);
    }

    @Test
    void followUps_runTimeoutWhileOnlyAFollowUpIsPending_endsCompletedNotTimedOut() throws Exception {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        SessionHandle handle = OrchestraInstance.builder()
                .topology(t)
                .agents(AgentRegistry.create().register("A", rememberingAgent()))
                .communicationConfig(CommunicationConfig.of(channel))
                .executionConfig(ExecutionConfig.builder()
                        .runTimeout(Duration.ofMinutes(1))
                        .build())
                .allowFollowUps(true)
                .followUpTimeout(Duration.ofMinutes(5))
                .clock(clock)
                .build()
                .start("first question", Map.of("session_id", "follow-up-run-timeout"));

        nextFollowUpPrompt();
        clock.advance(Duration.ofMinutes(2));
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponses()).hasSize(1);
    }

    @Test
    void followUps_afterAFailedRun_areNotOffered() throws Exception {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        SessionHandle handle =
                start(t, AgentRegistry.create().register("A", r -> AgentResponse.fail("cannot answer that")));

        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("cannot answer that"));
        assertThat(channel.pending()).isEmpty();
    }

    @Test
    void followUps_sessionPausedWhileWaitingForOne_resumeAsksAgainInsteadOfHanging() throws Exception {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        OrchestraInstance instance = instance(t, rememberingA());
        SessionHandle handle = instance.start("first question", Map.of("session_id", "paused-follow-up"));
        nextFollowUpPrompt();
        assertThat(instance.pauseSession("paused-follow-up", "operator")).isTrue();
        assertThat(handle.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.PAUSED);

        java.util.concurrent.CompletableFuture<OrchestraResult> resumed =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> instance.resumeSession("paused-follow-up", Map.of()));
        channel.submit(nextFollowUpPrompt().interactionId(), "second question");
        channel.submit(nextFollowUpPrompt().interactionId(), "done");
        OrchestraResult result = resumed.get(10, TimeUnit.SECONDS);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("answer 2 to second question");
    }

    @Test
    void followUps_answeredThroughTheInstance_startTheNextRoundAndLeaveTheChannel() throws Exception {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        OrchestraInstance instance = instance(t, rememberingA());
        SessionHandle handle = instance.start("first question", Map.of("session_id", "follow-up-by-respond"));

        UserQuestion first = nextFollowUpPrompt();
        assertThat(instance.offerAnswer("follow-up-by-respond", first.interactionId(), "second question"))
                .as("the running leg takes a follow-up answered through the instance")
                .isTrue();
        UserQuestion second = nextFollowUpPrompt();
        assertThat(channel.pending())
                .as("the first prompt, answered elsewhere, is withdrawn from the channel")
                .extracting(UserQuestion::interactionId)
                .containsExactly(second.interactionId());
        OrchestraResult ended = instance.respond("follow-up-by-respond", "done"); // the oldest: the follow-up prompt
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(ended.status()).as(ended.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponses())
                .containsExactly("answer 1 to first question", "answer 2 to second question");
        assertThat(result.metadata()).containsEntry("follow_ups", 1);
        assertThat(channel.pending()).isEmpty();
        assertThat(instance.offerAnswer("follow-up-by-respond", second.interactionId(), "late"))
                .isFalse();
    }

    @Test
    void followUps_withoutALiveChannel_areRefusedNamingTheOption() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OrchestraInstance.builder()
                        .topology(t)
                        .agents(rememberingA())
                        .communicationConfig(CommunicationConfig.durable())
                        .allowFollowUps(true)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowFollowUps(true)")
                .hasMessageContaining("UserChannel");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Orchestra.run(
                        "first question",
                        t,
                        RunOptions.builder()
                                .agents(rememberingA())
                                .allowFollowUps(true)
                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowFollowUps(true)");
        assertThat(seen).as("nothing ran").isEmpty();
    }

    @Test
    void respond_afterTheConversationEnded_withoutStorage_saysWhyTheSessionIsUnknown() throws Exception {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        OrchestraInstance instance = instance(t, rememberingA());
        SessionHandle handle = instance.start("first question", Map.of("session_id", "ended"));
        nextFollowUpPrompt();
        clock.advance(Duration.ofMinutes(3)); // the prompt times out: the conversation ends
        assertThat(handle.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> instance.respond("ended", "one more"))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("unknown session 'ended'")
                .hasMessageContaining("a finished session is not kept in memory")
                .hasMessageContaining("no StateManager");
    }
}
