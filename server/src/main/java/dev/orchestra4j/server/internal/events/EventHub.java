package dev.orchestra4j.server.internal.events;

import dev.orchestra4j.state.StorageBackend;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named, replayable event streams ({@code session:<id>}, {@code workflow:<id>}, {@code run:<id>}, {@code server}).
 * Every event is appended to its stream's journal in the server's storage backend before any client sees it, so event
 * ids never repeat and {@code Last-Event-ID} replays across a restart; each stream keeps its last {@code retained}
 * events. Publishing never blocks on clients: an event is encoded once into a ring shared by the stream's clients, and
 * a client more than {@code clientBuffer} events behind is disconnected with a reason.
 */
public final class EventHub {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    public static final String SERVER = "server";
    private static final String KEY_PREFIX = "server/events/";

    private final StorageBackend backend;
    private final int retained;
    private final int clientBuffer;
    private final int maxStreams;
    private final ConcurrentHashMap<String, StreamLog> streams = new ConcurrentHashMap<>();
    private final Set<Subscription> everyone = ConcurrentHashMap.newKeySet();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong cutOff = new AtomicLong();
    private final AtomicLong tailFailures = new AtomicLong();
    private final AtomicReference<@Nullable Thread> tailer = new AtomicReference<>();

    /**
     * @param backend where each stream's events are journaled
     * @param retained events kept per stream for replay
     * @param clientBuffer how far a client may fall behind before it is cut off
     * @param maxStreams streams kept in memory (the others are reloaded from storage when used again)
     */
    public EventHub(StorageBackend backend, int retained, int clientBuffer, int maxStreams) {
        if (retained < 1 || clientBuffer < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("retained, clientBuffer and maxStreams must be positive, were "
                    + retained + ", " + clientBuffer + ", " + maxStreams);
        }
        this.backend = backend;
        this.retained = retained;
        this.clientBuffer = clientBuffer;
        this.maxStreams = maxStreams;
    }

    /** Stores an event in a stream and wakes the stream's clients. */
    public ServerEvent publish(String stream, String type, String data) {
        ServerEvent event = log(stream).append(type, data);
        published.incrementAndGet();
        return event;
    }

    /** Subscribes to a stream, replaying what came after {@code lastEventId} (0: everything retained). */
    public Subscription subscribe(String stream, long lastEventId) {
        while (true) {
            StreamLog log = log(stream);
            Subscription s = log.subscribe(lastEventId);
            if (streams.get(stream) == log) {
                everyone.add(s);
                return s;
            }
            log.unsubscribe(s); // evicted or forgotten meanwhile: subscribe to the stream's current log
        }
    }

    public void unsubscribe(Subscription subscription) {
        everyone.remove(subscription);
        subscription.log().unsubscribe(subscription);
    }

    /** Deletes a stream's stored events and ends its subscriptions (its workflow was deleted). */
    public void forget(String stream) {
        StreamLog log = streams.remove(stream);
        backend.delete(key(stream));
        if (log != null) {
            log.endAll("the stream '" + stream + "' was deleted");
        }
    }

    /**
     * Looks every {@code every} for events other processes appended to the streams somebody here listens to, so a
     * client connected to this server follows live a session another server runs (one look per listened stream per
     * pass). Only worth it on a store that several servers share; stopped by {@link #closeAll}.
     */
    public void tailEvery(Duration every) {
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("the tail interval must be positive, was " + every);
        }
        Thread tail = Thread.ofVirtual().name("orchestra4j-event-tail").unstarted(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                tailOnce();
                LockSupport.parkNanos(every.toNanos()); // a timer, not a wait for anything in particular
            }
        });
        Thread before = tailer.getAndSet(tail);
        if (before != null) {
            before.interrupt();
        }
        tail.start();
    }

    /** One look at every listened stream; returns how many events other processes had appended. */
    int tailOnce() {
        int taken = 0;
        for (StreamLog log : streams.values()) {
            if (log.subscriberCount() > 0) {
                try {
                    taken += log.tail();
                } catch (RuntimeException e) {
                    if (tailFailures.getAndIncrement() % 100 == 0) { // storage down: say so, not every pass
                        LOG.warn("could not read stream '{}' for events of other servers; retrying", log.name(), e);
                    }
                }
            }
        }
        return taken;
    }

    /** Ends every open subscription (a shutdown). */
    public void closeAll(String reason) {
        Thread tail = tailer.getAndSet(null);
        if (tail != null) {
            tail.interrupt();
        }
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

    int retained() {
        return retained;
    }

    int clientBuffer() {
        return clientBuffer;
    }

    void countCutOff() {
        cutOff.incrementAndGet();
    }

    private StreamLog log(String stream) {
        StreamLog log = streams.get(stream);
        if (log != null) {
            return log;
        }
        StreamLog fresh = new StreamLog(this, stream, key(stream), backend);
        log = streams.putIfAbsent(stream, fresh);
        if (log != null) {
            return log;
        }
        if (streams.size() > maxStreams) {
            evictIdle();
        }
        return fresh;
    }

    /** Drops streams nobody listens to from memory (their events stay in storage) until a quarter is free. */
    private void evictIdle() {
        int target = maxStreams - maxStreams / 4;
        for (var e : streams.entrySet()) {
            if (streams.size() <= target) {
                return;
            }
            if (e.getValue().subscriberCount() == 0 && !e.getKey().equals(SERVER)) {
                streams.remove(e.getKey(), e.getValue());
            }
        }
    }

    private static String key(String stream) {
        return KEY_PREFIX + stream;
    }
}
