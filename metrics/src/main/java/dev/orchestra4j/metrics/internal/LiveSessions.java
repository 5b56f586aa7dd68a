package dev.orchestra4j.metrics.internal;

import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is live right now, as far as the events tell: running sessions, their unsettled branches and open observations.
 *
 * <p>Bounded so that nothing leaks when events are dropped: at most {@code maxSessions} sessions (least recently touched
 * evicted first) and {@code maxBranches} branches over all sessions (beyond it new branches are not tracked). A session
 * ends, with everything it holds, on {@link #close}. Counts are published through atomics so gauges never lock.
 */
public final class LiveSessions {

    private static final Logger log = LoggerFactory.getLogger(LiveSessions.class);

    /** The observations a session still held when it ended or was evicted. */
    public record Leftovers(@Nullable Observation run, List<Observation> steps) {
        public Leftovers {
            steps = List.copyOf(steps);
        }
    }

    private static final class Session {
        @Nullable
        Observation run;

        final Set<String> branches = new HashSet<>();
        final Map<String, Observation> steps = new HashMap<>();
    }

    private final int maxSessions;
    private final int maxBranches;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Session> sessions;
    private final List<Leftovers> evicted = new ArrayList<>();
    private final AtomicInteger activeSessions = new AtomicInteger();
    private final AtomicInteger activeBranches = new AtomicInteger();
    private boolean warnedBranches;

    public LiveSessions(int maxSessions, int maxBranches) {
        this.maxSessions = maxSessions;
        this.maxBranches = maxBranches;
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                if (size() <= LiveSessions.this.maxSessions) {
                    return false;
                }
                evicted.add(forget(eldest.getValue()));
                return true;
            }
        };
    }

    /**
     * Marks a session active with {@code run} as its run observation. Returns the session's previous run observation
     * (a follow-up round or a resume whose end was never reported), to be stopped as abandoned, or null.
     */
    public @Nullable Observation open(String sessionId, Observation run) {
        lock.lock();
        try {
            Session session = sessions.get(sessionId);
            if (session == null) {
                session = new Session();
                activeSessions.incrementAndGet();
                sessions.put(sessionId, session);
            }
            Observation previous = session.run;
            session.run = run;
            return previous;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns what sessions evicted by the cap still held, to be stopped as evicted. */
    public List<Leftovers> drainEvicted() {
        lock.lock();
        try {
            List<Leftovers> drained = List.copyOf(evicted);
            evicted.clear();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /** Ends a session; returns the observations it still held, or null when it was not live. */
    public @Nullable Leftovers close(String sessionId) {
        lock.lock();
        try {
            Session session = sessions.remove(sessionId);
            return session == null ? null : forget(session);
        } finally {
            lock.unlock();
        }
    }

    /** The run observation of a live session, or null when the session is not live here. */
    public @Nullable Observation run(String sessionId) {
        lock.lock();
        try {
            Session session = sessions.get(sessionId);
            return session == null ? null : session.run;
        } finally {
            lock.unlock();
        }
    }

    public void addBranch(String sessionId, String branchId) {
        lock.lock();
        try {
            Session session = sessions.get(sessionId);
            if (session != null) {
                track(session, branchId);
            }
        } finally {
            lock.unlock();
        }
    }

    public void removeBranch(String sessionId, String branchId) {
        lock.lock();
        try {
            Session session = sessions.get(sessionId);
            if (session != null && session.branches.remove(branchId)) {
                activeBranches.decrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records {@code step} as the open step of a branch (which is live, since it runs a step). Returns an observation to
     * stop as abandoned: the branch's previous step whose end was never reported, or {@code step} itself when the
     * session is not live.
     */
    public @Nullable Observation putStep(String sessionId, String branchId, Observation step) {
        lock.lock();
        try {
            Session session = sessions.get(sessionId);
            if (session == null) {
                return step;
            }
            track(session, branchId);
            return session.steps.put(branchId, step);
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the open step of a branch, or null. */
    public @Nullable Observation takeStep(String sessionId, String branchId) {
        lock.lock();
        try {
            Session session = sessions.get(sessionId);
            return session == null ? null : session.steps.remove(branchId);
        } finally {
            lock.unlock();
        }
    }

    public int activeSessions() {
        return activeSessions.get();
    }

    public int activeBranches() {
        return activeBranches.get();
    }

    private void track(Session session, String branchId) {
        if (session.branches.contains(branchId)) {
            return;
        }
        if (activeBranches.get() >= maxBranches) {
            if (!warnedBranches) {
                warnedBranches = true;
                log.warn("More than {} live branches; further branches are not tracked", maxBranches);
            }
            return;
        }
        session.branches.add(branchId);
        activeBranches.incrementAndGet();
    }

    private Leftovers forget(Session session) {
        activeSessions.decrementAndGet();
        activeBranches.addAndGet(-session.branches.size());
        return new Leftovers(session.run, List.copyOf(session.steps.values()));
    }
}
