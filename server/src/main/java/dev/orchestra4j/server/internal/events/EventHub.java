package dev.orchestra4j.server.internal.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Named, replayable event streams ({@code session:<id>}, {@code workflow:<id>}, {@code server}). Publishing never
 * blocks: each client has a bounded buffer and a client whose buffer is full is disconnected with a reason. Each
 * stream keeps its last {@code retained} events for {@code Last-Event-ID} replay.
 */
public final class EventHub {

    public static final String SERVER = "server";

    private final int retained;
    private final int clientBuffer;
    private final Cache<String, StreamLog> streams;
    private final List<Subscription> everyone = new CopyOnWriteArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong cutOff = new AtomicLong();

    public EventHub(int retained, int clientBuffer, int maxStreams) {
        this.retained = retained;
        this.clientBuffer = clientBuffer;
        this.streams = Caffeine.newBuilder().maximumSize(maxStreams).build();
    }

    /** Appends an event to a stream and hands it to the stream's clients. */
    public ServerEvent publish(String stream, String type, String data) {
        published.incrementAndGet();
        return log(stream).append(type, data);
    }

    /** Subscribes to a stream, replaying what came after {@code lastEventId} (0: everything retained). */
    public Subscription subscribe(String stream, long lastEventId) {
        Subscription s = log(stream).subscribe(lastEventId);
        everyone.add(s);
        return s;
    }

    public void unsubscribe(Subscription subscription) {
        everyone.remove(subscription);
        StreamLog log = streams.getIfPresent(subscription.stream());
        if (log != null) {
            log.subscribers.remove(subscription);
        }
    }

    /** Ends every open subscription (a shutdown). */
    public void closeAll(String reason) {
        for (Subscription s : everyone) {
            s.end(reason);
        }
    }

    public int subscribers() {
        return everyone.size();
    }

    public long publishedCount() {
        return published.get();
    }

    /** How many clients were disconnected because they fell behind. */
    public long cutOffCount() {
        return cutOff.get();
    }

    private StreamLog log(String stream) {
        return streams.get(stream, StreamLog::new);
    }

    private final class StreamLog {
        private final String name;
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<ServerEvent> recent = new ArrayDeque<>();
        private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
        private long lastId;

        StreamLog(String name) {
            this.name = name;
        }

        ServerEvent append(String type, String data) {
            lock.lock();
            try {
                ServerEvent event = new ServerEvent(++lastId, type, data);
                recent.addLast(event);
                if (recent.size() > retained) {
                    recent.removeFirst();
                }
                for (Subscription s : subscribers) {
                    if (!s.offer(event)) {
                        subscribers.remove(s);
                        cutOff.incrementAndGet();
                        s.end("client too slow: more than " + clientBuffer + " events buffered on stream '" + name
                                + "'; reconnect with Last-Event-ID " + lastDelivered(event));
                    }
                }
                return event;
            } finally {
                lock.unlock();
            }
        }

        private long lastDelivered(ServerEvent event) {
            return Math.max(0, event.id() - clientBuffer - 1);
        }

        Subscription subscribe(long lastEventId) {
            lock.lock();
            try {
                List<ServerEvent> missed = new ArrayList<>();
                for (ServerEvent e : recent) {
                    if (e.id() > lastEventId) {
                        missed.add(e);
                    }
                }
                Subscription s = new Subscription(name, missed, clientBuffer);
                subscribers.add(s);
                return s;
            } finally {
                lock.unlock();
            }
        }
    }
}
