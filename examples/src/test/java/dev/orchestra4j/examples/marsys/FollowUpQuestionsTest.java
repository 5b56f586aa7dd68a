package dev.orchestra4j.examples.marsys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** MARSYS "Follow-up Questions": after the answer, the session waits for a follow-up and continues in context. */
final class FollowUpQuestionsTest {

    private static final Topology TOPOLOGY =
            Topology.builder().edges("Start -> Explainer", "Explainer -> End").build();

    private final List<Object> previousResults = new CopyOnWriteArrayList<>();
    private final AgentRegistry agents = AgentRegistry.create().register("Explainer", r -> {
        previousResults.add(String.valueOf(r.context().get("previous_result")));
        return AgentResponse.finish("explained: " + r.input());
    });

    private OrchestraResult run(QueueUserChannel channel, Duration followUpTimeout) {
        return Orchestra.run(
                "Explain quantum computing",
                TOPOLOGY,
                RunOptions.builder()
                        .agents(agents)
                        .allowFollowUps(true)
                        .followUpTimeout(followUpTimeout)
                        .communicationConfig(CommunicationConfig.of(channel))
                        .build());
    }

    @Test
    void followUp_continuesTheSameSessionInContext() {
        QueueUserChannel channel = new QueueUserChannel();
        CompletableFuture<List<UserQuestion>> prompts = CompletableFuture.supplyAsync(() -> {
            List<UserQuestion> asked = new CopyOnWriteArrayList<>();
            try {
                for (String typed : List.of("Can you explain superposition in more detail?", "done")) {
                    UserQuestion prompt =
                            channel.nextQuestion(Duration.ofSeconds(10)).orElseThrow();
                    asked.add(prompt);
                    channel.submit(prompt.interactionId(), typed);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return asked;
        });

        OrchestraResult result = run(channel, Duration.ofSeconds(60));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponses())
                .containsExactly(
                        "explained: Explain quantum computing",
                        "explained: Can you explain superposition in more detail?");
        assertThat(result.metadata()).containsEntry("follow_ups", 1);
        assertThat(previousResults).containsExactly("null", "explained: Explain quantum computing");
        assertThat(prompts.join()).hasSize(2).allSatisfy(q -> assertThat(q.kind())
                .isEqualTo(UserQuestion.Kind.FOLLOW_UP));
    }

    @Test
    void followUp_noneArrivesInTime_sessionEndsWithTheFirstAnswer() {
        OrchestraResult result = run(new QueueUserChannel(), Duration.ofMillis(100));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("explained: Explain quantum computing");
        assertThat(result.metadata()).containsEntry("follow_ups", 0);
    }
}
