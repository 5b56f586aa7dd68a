package dev.orchestra4j.core.internal.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.replay.Divergence;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The user of a replay: answers each question with the answer the recorded session received for it, and never asks
 * anyone. A question is matched to its recorded answer by where it was asked — the branch, and how many questions that
 * branch asked before it (branches are numbered alike in a replay; interaction ids are not, when parallel branches
 * ask) — and a follow-up prompt by its number. Answers are given in the order the recorded session received them: an
 * answer waits until the replay has asked, and been given, every answer received before it, so that parallel branches
 * go on in the recorded order. A question the recording has no answer for, or whose recorded question reads
 * differently, is a {@link Divergence}: the replay is stopped there, as at any other. A follow-up prompt the recorded
 * session never answered, when it ended COMPLETED, was let time out: the replay ends the conversation likewise.
 * Internal: not part of the API.
 */
public final class RecordedAnswers implements UserChannel {

    /** How secret masking writes a secret's text into the recording (see {@code SecretMask}). */
    private static final java.util.regex.Pattern SECRET_MASK = java.util.regex.Pattern.compile("\\[secret:[^\\]]+]");

    /** A recorded answer, where it was asked, and its place in the order answers were received. */
    private record Recorded(JsonNode json, int order) {}

    private final Map<String, Recorded> byPlace = new HashMap<>();
    private final StepTaping taping;
    private final boolean endedCompleted;

    /** Guarded by this: questions asked so far per branch, and the answers held until those before them are given. */
    private final Map<String, Integer> askedOn = new HashMap<>();

    private final Map<Integer, Held> held = new HashMap<>();
    private int next;

    /** An answer the replay has asked for, and the stage that gives it to the session. */
    private record Held(CompletableFuture<String> stage, String answer) {
        void give() {
            stage.complete(answer);
        }
    }

    private RecordedAnswers(List<JsonNode> answers, StepTaping taping, boolean endedCompleted) {
        this.taping = taping;
        this.endedCompleted = endedCompleted;
        Map<String, Integer> perPlace = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            JsonNode a = answers.get(i);
            String where =
                    isFollowUp(a.path("kind").asText()) ? "" : a.path("branch").asText();
            int n = perPlace.merge(where, 1, Integer::sum);
            byPlace.put(where + "#" + n, new Recorded(a, i));
        }
    }

    /** The answers recorded for {@code sessionId}, reporting divergences through {@code taping} (a replay's). */
    public static RecordedAnswers of(StateManager manager, String sessionId, StepTaping taping) {
        boolean completed = manager.loadSession(sessionId)
                .map(SessionSnapshot::status)
                .map(RunStatus.COMPLETED.name()::equals)
                .orElse(false);
        return new RecordedAnswers(StepRecords.answers(manager, sessionId), taping, completed);
    }

    private static boolean isFollowUp(String kind) {
        return UserQuestion.Kind.FOLLOW_UP.name().equals(kind);
    }

    @Override
    public CompletionStage<String> ask(UserQuestion question) {
        boolean followUp = question.kind() == UserQuestion.Kind.FOLLOW_UP;
        List<Held> due = new ArrayList<>(1);
        CompletableFuture<String> answer = new CompletableFuture<>();
        synchronized (this) {
            String where = followUp ? "" : question.branchId();
            Recorded recorded = byPlace.get(where + "#" + askedOn.merge(where, 1, Integer::sum));
            if (recorded == null) {
                if (followUp && endedCompleted) {
                    return CompletableFuture.completedFuture(""); // it was let time out: the conversation ends
                }
                return diverged(
                        question,
                        "(no answer to " + describe(question) + " in the recording)",
                        "the recording has no answer to " + describe(question) + ": the recorded session was still"
                                + " waiting for it, never asked it, or it timed out there");
            }
            JsonNode r = recorded.json();
            if (!r.path("kind").asText().equals(question.kind().name()) || (!followUp && !sameQuestion(r, question))) {
                String was =
                        r.path("agent").asText("?") + " on " + r.path("branch").asText("?") + " asked "
                                + r.path("kind").asText() + " "
                                + Differences.shorten(r.path("question").asText());
                return diverged(
                        question,
                        was,
                        describe(question) + " differs from the recording, where " + was + " (no answer fed)");
            }
            String text = r.path("answer").asText();
            java.util.regex.Matcher mask = SECRET_MASK.matcher(text);
            if (mask.find()) { // what the user typed is not in the recording: feeding the mask would decide otherwise
                return diverged(
                        question,
                        "(the recorded answer, masked: " + Differences.shorten(text) + ")",
                        "the recorded answer to " + describe(question) + " holds a secret, masked as " + mask.group()
                                + " in the recording: a replay cannot feed what the user typed");
            }
            held.put(recorded.order(), new Held(answer, text));
            while (held.containsKey(next)) { // every answer received before it has been given: give it
                due.add(held.remove(next++));
            }
        }
        if (due.isEmpty()) {
            return answer; // held until the answers received before it have been given
        }
        due.getFirst().give(); // this question's: it was next
        if (due.size() == 1) {
            return answer;
        }
        // It frees answers received after it, whose questions are already waiting: they must reach the session after
        // this one, so they are given once the session has attached to this answer (which then reaches it at once).
        return new ThenGive(due.getFirst().answer(), due.subList(1, due.size()));
    }

    /**
     * An answer that frees later ones: they are given, in order, right after the session attaches to it with {@code
     * whenComplete} (how the engine takes a channel's answer), so that they reach the session after it.
     */
    private static final class ThenGive extends CompletableFuture<String> {
        private final List<Held> later;
        private boolean given;

        ThenGive(String answer, List<Held> later) {
            this.later = List.copyOf(later);
            complete(answer);
        }

        @Override
        public CompletableFuture<String> whenComplete(
                java.util.function.BiConsumer<? super String, ? super Throwable> action) {
            CompletableFuture<String> attached = super.whenComplete(action); // completed: the action has run
            synchronized (this) {
                if (given) {
                    return attached;
                }
                given = true;
            }
            later.forEach(Held::give);
            return attached;
        }
    }

    private static boolean sameQuestion(JsonNode recorded, UserQuestion question) {
        return recorded.path("agent").asText().equals(question.agent())
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
