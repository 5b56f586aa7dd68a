package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a live channel is told when what it shows no longer waits: a follow-up prompt of a cancelled or closed session
 * was left showing (questions were withdrawn), and a question that timed out was withdrawn twice.
 */
final class ChannelWithdrawalTest {

    /** A queue channel that records every withdrawal. */
    static final class Recording implements UserChannel {
        final QueueUserChannel queue = new QueueUserChannel();
        final List<String> cancelled = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<String> ask(UserQuestion question) {
            return queue.ask(question);
        }

        @Override
        public void cancel(String interactionId) {
            cancelled.add(interactionId);
            queue.cancel(interactionId);
        }
    }

    private OrchestraInstance followingUp(Recording channel) {
        return OrchestraInstance.builder()
                .topology(TestTopologies.single())
                .agents(AgentRegistry.create().register("A", r -> AgentResponse.finish("answer to " + r.input())))
                .communicationConfig(CommunicationConfig.of(channel))
                .allowFollowUps(true)
                .followUpTimeout(Duration.ofMinutes(5))
                .build();
    }

    @Test
    void cancelSession_withdrawsThePendingFollowUpPrompt_andTheCompletedRunStaysCompleted() throws Exception {
        Recording channel = new Recording();
        try (OrchestraInstance instance = followingUp(channel)) {
            SessionHandle session = instance.start("first", Map.of());
            UserQuestion prompt =
                    channel.queue.nextQuestion(Duration.ofSeconds(20)).orElseThrow();
            assertThat(prompt.kind()).isEqualTo(UserQuestion.Kind.FOLLOW_UP);

            instance.cancelSession(session.id());

            OrchestraResult result = session.result().get(20, TimeUnit.SECONDS);
            assertThat(result.status())
                    .as("the round completed; cancelling ends only the offer of a follow-up, as its timeout does")
                    .isEqualTo(RunStatus.COMPLETED);
            assertThat(result.finalResponses()).hasSize(1);
            assertThat(channel.cancelled).containsExactly(prompt.interactionId());
            assertThat(channel.queue.pending()).isEmpty();
        }
    }

    @Test
    void close_withdrawsThePendingFollowUpPrompt() throws Exception {
        Recording channel = new Recording();
        OrchestraInstance instance = followingUp(channel);
        SessionHandle session = instance.start("first", Map.of());
        UserQuestion prompt = channel.queue.nextQuestion(Duration.ofSeconds(20)).orElseThrow();

        instance.close();

        session.result().get(20, TimeUnit.SECONDS);
        assertThat(channel.cancelled).containsExactly(prompt.interactionId());
    }

    @Test
    void questionTimingOut_isWithdrawnOnce() throws Exception {
        Recording channel = new Recording();
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(TestTopologies.asking())
                .agents(AgentRegistry.create()
                        .register(
                                "A",
                                r -> r.received() instanceof Input.Answer
                                        ? AgentResponse.finish("answered")
                                        : AgentResponse.askUser("who?")))
                .communicationConfig(CommunicationConfig.of(channel))
                .executionConfig(ExecutionConfig.builder()
                        .userInteractionTimeout(Duration.ofMillis(50))
                        .build())
                .build()) {
            OrchestraResult result = instance.execute("x", Map.of(), 10);

            assertThat(result.status()).isNotEqualTo(RunStatus.COMPLETED);
            assertThat(channel.cancelled).as("withdrawn once").hasSize(1);
            assertThat(channel.queue.pending()).isEmpty();
        }
    }
}
