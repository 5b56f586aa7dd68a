package dev.orchestra4j.core.internal.engine;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A session's pending deadlines (branch, barrier, run, retry, question, follow-up), earliest first, at most one per
 * kind and id: setting one again replaces it, and one that no longer matters is removed, so the queue holds only what
 * is live (D23). When one comes due the coordinator still checks whether it matters.
 *
 * <p>Branch clocks started afresh ({@code now + branchTimeout}) are never earlier than the one started before them,
 * so they queue in a FIFO at O(1) and without a key (a fork of 1,000 used to sort 1,000 entries by time and id, then
 * remove each by key when its branch settled); a branch points at its live entry, and an entry its branch no longer
 * points at is stale, dropped at the head or by an occasional compaction. A clock that does not fit the FIFO order
 * (resumed with the time it had left) goes to the sorted queue like any other deadline.
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

    private record BranchClock(long atMillis, Branch branch, Deadlines owner) {}

    /** A shared empty queue: most sessions never set a deadline that is not a branch clock (the FIFO's). */
    private static final java.util.NavigableSet<Deadline> NONE = java.util.Collections.emptyNavigableSet();

    /** The sorted deadlines and their index: {@link #NONE} and an empty map until the first is added. */
    private java.util.NavigableSet<Deadline> queue = NONE;

    private Map<Key, Deadline> byKey = Map.of();
    /** How many deadlines of each kind the sorted queue holds: removing one of a kind it has none of costs nothing. */
    private static final int KINDS = Kind.values().length;

    private final int[] perKind = new int[KINDS];

    private final ArrayDeque<BranchClock> fresh = new ArrayDeque<>(4);
    private int staleFresh;
    /** What a branch whose clock is in the sorted queue points at (this queue's own marker, not another leg's). */
    private final Object sorted = new Object();

    /** Sets {@code id}'s deadline of {@code kind}, replacing an earlier one; {@code Long.MAX_VALUE} means none. */
    void add(long atMillis, Kind kind, String id) {
        remove(kind, id);
        if (atMillis != Long.MAX_VALUE) {
            Deadline d = new Deadline(atMillis, kind, id);
            if (queue == NONE) {
                queue = new TreeSet<>();
                byKey = new HashMap<>();
            }
            queue.add(d);
            byKey.put(new Key(kind, id), d);
            perKind[kind.ordinal()]++;
        }
    }

    /** Drops {@code id}'s deadline of {@code kind}, if any. */
    void remove(Kind kind, String id) {
        if (perKind[kind.ordinal()] == 0) {
            return;
        }
        Deadline old = byKey.remove(new Key(kind, id));
        if (old != null) {
            queue.remove(old);
            perKind[kind.ordinal()]--;
        }
    }

    /** Sets {@code b}'s branch clock to {@code b.deadlineMillis}, replacing the one it had. */
    void addBranch(Branch b) {
        removeBranch(b);
        long at = b.deadlineMillis;
        BranchClock last = fresh.peekLast();
        if (at == Long.MAX_VALUE) {
            return;
        }
        if (last != null && last.atMillis() > at) {
            add(at, Kind.BRANCH, b.id);
            b.clock = sorted;
            return;
        }
        BranchClock clock = new BranchClock(at, b, this);
        fresh.addLast(clock);
        b.clock = clock;
    }

    /** {@code b}'s branch clock no longer matters (it settled). */
    void removeBranch(Branch b) {
        Object clock = b.clock;
        b.clock = null;
        if (clock == sorted) {
            remove(Kind.BRANCH, b.id);
        } else if (clock instanceof BranchClock entry && entry.owner() == this) {
            staleFresh++;
            if (staleFresh > 32 && staleFresh > fresh.size() / 2) {
                fresh.removeIf(e -> e.branch().clock != e);
                staleFresh = 0;
            }
        }
    }

    private @org.jspecify.annotations.Nullable BranchClock freshHead() {
        BranchClock head;
        while ((head = fresh.peekFirst()) != null && head.branch().clock != head) {
            fresh.pollFirst();
            staleFresh = Math.max(0, staleFresh - 1);
        }
        return head;
    }

    int size() {
        return queue.size() + fresh.size() - staleFresh;
    }

    /** The earliest deadline's instant, or {@code Long.MAX_VALUE}. */
    long next() {
        BranchClock head = freshHead();
        long first = queue.isEmpty() ? Long.MAX_VALUE : queue.first().atMillis();
        return head == null ? first : Math.min(first, head.atMillis());
    }

    /** Removes and returns the earliest deadline if it is due at {@code nowMillis}, else null. */
    @org.jspecify.annotations.Nullable
    Deadline pollDue(long nowMillis) {
        BranchClock head = freshHead();
        Deadline first = queue.isEmpty() || queue.first().atMillis() > nowMillis ? null : queue.first();
        if (head != null && head.atMillis() <= nowMillis) {
            Deadline clock = new Deadline(head.atMillis(), Kind.BRANCH, head.branch().id);
            if (first == null || clock.compareTo(first) < 0) {
                fresh.pollFirst();
                head.branch().clock = null;
                return clock;
            }
        }
        if (first == null) {
            return null;
        }
        queue.pollFirst();
        byKey.remove(new Key(first.kind(), first.id()));
        perKind[first.kind().ordinal()]--;
        return first;
    }

    /** Every pending deadline in the order {@link #pollDue} would hand them out. */
    java.util.List<Deadline> inOrder() {
        java.util.List<Deadline> out = new java.util.ArrayList<>(size());
        java.util.Iterator<BranchClock> clocks = fresh.iterator();
        java.util.Iterator<Deadline> sortedOnes = queue.iterator();
        BranchClock c = nextLive(clocks);
        Deadline d = sortedOnes.hasNext() ? sortedOnes.next() : null;
        while (c != null || d != null) {
            Deadline clock = c == null ? null : new Deadline(c.atMillis(), Kind.BRANCH, c.branch().id);
            if (clock != null && (d == null || clock.compareTo(d) < 0)) {
                out.add(clock);
                c = nextLive(clocks);
            } else {
                out.add(d);
                d = sortedOnes.hasNext() ? sortedOnes.next() : null;
            }
        }
        return out;
    }

    private static @org.jspecify.annotations.Nullable BranchClock nextLive(java.util.Iterator<BranchClock> it) {
        while (it.hasNext()) {
            BranchClock c = it.next();
            if (c.branch().clock == c) {
                return c;
            }
        }
        return null;
    }

    /**
     * Replaces every deadline with {@code due} (in the order they come due): branch clocks go to the FIFO, the rest
     * to the sorted queue, so a machine restored from the same list behaves exactly like the one that wrote it.
     */
    void restore(java.util.List<Deadline> due, java.util.Map<String, Branch> branches) {
        for (BranchClock c : fresh) {
            if (c.branch().clock == c) {
                c.branch().clock = null;
            }
        }
        for (Deadline d : queue) {
            if (d.kind() == Kind.BRANCH && branches.get(d.id()) instanceof Branch b && b.clock == sorted) {
                b.clock = null;
            }
        }
        fresh.clear();
        staleFresh = 0;
        queue = NONE;
        byKey = Map.of();
        java.util.Arrays.fill(perKind, 0);
        for (Deadline d : due) {
            Branch b = d.kind() == Kind.BRANCH ? branches.get(d.id()) : null;
            if (b == null && d.kind() == Kind.BRANCH) {
                throw new IllegalArgumentException("a deadline names branch '" + d.id() + "', which is not stored");
            }
            BranchClock last = fresh.peekLast();
            if (b != null && (last == null || last.atMillis() <= d.atMillis())) {
                BranchClock clock = new BranchClock(d.atMillis(), b, this);
                fresh.addLast(clock);
                b.clock = clock;
            } else {
                add(d.atMillis(), d.kind(), d.id());
                if (b != null) {
                    b.clock = sorted;
                }
            }
        }
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
