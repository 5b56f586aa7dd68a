package dev.orchestra4j.core.user;

import static dev.orchestra4j.core.user.Questions.question;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UserChannel} promises (SPEC §4.7): asking never blocks, several questions wait at once, each
 * answer completes its own question, and a cancelled question is no longer answered. One subclass per channel.
 */
abstract class UserChannelCompatibilityKit {

    static final Duration WAIT = Duration.ofSeconds(10);

    abstract UserChannel channel();

    /** Answers {@code oldest}, the oldest question still pending, the way a user of this channel would. */
    abstract void answer(UserQuestion oldest, String text) throws Exception;

    @Test
    void ask_returnsBeforeAnyAnswer() {
        CompletableFuture<String> answer =
                channel().ask(question("k1", "Researcher", "Which topic?")).toCompletableFuture();

        assertThat(answer).isNotDone();
    }

    @Test
    void answer_oldestOfTwo_completesOnlyThatQuestion() throws Exception {
        UserQuestion first = question("k1", "Researcher", "Which topic?");
        UserQuestion second = question("k2", "Writer", "Which tone?");
        CompletableFuture<String> firstAnswer = channel().ask(first).toCompletableFuture();
        CompletableFuture<String> secondAnswer = channel().ask(second).toCompletableFuture();

        answer(first, "cats");

        assertThat(firstAnswer).succeedsWithin(WAIT).isEqualTo("cats");
        assertThat(secondAnswer).isNotDone();
        answer(second, "formal");
        assertThat(secondAnswer).succeedsWithin(WAIT).isEqualTo("formal");
    }

    @Test
    void cancel_pendingQuestion_cancelsItAndTheNextAnswerGoesElsewhere() throws Exception {
        UserQuestion withdrawn = question("k1", "Researcher", "Which topic?");
        UserQuestion kept = question("k2", "Writer", "Which tone?");
        CompletableFuture<String> withdrawnAnswer = channel().ask(withdrawn).toCompletableFuture();
        CompletableFuture<String> keptAnswer = channel().ask(kept).toCompletableFuture();

        channel().cancel("k1");
        answer(kept, "formal");

        assertThat(withdrawnAnswer).isCancelled();
        assertThat(keptAnswer).succeedsWithin(WAIT).isEqualTo("formal");
    }

    @Test
    void cancel_unknownQuestion_isHarmless() throws Exception {
        UserQuestion asked = question("k1", "Researcher", "Which topic?");
        CompletableFuture<String> answer = channel().ask(asked).toCompletableFuture();

        channel().cancel("never-asked");
        answer(asked, "cats");

        assertThat(answer).succeedsWithin(WAIT).isEqualTo("cats");
    }
}
