package dev.orchestra4j.core.user;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A programmatic channel: questions queue up, and a test or a server answers them with {@link #submit}. Thread-safe.
 */
public final class QueueUserChannel implements UserChannel {

    private final LinkedBlockingQueue<UserQuestion> asked = new LinkedBlockingQueue<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(UserQuestion question, CompletableFuture<String> answer) {}

    @Override
    public CompletionStage<String> ask(UserQuestion question) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(question.interactionId(), new Pending(question, answer));
        asked.add(question);
        return answer;
    }

    @Override
    public void cancel(String interactionId) {
        Pending removed = pending.remove(interactionId);
        if (removed != null) {
            removed.answer().cancel(false);
        }
    }

    /**
     * Answers a pending question.
     *
     * @return false when no such question is pending (already answered, cancelled or unknown)
     */
    public boolean submit(String interactionId, String answer) {
        Pending target = pending.remove(interactionId);
        return target != null && target.answer().complete(answer);
    }

    /** The questions still waiting for an answer, oldest first. */
    public List<UserQuestion> pending() {
        List<UserQuestion> open = new ArrayList<>();
        for (Pending p : pending.values()) {
            open.add(p.question());
        }
        open.sort(java.util.Comparator.comparing(UserQuestion::askedAt).thenComparing(UserQuestion::interactionId));
        return open;
    }

    /** Waits for the next question asked (in asking order), at most {@code timeout}. */
    public Optional<UserQuestion> nextQuestion(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(asked.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }
}
