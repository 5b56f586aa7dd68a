package dev.orchestra4j.core.internal.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A session's pending deadlines (branch, barrier, run, retry, question, follow-up), earliest first, at most one per
 * kind and id: setting one again replaces it, and one that no longer matters is removed, so the queue holds only what
 * is live (D23). When one comes due the coordinator still checks whether it matters.
 */
final class Deadlines {

    enum Kind {
        RUN,
        BRANCH,
        BARRIER,
        RETRY,
        QUESTION,
        FOLLOW_UP
    }

    record Deadline(long atMillis, Kind kind, String id) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline other) {
            int at = Long.compare(atMillis, other.atMillis);
            if (at != 0) {
                return at;
            }
            int kinds = kind.compareTo(other.kind);
            return kinds != 0 ? kinds : id.compareTo(other.id);
        }
    }

    private record Key(Kind kind, String id) {}

    private final TreeSet<Deadline> queue = new TreeSet<>();
    private final Map<Key, Deadline> byKey = new HashMap<>();

    /** Sets {@code id}'s deadline of {@code kind}, replacing an earlier one; {@code Long.MAX_VALUE} means none. */
    void add(long atMillis, Kind kind, String id) {
        remove(kind, id);
        if (atMillis != Long.MAX_VALUE) {
            Deadline d = new Deadline(atMillis, kind, id);
            queue.add(d);
            byKey.put(new Key(kind, id), d);
        }
    }

    /** Drops {@code id}'s deadline of {@code kind}, if any. */
    void remove(Kind kind, String id) {
        Deadline old = byKey.remove(new Key(kind, id));
        if (old != null) {
            queue.remove(old);
        }
    }

    int size() {
        return queue.size();
    }

    /** The earliest deadline's instant, or {@code Long.MAX_VALUE}. */
    long next() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.first().atMillis();
    }

    /** Removes and returns the earliest deadline if it is due at {@code nowMillis}, else null. */
    @org.jspecify.annotations.Nullable
    Deadline pollDue(long nowMillis) {
        if (queue.isEmpty() || queue.first().atMillis() > nowMillis) {
            return null;
        }
        Deadline head = queue.pollFirst();
        byKey.remove(new Key(head.kind(), head.id()));
        return head;
    }

    private static final java.time.Duration NEVER = java.time.Duration.ofMillis(Long.MAX_VALUE);

    /**
     * {@code millis + d}, saturated: a timeout of {@code ChronoUnit.FOREVER} (or any duration too long for a long of
     * milliseconds) means "never", not an arithmetic overflow.
     */
    static long plus(long millis, java.time.Duration d) {
        if (d.compareTo(NEVER) >= 0) {
            return Long.MAX_VALUE;
        }
        long add = d.toMillis();
        return millis > Long.MAX_VALUE - add ? Long.MAX_VALUE : millis + add;
    }
}
