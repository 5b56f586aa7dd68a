package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Barriers (SPEC §4.1, §4.3): opening them, who is expected where (reach-based candidacy, kept in the session's
 * {@link Candidates}), deliveries, and closing them — fired, failed or cancelled — with what that means for their
 * resolvers. When a barrier may close is decided by {@link Gates}; branches settle in {@link Settlement}.
 */
final class Convergence {

    private final Machine m;
    private final SessionState st;
    private final Candidates candidates;

    Convergence(Machine machine) {
        this.m = machine;
        this.st = machine.state;
        this.candidates = machine.state.candidates;
    }

    Barrier openRoot() {
        Barrier root = new Barrier(
                st.newBarrierId("root"),
                BarrierKind.ROOT,
                Plan.END,
                null,
                m.spec.execution().convergencePolicy(),
                m.now());
        root.turnsMayArrive = false;
        st.barriers.put(root.id, root);
        st.rootBarrier = root.id;
        return root;
    }

    Barrier openFork(Branch resolver) {
        Barrier fork = new Barrier(
                st.newBarrierId("f"), BarrierKind.FORK, resolver.node, resolver.id, policy(resolver.node), m.now());
        fork.turnsMayArrive = false;
        st.barriers.put(fork.id, fork);
        resolver.move(new BranchState.Joining(fork.id), "it forked");
        resolver.remainingMillis = resolver.deadlineMillis == Long.MAX_VALUE
                ? Long.MAX_VALUE
                : Math.max(0, resolver.deadlineMillis - m.nowMillis());
        leaveRendezvous(resolver);
        return fork;
    }

    /** The open rendezvous barrier at {@code node}, opened (with a waiting, invisible resolver) if there is none. */
    Barrier rendezvousAt(String node) {
        String open = st.openRendezvous.get(node);
        if (open != null) {
            return st.barrier(open);
        }
        String resolverId = st.newBranchId();
        Barrier barrier =
                new Barrier(st.newBarrierId("r"), BarrierKind.RENDEZVOUS, node, resolverId, policy(node), m.now());
        barrier.turnsMayArrive = false;
        st.barriers.put(barrier.id, barrier);
        st.openRendezvous.put(node, barrier.id);
        Branch resolver = new Branch(
                resolverId,
                null,
                BarrierKind.RENDEZVOUS,
                st.root().id,
                node,
                List.of(),
                null,
                m.now(),
                new BranchState.Joining(barrier.id));
        resolver.materialized = false;
        st.branches.put(resolverId, resolver);
        return barrier;
    }

    private ConvergencePolicy policy(String node) {
        return m.plan.isAgent(node)
                ? m.plan.node(node).policy()
                : m.spec.execution().convergencePolicy();
    }

    /** Makes {@code b} a candidate of every rendezvous it can still reach (and only those). */
    void register(Branch b) {
        if (!m.plan.rendezvous) {
            return; // no rendezvous barrier can exist in this topology: nothing to join or leave (one check per move)
        }
        Set<String> reachable = m.plan.isAgent(b.node) ? b.info(m.plan).reachableRendezvous() : Set.of();
        for (String id : candidates.barriersOf(b.id)) {
            Barrier x = st.barrier(id);
            if (x.kind == BarrierKind.RENDEZVOUS && !reachable.contains(x.node)) {
                withdraw(b, x);
            }
        }
        joinReachable(b, reachable);
    }

    /**
     * {@link #register} for a fork's new child at the agent node of {@code info}: it is a candidate of its fork alone,
     * so there is no rendezvous to leave (no copy of its candidacies, no lookup of its barriers, once per child).
     */
    void registerChild(Branch child, Plan.NodeInfo info) {
        joinReachable(child, info.reachableRendezvous());
    }

    private void joinReachable(Branch b, Set<String> reachable) {
        for (String node : reachable) {
            Barrier x = rendezvousAt(node);
            if (!b.id.equals(x.resolver)) {
                candidates.add(b.id, x.id);
            }
        }
    }

    void leaveRendezvous(Branch b) {
        for (String id : candidates.barriersOf(b.id)) {
            Barrier x = st.barrier(id);
            if (x.kind == BarrierKind.RENDEZVOUS) {
                withdraw(b, x);
            }
        }
    }

    private void withdraw(Branch b, Barrier x) {
        if (candidates.remove(b.id, x.id)) {
            m.gates.markDirty(x.id);
        }
    }

    /** Delivers {@code value} from {@code b} to {@code x}; a delivery to a closed barrier is a late arrival. */
    boolean deliver(Branch b, Barrier x, Object value) {
        b.output = value;
        candidates.remove(b.id, x.id);
        if (!x.isOpen()) {
            return false;
        }
        b.delivered = true;
        x.arrive(new Arrival(b.node, b.id, value));
        if (!b.turns.isEmpty()) {
            x.turnsMayArrive = true; // b settles next: its counts stay as they are now
        }
        firstArrival(x);
        m.gates.markDirty(x.id);
        if (x.kind == BarrierKind.RENDEZVOUS) {
            inheritLineage(b, st.branch(x.resolver));
        }
        return true;
    }

