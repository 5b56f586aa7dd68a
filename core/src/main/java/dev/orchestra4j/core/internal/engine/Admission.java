package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.event.BarrierKind;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * Holds back new branches while the topology's {@code max_agents} branches run, or while their fork runs its
 * {@code max_concurrency} children, and admits them in order as others finish. A held branch is QUEUED and
 * invisible; admitted, it becomes visible and READY.
 */
final class Admission {

    private final Machine m;
    private final SessionState st;
    private final int maxAgents;
    /** Made when a branch is first held: empty unless limits hold branches back. */
    private @Nullable ArrayDeque<Branch> queued;
    /** The last fork asked about and its {@code max_concurrency}: a fork's children ask one after another. */
    private @Nullable String capped;

    private int cap;

    Admission(Machine machine) {
        this.m = machine;
        this.st = machine.state;
        this.maxAgents = machine.spec.maxAgents();
    }

    /** Whether a new branch of {@code origin} delivering to {@code target} must wait for room. */
    boolean mustWait(BarrierKind origin, String target) {
        return maxAgents != Integer.MAX_VALUE && runningCount() >= maxAgents || forkFull(origin, target);
    }

    /** Holds {@code b} (new, or QUEUED when the session was suspended, D5) until there is room. */
    void hold(Branch b) {
        if (queued == null) {
            queued = new ArrayDeque<>(2);
        }
        queued.add(b);
    }

    void drop(Branch b) {
        if (queued != null) {
            queued.remove(b);
        }
    }

    void forEachHeld(java.util.function.Consumer<Branch> each) {
        if (queued != null) {
            queued.forEach(each);
        }
    }

    /** Puts the held branches back as a snapshot's {@link MachinePart} says, in order. */
    void restore(java.util.List<Branch> held) {
        queued = held.isEmpty() ? null : new ArrayDeque<>(held);
    }

    int size() {
        return queued == null ? 0 : queued.size();
    }

    /** Admits held branches while there is room, in queue order, skipping those whose fork is still full. */
    void admit() {
        if (queued == null) {
            return;
        }
        Iterator<Branch> it = queued.iterator();
        while (it.hasNext() && runningCount() < maxAgents) {
            Branch next = it.next();
            if (!next.isAlive()) {
                it.remove();
            } else if (!forkFull(next.origin, next.target)) {
                it.remove();
                m.queue.materialize(next, next.parentId);
                m.queue.makeRunnable(next, "admitted");
            }
        }
    }

    /** Whether a branch of {@code origin} into {@code target} is a fork child whose fork runs its maximum already. */
    private boolean forkFull(BarrierKind origin, String target) {
        if (origin != BarrierKind.FORK) {
            return false;
        }
        int cap = maxConcurrency(target);
        if (cap == Integer.MAX_VALUE) {
            return false;
        }
        int running = 0;
        for (Branch other : st.branches.values()) {
            if (other.materialized && other.status() == BranchStatus.RUNNING && target.equals(other.target)) {
                running++;
            }
        }
        return running >= cap;
    }

    private int runningCount() {
        int n = 0;
        for (Branch b : st.branches.values()) {
            if (b.materialized && b.status() == BranchStatus.RUNNING) {
                n++;
            }
        }
        return n;
    }

    /** The {@code max_concurrency} of fork {@code forkId}'s node (fixed for the fork: looked up once per fork). */
    private int maxConcurrency(String forkId) {
        if (!forkId.equals(capped)) {
            Barrier fork = st.barrier(forkId);
            cap = m.plan.isAgent(fork.node) ? m.plan.node(fork.node).limits().maxConcurrency() : Integer.MAX_VALUE;
            capped = forkId;
        }
        return cap;
    }
}
