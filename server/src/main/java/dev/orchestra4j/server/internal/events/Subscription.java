package dev.orchestra4j.server.internal.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One client's view of a stream: the events it missed ({@link #replay()}) and a bounded queue of live ones. When the
 * queue is full the client is too slow: it is cut off with a reason instead of slowing the publisher.
 */
public final class Subscription {

    static final ServerEvent END = new ServerEvent(-1, "end", "{}");

    private final String stream;
    private final List<ServerEvent> replay;
    private final BlockingQueue<ServerEvent> queue;
    private volatile @Nullable String endReason;

    Subscription(String stream, List<ServerEvent> replay, int capacity) {
        this.stream = stream;
        this.replay = List.copyOf(replay);
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    public String stream() {
        return stream;
    }

    public List<ServerEvent> replay() {
        return replay;
    }

    /** The next live event, {@code null} after {@code wait} without one, or an event whose id is -1 at the end. */
    public @Nullable ServerEvent next(Duration wait) throws InterruptedException {
        return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes whatever is queued without waiting (for batched writes). */
    public @Nullable ServerEvent poll() {
        return queue.poll();
    }

    /** Why the stream ended (a slow client, a shutdown), or null. */
    public @Nullable String endReason() {
        return endReason;
    }

    /** False when the client's buffer is full (the caller then ends the subscription). */
    boolean offer(ServerEvent event) {
        return queue.remainingCapacity() > 1 && queue.offer(event);
    }

    void end(String reason) {
        endReason = reason;
        queue.clear();
        queue.offer(END);
    }

    static boolean isEnd(ServerEvent event) {
        return event.id() < 0;
    }
}