    /**
     * A fork's invocation of a rendezvous node: the request arrives at the node's barrier (it aggregates with the other
     * paths into it) instead of starting a separate branch there, and the fork waits for the barrier's resolver.
     */
    void dispatchInto(Barrier fork, Branch forker, Barrier rendezvous, Object request) {
        rendezvous.arrive(new Arrival(forker.node, forker.id, request));
        rendezvous.turnsMayArrive = true; // the forker goes on counting turns
        candidates.remove(forker.id, rendezvous.id);
        firstArrival(rendezvous);
        m.gates.markDirty(rendezvous.id);
        Branch resolver = st.branch(rendezvous.resolver);
        if (!resolver.lineage.contains(fork.id)) {
            resolver.writableLineage().add(fork.id);
            candidates.add(resolver.id, fork.id);
        }
        inheritLineage(forker, resolver);
    }

    /**
     * The convergence timeout counts from a barrier's first arrival (or failure), never from its opening (SPEC §4.5,
     * D1): work upstream of a join is bounded by step and branch timeouts, not by this.
     */
    void firstArrival(Barrier x) {
        if (x.kind != BarrierKind.ROOT && x.deadlineMillis == Long.MAX_VALUE) {
            m.timers.scheduleBarrier(x);
        }
    }

    /** Forks that {@code b} works for now wait for the rendezvous resolver it detoured through. */
    private void inheritLineage(Branch from, Branch resolver) {
        for (String forkId : from.lineage) {
            Barrier fork = st.barrier(forkId);
            if (fork.isOpen() && !resolver.lineage.contains(forkId)) {
                resolver.writableLineage().add(forkId);
                candidates.add(resolver.id, forkId);
            }
        }
    }

    void fire(Barrier x) {
        x.move(Barrier.State.FIRED, "it fired");
        m.timers.cancel(Deadlines.Kind.BARRIER, x.id);
        m.gates.barrierClosed();
        orphans(x, "the barrier already fired");
        event(x, true);
        if (x.kind == BarrierKind.RENDEZVOUS) {
            st.openRendezvous.remove(x.node, x.id);
        }
        Branch resolver = st.branch(x.resolver);
        resolver.input = List.copyOf(x.arrivals);
        resolver.from = null;
        carryTurns(x, resolver);
        if (!resolver.materialized) {
            m.queue.materialize(
                    resolver,
                    x.arrivals.isEmpty() ? null : x.arrivals.getFirst().branchId());
        } else {
            m.timers.resumeBranchClock(resolver); // time spent waiting for the fork does not count (D17)
        }
        register(resolver);
        m.queue.makeRunnable(resolver, x.describe() + " fired");
    }

    /** The resolver continues the conversations of what arrived: per pair, the highest turn count (D27). */
    private void carryTurns(Barrier x, Branch resolver) {
        if (!x.turnsMayArrive) {
            return; // no source that arrived counted a turn: nothing to carry, no source to look up
        }
        for (Arrival arrival : x.arrivals) {
            Branch source = st.branches.get(arrival.branchId());
            if (source != null && source != resolver) {
                source.turns.forEach((pair, count) -> resolver.writableTurns().merge(pair, count, Math::max));
            }
        }
    }

    void fail(Barrier x, String reason) {
        x.move(Barrier.State.FAILED, "it failed");
        m.timers.cancel(Deadlines.Kind.BARRIER, x.id);
        m.gates.barrierClosed();
        orphans(x, reason);
        event(x, false);
        st.openRendezvous.remove(x.node, x.id);
        Branch resolver = st.branch(x.resolver);
        if (!resolver.materialized) {
            m.queue.materialize(resolver, null);
        }
        m.failures.barrierFailed(resolver, reason);
    }

    void cancel(Barrier x, String reason) {
        close(x, reason, BranchStatus.ABANDONED);
    }

    /** A fork whose children all handed their work on (through a rendezvous): its forker completes (D24). */
    void handedOn(Barrier fork) {
        close(fork, "its children handed their work on", BranchStatus.COMPLETED);
    }

    private void close(Barrier x, String reason, BranchStatus resolverStatus) {
        x.move(Barrier.State.CANCELLED, "it was cancelled");
        m.timers.cancel(Deadlines.Kind.BARRIER, x.id);
        m.gates.barrierClosed();
        st.openRendezvous.remove(x.node, x.id);
        m.settlement.abandon(candidates.pendingAt(x.id), x.describe() + " was cancelled: " + reason);
        if (x.resolver == null) {
            return;
        }
        Branch resolver = st.branch(x.resolver);
        if (resolver.materialized) {
            m.settlement.settle(
                    resolver,
                    resolverStatus,
                    resolverStatus == BranchStatus.COMPLETED ? null : x.describe() + " was cancelled: " + reason);
        } else {
            m.settlement.dropInvisible(resolver, x.describe() + " was cancelled: " + reason);
        }
    }

    private void orphans(Barrier x, String reason) {
        if (x.policy.terminateOrphans()) {
            m.settlement.abandon(candidates.pendingAt(x.id), x.describe() + " no longer waits for it: " + reason);
        }
    }

    private void event(Barrier x, boolean success) {
        m.telemetry.emit(() -> new OrchestraEvent.BarrierFired(
                m.spec.sessionId(),
                m.now(),
                x.resolver,
                x.id,
                x.kind,
                x.node,
                x.arrivals.size(),
                x.failed.size(),
                Duration.between(x.openedAt, m.now()),
                success));
    }
}
