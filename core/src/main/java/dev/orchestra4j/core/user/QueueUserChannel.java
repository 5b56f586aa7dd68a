package dev.orchestra4j.core.user;

import static java.util.Objects.requireNonNull;

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
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A programmatic channel: questions queue up, and a test or a server answers them with {@link #submit}. Thread-safe;
 * {@link #ask} never blocks. Asking again with the id of a question that is still pending fails that second ask.
 */
public final class QueueUserChannel implements UserChannel {

    private final LinkedBlockingQueue<Pending> asked = new LinkedBlockingQueue<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    private record Pending(long order, UserQuestion question, CompletableFuture<String> answer) {}

    @Override
    public CompletionStage<String> ask(UserQuestion question) {
        Pending entry = new Pending(sequence.incrementAndGet(), question, new CompletableFuture<>());
        if (pending.putIfAbsent(question.interactionId(), entry) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "question '" + question.interactionId() + "' is already pending; interaction ids must be unique"));
        }
        asked.add(entry);
        return entry.answer();
    }

    @Override
    public void cancel(String interactionId) {
        Pending removed = pending.remove(interactionId);
        if (removed != null) {
            asked.remove(removed);
            removed.answer().cancel(false);
        }
    }

    /**
     * Answers a pending question.
     *
     * @return false when no such question is pending (already answered, cancelled or unknown)
     */
    public boolean submit(String interactionId, String answer) {
        requireNonNull(answer, "answer");
        Pending target = pending.remove(interactionId);
        if (target == null) {
            return false;
        }
        asked.remove(target); // keeps the queue as small as what is still pending
        return target.answer().complete(answer);
    }

    /** The questions still waiting for an answer, in the order they were asked. */
    public List<UserQuestion> pending() {
        List<Pending> open = new ArrayList<>(pending.values());
        open.sort((a, b) -> Long.compare(a.order(), b.order()));
        List<UserQuestion> questions = new ArrayList<>(open.size());
        for (Pending p : open) {
            questions.add(p.question());
        }
        return questions;
    }

    /**
     * Waits at most {@code timeout} for the next question, in asking order, that is still pending; questions answered or
     * cancelled before they were taken are passed over. Each question is handed out once.
     */
    public Optional<UserQuestion> nextQuestion(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            @Nullable Pending next = asked.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                return Optional.empty();
            }
            if (pending.get(next.question().interactionId()) == next) {
                return Optional.of(next.question());
            }
        }
    }
}
