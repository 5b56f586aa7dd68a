package dev.orchestra4j.core.internal.engine;

import java.util.PriorityQueue;

/**
 * A session's pending deadlines (branch, barrier, run, retry, question), earliest first. Entries are never removed
 * early: when one comes due the coordinator checks whether it still matters.
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
            return Long.compare(atMillis, other.atMillis);
        }
    }

    private final PriorityQueue<Deadline> queue = new PriorityQueue<>();

    void add(long atMillis, Kind kind, String id) {
        if (atMillis != Long.MAX_VALUE) {
            queue.add(new Deadline(atMillis, kind, id));
        }
    }

    /** The earliest deadline's instant, or {@code Long.MAX_VALUE}. */
    long next() {
        Deadline head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.atMillis();
    }

    /** Removes and returns the earliest deadline if it is due at {@code nowMillis}, else null. */
    @org.jspecify.annotations.Nullable
    Deadline pollDue(long nowMillis) {
        Deadline head = queue.peek();
        return head != null && head.atMillis() <= nowMillis ? queue.poll() : null;
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
