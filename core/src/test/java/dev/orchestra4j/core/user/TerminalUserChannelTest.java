package dev.orchestra4j.core.user;

import static dev.orchestra4j.core.user.Questions.choice;
import static dev.orchestra4j.core.user.Questions.errorDecision;
import static dev.orchestra4j.core.user.Questions.question;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class TerminalUserChannelTest extends UserChannelCompatibilityKit {

    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final TerminalOutput screen = new TerminalOutput();
    private final TerminalUserChannel channel;

    TerminalUserChannelTest() throws IOException {
        channel = new TerminalUserChannel(new PipedInputStream(keyboard, 4096), screen.printStream());
    }

    @Override
    UserChannel channel() {
        return channel;
    }

    @Override
    void answer(UserQuestion oldest, String text) throws IOException {
        type(text);
    }

    @AfterEach
    void closeChannel() throws IOException {
        channel.close();
        keyboard.close();
    }

    @Test
    void ask_twoPending_answersOldestFirstAndSaysWhichIsNext() throws Exception {
        CompletableFuture<String> first = ask(question("q1", "Researcher", "Which topic?"));
        CompletableFuture<String> second = ask(question("q2", "Writer", "Which tone?"));

        assertThat(screen.text())
                .contains("? [Researcher] Which topic?")
                .contains("? [Writer] Which tone?")
                .contains("(2 questions waiting; your next answer goes to [Researcher]: Which topic?)");
        assertThat(first).isNotDone();

        type("cats");
        assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("cats");
        assertThat(second).isNotDone();
        assertThat(screen.text()).contains("(your next answer goes to [Writer]: Which tone?)");

        type("formal");
        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("formal");
    }

    @Test
    void ask_errorDecision_offersRetrySkipAbortAndRefusesOtherAnswers() throws Exception {
        CompletableFuture<String> decision = ask(errorDecision("e1", "Writer", "The model timed out."));

        assertThat(screen.text()).contains("! [Writer] The model timed out. [retry/skip/abort]");
        type("maybe");
        screen.awaitContains("(please answer [Writer] with one of: retry, skip, abort)", WAIT);
        assertThat(decision).isNotDone();

        type("R");
        assertThat(decision.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("retry");
    }

    @Test
    void ask_withOptions_acceptsNumberAndUniquePrefix() throws Exception {
        CompletableFuture<String> byNumber = ask(choice("c1", "Planner", "Which plan?", List.of("fast", "thorough")));
        CompletableFuture<String> byPrefix = ask(choice("c2", "Planner", "Which plan?", List.of("fast", "thorough")));

        type("2");
        type("fa");

        assertThat(byNumber.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("thorough");
        assertThat(byPrefix.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("fast");
    }

    @Test
    void ask_blankLines_areIgnored() throws Exception {
        CompletableFuture<String> answer = ask(question("q1", "Researcher", "Which topic?"));

        type("");
        type("   ");
        type("  dogs  ");

        assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("dogs");
    }

    @Test
    void cancel_oldestPending_nextLineAnswersTheFollowingQuestion() throws Exception {
        CompletableFuture<String> first = ask(question("q1", "Researcher", "Which topic?"));
        CompletableFuture<String> second = ask(question("q2", "Writer", "Which tone?"));

        channel.cancel("q1");
        type("formal");

        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("formal");
        assertThat(first).isCancelled();
        assertThat(screen.text()).contains("(no longer waiting for [Researcher]: Which topic?)");
    }

    @Test
    void readLine_noQuestionPending_isIgnoredWithANote() throws Exception {
        CompletableFuture<String> answer = ask(question("q1", "Researcher", "Which topic?"));
        type("cats");
        answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        type("extra");

        screen.awaitContains("(no question is waiting; ignored: extra)", WAIT);
    }

    @Test
    void endOfInput_pendingQuestionStaysUnansweredAndReaderStops() throws Exception {
        CompletableFuture<String> answer = ask(question("q1", "Researcher", "Which topic?"));

        keyboard.close();
        screen.awaitContains("(input has ended; 1 question(s) left unanswered)", WAIT);
        CompletableFuture<String> later = ask(question("q2", "Writer", "Which tone?"));

        assertThat(answer).isNotDone();
        assertThat(later).isNotDone();
        assertThat(screen.text()).contains("(input has ended; this question cannot be answered here)");
    }

    @Test
    void close_cancelsPendingAndRefusesNewQuestions() {
        CompletableFuture<String> answer = ask(question("q1", "Researcher", "Which topic?"));

        channel.close();
        CompletableFuture<String> afterClose = ask(question("q2", "Writer", "Which tone?"));

        assertThat(answer).isCancelled();
        assertThat(afterClose)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(IllegalStateException.class)
                .withMessage("the terminal channel is closed");
    }

    private CompletableFuture<String> ask(UserQuestion question) {
        return channel.ask(question).toCompletableFuture();
    }

    private void type(String line) throws IOException {
        keyboard.write((line + "\n").getBytes(Charset.defaultCharset()));
        keyboard.flush();
    }
}
