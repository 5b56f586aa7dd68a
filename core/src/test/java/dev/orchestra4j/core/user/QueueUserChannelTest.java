package dev.orchestra4j.core.user;

import static dev.orchestra4j.core.user.Questions.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

final class QueueUserChannelTest extends UserChannelCompatibilityKit {

    private final QueueUserChannel channel = new QueueUserChannel();

    @Override
    UserChannel channel() {
        return channel;
    }

    @Override
    void answer(UserQuestion oldest, String text) {
        assertThat(channel.submit(oldest.interactionId(), text)).isTrue();
    }

    @Test
    void submit_pendingQuestion_completesOnlyThatQuestion() {
        CompletableFuture<String> first =
                channel.ask(question("q1", "Researcher", "Which topic?")).toCompletableFuture();
        CompletableFuture<String> second =
                channel.ask(question("q2", "Writer", "Which tone?")).toCompletableFuture();

        assertThat(channel.submit("q2", "formal")).isTrue();

        assertThat(second).isCompletedWithValue("formal");
        assertThat(first).isNotDone();
        assertThat(channel.pending()).extracting(UserQuestion::interactionId).containsExactly("q1");
    }

    @Test
    void submit_answeredOrUnknownQuestion_returnsFalse() {
        channel.ask(question("q1", "Researcher", "Which topic?"));
        channel.submit("q1", "cats");

        assertThat(channel.submit("q1", "dogs")).isFalse();
        assertThat(channel.submit("nope", "dogs")).isFalse();
    }

    @Test
    void pending_severalQuestionsAskedAtTheSameInstant_keepAskingOrder() {
        channel.ask(question("zeta", "A", "first"));
        channel.ask(question("alpha", "B", "second"));
        channel.ask(question("mid", "C", "third"));

        assertThat(channel.pending()).extracting(UserQuestion::interactionId).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void cancel_pendingQuestion_cancelsItsAnswerAndForgetsIt() {
        CompletableFuture<String> answer =
                channel.ask(question("q1", "Researcher", "Which topic?")).toCompletableFuture();

        channel.cancel("q1");

        assertThat(answer).isCancelled();
        assertThat(channel.pending()).isEmpty();
        assertThat(channel.submit("q1", "late")).isFalse();
    }

    @Test
    void nextQuestion_questionsAsked_handedOutInOrderSkippingCancelled() throws InterruptedException {
        channel.ask(question("q1", "A", "one"));
        channel.ask(question("q2", "B", "two"));
        channel.ask(question("q3", "C", "three"));
        channel.cancel("q2");

        assertThat(channel.nextQuestion(Duration.ofSeconds(5)))
                .map(UserQuestion::interactionId)
                .contains("q1");
        assertThat(channel.nextQuestion(Duration.ofSeconds(5)))
                .map(UserQuestion::interactionId)
                .contains("q3");
        assertThat(channel.nextQuestion(Duration.ZERO)).isEmpty();
    }

    @Test
    void nextQuestion_askedFromAnotherThread_wakesTheWaiter() throws Exception {
        CompletableFuture<String> asked = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> channel.ask(question("q1", "A", "one")).thenAccept(asked::complete));

        UserQuestion next = channel.nextQuestion(Duration.ofSeconds(10)).orElseThrow();
        channel.submit(next.interactionId(), "yes");

        assertThat(asked.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("yes");
    }

    @Test
    void ask_idAlreadyPending_failsTheSecondAskOnly() {
        CompletableFuture<String> first =
                channel.ask(question("q1", "A", "one")).toCompletableFuture();
        CompletableFuture<String> duplicate =
                channel.ask(question("q1", "B", "two")).toCompletableFuture();

        assertThatThrownBy(duplicate::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'q1' is already pending");
        assertThat(channel.submit("q1", "yes")).isTrue();
        assertThat(first).isCompletedWithValue("yes");
    }
}
