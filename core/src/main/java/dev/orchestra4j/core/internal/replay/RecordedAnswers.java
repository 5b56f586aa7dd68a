package dev.orchestra4j.core.internal.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.replay.Divergence;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.StateManager;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The user of a replay: answers each question with the answer the recorded session received for it (matched by
 * interaction id, which a replay numbers as the original did), and never asks anyone. A question the recording has no
 * answer for, or whose recorded question reads differently, is a {@link Divergence}: the replay is stopped there, as at
 * any other. Internal: not part of the API.
 */
public final class RecordedAnswers implements UserChannel {

    private final Map<String, JsonNode> answers;
    private final StepTaping taping;

    private RecordedAnswers(Map<String, JsonNode> answers, StepTaping taping) {
        this.answers = answers;
        this.taping = taping;
    }

    /** The answers recorded for {@code sessionId}, reporting divergences through {@code taping} (a replay's). */
    public static RecordedAnswers of(StateManager manager, String sessionId, StepTaping taping) {
        return new RecordedAnswers(StepRecords.answers(manager, sessionId), taping);
    }

    @Override
    public CompletionStage<String> ask(UserQuestion question) {
        String id = question.interactionId();
        JsonNode recorded = answers.get(id);
        if (recorded == null) {
            return diverged(
                    question,
                    "(no answer to question '" + id + "' in the recording)",
                    "the recording has no answer to " + describe(question) + ": the recorded session was still"
                            + " waiting for it, or never asked it");
        }
        if (!recorded.path("kind").asText().equals(question.kind().name())
                || (question.kind() != UserQuestion.Kind.FOLLOW_UP && !sameQuestion(recorded, question))) {
            String was = recorded.path("agent").asText("?") + " on "
                    + recorded.path("branch").asText("?") + " asked "
                    + recorded.path("kind").asText() + " "
                    + Differences.shorten(recorded.path("question").asText());
            return diverged(
                    question,
                    was,
                    describe(question) + " differs from the recording, where " + was + " (no answer fed)");
        }
        return CompletableFuture.completedFuture(recorded.path("answer").asText());
    }

    private static boolean sameQuestion(JsonNode recorded, UserQuestion question) {
        return recorded.path("branch").asText().equals(question.branchId())
                && recorded.path("agent").asText().equals(question.agent())
                && recorded.path("question").asText().equals(question.question());
    }

    /** Reports the divergence (the replay is cancelled) and fails the question. */
    private CompletionStage<String> diverged(UserQuestion question, String expected, String reason) {
        Divergence d = new Divergence(
                taping.lastStep(question.branchId()),
                question.agent(),
                question.branchId(),
                -1,
                expected,
                question.question(),
                reason);
        return CompletableFuture.failedFuture(taping.diverge(d));
    }

    private static String describe(UserQuestion question) {
        return question.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " '"
                + question.interactionId() + "' of " + question.agent() + " "
                + Differences.shorten(question.question());
    }
}
