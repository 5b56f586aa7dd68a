package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.core.user.TerminalUserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

final class FollowUpSessionTest {

    private final ScriptedChatModel model = FollowUpSession.offlineModel();
    private PromptedTerminal terminal = new PromptedTerminal(List.of());

    private OrchestraResult converse(List<String> typed, Duration followUpTimeout) {
        terminal = new PromptedTerminal(typed);
        try (TerminalUserChannel channel = new TerminalUserChannel(terminal.in(), terminal.out())) {
            return FollowUpSession.run(
                    FollowUpSession.DEFAULT_QUESTION,
                    model,
                    channel,
                    RunOptions.builder().followUpTimeout(followUpTimeout));
        }
    }

    @Test
    void run_oneFollowUpThenDone_continuesTheSameSessionAndTheAgentRemembers() {
        OrchestraResult result = converse(List.of("What is a barrier?", "done"), Duration.ofMinutes(1));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.metadata()).containsEntry("follow_ups", 1);
        assertThat(result.finalResponses())
                .containsExactly(
                        "A branch is one thread of work positioned at one node; forks create more of them."
                                + " (question 1 of this session)",
                        "A barrier collects the arrivals of a fork or a rendezvous and fires once."
                                + " (question 2 of this session)");
        assertThat(model.requests("Assistant").getLast().messages())
                .filteredOn(UserMessage.class::isInstance)
                .extracting(message -> ((UserMessage) message).singleText())
                .anySatisfy(text -> assertThat(text).contains("What is a branch?"));
        assertThat(terminal.screen()).contains("? [Start] Any follow-up?");
    }

    @Test
    void run_inputEndsBeforeAnyFollowUp_sessionEndsAfterTheTimeoutWithTheFirstAnswer() {
        OrchestraResult result = converse(List.of(), Duration.ofMillis(200));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.metadata()).containsEntry("follow_ups", 0);
        assertThat(result.finalResponseAsText()).startsWith("A branch is one thread of work");
        assertThat(result.agentInvocationCount("Assistant")).isEqualTo(1);
    }

    @Test
    void doneEndsSession_doneForAFollowUpBecomesBlankButStaysTextForOtherQuestions() {
        QueueUserChannel queue = new QueueUserChannel();
        FollowUpSession.DoneEndsSession channel = new FollowUpSession.DoneEndsSession(queue);

        var followUp = channel.ask(question("f1", UserQuestion.Kind.FOLLOW_UP)).toCompletableFuture();
        var plain = channel.ask(question("q1", UserQuestion.Kind.QUESTION)).toCompletableFuture();
        queue.submit("f1", " Done ");
        queue.submit("q1", "done");

        assertThat(followUp).isCompletedWithValue("");
        assertThat(plain).isCompletedWithValue("done");
    }

    private static UserQuestion question(String id, UserQuestion.Kind kind) {
        return new UserQuestion(id, "s", "b1", "Assistant", "?", kind, List.of(), Instant.EPOCH);
    }
}
