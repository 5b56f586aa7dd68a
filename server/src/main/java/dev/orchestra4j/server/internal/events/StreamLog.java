package dev.orchestra4j.server.internal.events;

import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StorageBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream: its events are appended to a journal in the storage backend (the event id is the journal sequence, so
 * ids go on where they stopped after a restart, and {@code Last-Event-ID} replays from storage), and kept in a ring in
 * memory that every subscriber of the stream reads. Only the last {@code retained} events are kept in storage.
 */
final class StreamLog {

    private final EventHub hub;
    private final String name;
    private final String key;
    private final StorageBackend backend;
    private final ReentrantLock lock = new ReentrantLock();
    private final ServerEvent[] ring;
    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Subscription> waiting = new ConcurrentLinkedQueue<>();
    /** The last event id, published only after its event is stored and in the ring. */
    private volatile long head;
    /** The first id the ring can hold (events before it, from an earlier process, are only in storage). */
    private long ringFloor;

    private long truncatedThrough;
    private long sinceSweep;

    StreamLog(EventHub hub, String name, String key, StorageBackend backend) {
        this.hub = hub;
        this.name = name;
        this.key = key;
        this.backend = backend;
        this.ring = new ServerEvent[Math.max(hub.retained(), hub.clientBuffer() + 1)];
        this.head = backend.lastJournalSequence(key);
        this.ringFloor = head + 1;
        this.truncatedThrough = Math.max(0, head - hub.retained());
    }

    String name() {
        return name;
    }

    long head() {
        return head;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    ServerEvent append(String type, String data) {
        ServerEvent event;
        lock.lock();
        try {
            event = new ServerEvent(head + 1, type, data);
            try {
                backend.appendJournal(key, head, List.of(event.stored()));
            } catch (ConcurrentSessionModificationException e) {
                // another process (or an evicted copy of this log) appended meanwhile: take its events, then retry
                catchUp();
                event = new ServerEvent(head + 1, type, data);
                backend.appendJournal(key, head, List.of(event.stored()));
            }
            put(event);
            if (head - truncatedThrough > hub.retained() + 64) {
                truncatedThrough = head - hub.retained();
                backend.truncateJournal(key, truncatedThrough);
            }
            if (++sinceSweep > hub.clientBuffer() / 2) {
                sinceSweep = 0;
                sweep();
            }
        } finally {
            lock.unlock();
        }
        wakeWaiting();
        return event;
    }

    private void put(ServerEvent event) {
        ring[(int) (event.id() % ring.length)] = event;
        head = event.id();
    }

    private void catchUp() {
        long stored = backend.lastJournalSequence(key);
        if (stored < head) {
            // the stored log was deleted (its workflow was deleted) and is being written again: start over
            java.util.Arrays.fill(ring, null);
            head = stored;
            ringFloor = stored + 1;
            truncatedThrough = Math.max(0, stored - hub.retained());
            endAll("the stream '" + name + "' was deleted");
        }
        long from = Math.max(head, stored - ring.length);
        if (from > head) {
            ringFloor = from + 1; // more came meanwhile than the ring holds: the older ones are only in storage
        }
        for (JournalEntry entry : backend.readJournal(key, from)) {
            if (entry.sequence() > head) {
                put(ServerEvent.fromStored(name, entry.sequence(), entry.data()));
            }
        }
    }

    /**
     * Takes the events another process appended to this stream since this log last looked (several servers on one
     * store: the session runs on one, a client listens on another) and wakes the subscribers. Returns how many came.
     */
    int tail() {
        long stored = backend.lastJournalSequence(key);
        if (stored <= head) {
            return 0; // nothing new (a deleted stream is noticed by the next append, which starts it over)
        }
        long before;
        lock.lock();
        try {
            before = head;
            catchUp();
        } finally {
            lock.unlock();
        }
        wakeWaiting();
        return (int) Math.max(0, head - before);
    }

    /** Cuts off the subscribers that fell more than the client buffer behind, even if their writers are stuck. */
    private void sweep() {
        for (Subscription s : subscribers) {
            if (head - s.cursor() > hub.clientBuffer()) {
                cutOff(s);
            }
        }
    }

    private void cutOff(Subscription s) {
        if (s.end("client too slow: more than " + hub.clientBuffer() + " events buffered on stream '" + name
                + "'; reconnect with Last-Event-ID " + s.cursor())) {
            hub.countCutOff();
        }
    }

    private void wakeWaiting() {
        Subscription s;
        while ((s = waiting.poll()) != null) {
            s.queued.set(false);
            s.wake();
        }
    }

    void waitFor(Subscription s) {
        waiting.add(s);
    }

    /** A new subscriber: what it missed after {@code lastEventId} (from memory or storage), then the live events. */
    Subscription subscribe(long lastEventId) {
        lock.lock();
        try {
            long h = head;
            List<ServerEvent> missed = new ArrayList<>();
            if (lastEventId < h) {
                long from = Math.max(lastEventId, h - hub.retained());
                if (from + 1 >= ringFloor && from + 1 > h - ring.length) {
                    for (long id = from + 1; id <= h; id++) {
                        missed.add(ring[(int) (id % ring.length)]);
                    }
                } else {
                    for (JournalEntry entry : backend.readJournal(key, from)) {
                        if (entry.sequence() <= h) {
                            missed.add(ServerEvent.fromStored(name, entry.sequence(), entry.data()));
                        }
                    }
                }
            }
            Subscription s = new Subscription(this, missed, h);
            subscribers.add(s);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** Adds the events after {@code cursor} to {@code into}; returns the new cursor. Cuts off a client too far behind. */
    long readAfter(Subscription s, long cursor, List<ServerEvent> into) {
        long h = head;
        if (h - cursor > hub.clientBuffer()) {
            cutOff(s);
            return cursor;
        }
        for (long id = cursor + 1; id <= h; id++) {
            ServerEvent e = ring[(int) (id % ring.length)];
            if (e == null || e.id() != id) {
                cutOff(s); // overwritten while we read: the client is too far behind
                return id - 1;
            }
            into.add(e);
        }
        return h;
    }

    void unsubscribe(Subscription s) {
        subscribers.remove(s);
        waiting.remove(s);
    }

    /** Ends every subscription of this stream. */
    void endAll(String reason) {
        for (Subscription s : subscribers) {
            s.end(reason);
        }
    }
}
