package dev.orchestra4j.cluster.internal;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sessions this worker runs right now, each with the db-scheduler execution that is its lease. A lease holds
 * while its heartbeats are healthy: once half the dead threshold passed without a successful heartbeat (a long GC
 * pause, a lost database, a {@code SIGSTOP}), another worker may take the session over any moment, so the leg must
 * dispatch no further step.
 */
final class Leases {

    /** Above this fraction of the dead threshold without a heartbeat, a lease no longer holds. */
    static final double MAX_FRACTION_DEAD = 0.5;

    /** One local leg: its execution and the inbox rows already handed to it. */
    static final class Lease {
        final String sessionId;
        final String instanceName;
        final CurrentlyExecuting execution;
        final Set<Long> delivered = ConcurrentHashMap.newKeySet();

        Lease(String sessionId, String instanceName, CurrentlyExecuting execution) {
            this.sessionId = sessionId;
            this.instanceName = instanceName;
            this.execution = execution;
        }

        boolean holds() {
            return execution.getHeartbeatState().getFractionDead() < MAX_FRACTION_DEAD;
        }
    }

    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    Lease open(String sessionId, String instanceName, CurrentlyExecuting execution) {
        Lease lease = new Lease(sessionId, instanceName, execution);
        leases.put(sessionId, lease);
        return lease;
    }

    void close(Lease lease) {
        leases.remove(lease.sessionId, lease);
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a lease closes or {@code millis} pass. */
    void awaitChange(long millis) throws InterruptedException {
        lock.lock();
        try {
            if (!leases.isEmpty()) {
                changed.await(millis, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether this worker still owns {@code sessionId}: it runs it and its lease holds. */
    boolean holds(String sessionId) {
        Lease lease = leases.get(sessionId);
        return lease != null && lease.holds();
    }

    Lease get(String sessionId) {
        return leases.get(sessionId);
    }

    Collection<Lease> all() {
        return List.copyOf(leases.values());
    }

    int size() {
        return leases.size();
    }
}
