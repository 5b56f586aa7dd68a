package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Barrier bookkeeping: who is expected where (reach-based candidacy), deliveries, settling branches exactly once, and
 * the fire gates evaluated after every change (SPEC §4.1, §4.3).
 */
final class Convergence {

    private final Coordinator c;
    private final SessionState st;
    private final Set<String> dirty = new LinkedHashSet<>();
    private boolean rootDeferred;

    Convergence(Coordinator coordinator) {
        this.c = coordinator;
        this.st = coordinator.state;
    }

    Barrier openRoot() {
        Barrier root = new Barrier(
                st.newBarrierId("root"),
                BarrierKind.ROOT,
                Plan.END,
                null,
                c.spec.execution().convergencePolicy(),
                c.now());
        st.barriers.put(root.id, root);
        st.rootBarrier = root.id;
        return root;
    }

    Barrier openFork(Branch resolver) {
        Barrier fork = new Barrier(
                st.newBarrierId("f"), BarrierKind.FORK, resolver.node, resolver.id, policy(resolver.node), c.now());
        st.barriers.put(fork.id, fork);
        resolver.move(new BranchState.Joining(fork.id), "it forked");
        resolver.remainingMillis = resolver.deadlineMillis == Long.MAX_VALUE
                ? Long.MAX_VALUE
                : Math.max(0, resolver.deadlineMillis - c.nowMillis());
        leaveRendezvous(resolver);
        return fork;
    }

    /** The open rendezvous barrier at {@code node}, opened (with a waiting resolver) if there is none. */
    Barrier rendezvousAt(String node) {
        String open = st.openRendezvous.get(node);
        if (open != null) {
            return st.barrier(open);
        }
        String resolverId = st.newBranchId();
        Barrier barrier =
                new Barrier(st.newBarrierId("r"), BarrierKind.RENDEZVOUS, node, resolverId, policy(node), c.now());
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
                c.now(),
                new BranchState.Joining(barrier.id));
        resolver.materialized = false;
        st.branches.put(resolverId, resolver);
        return barrier;
    }

    private ConvergencePolicy policy(String node) {
        return c.plan.isAgent(node)
                ? c.plan.node(node).policy()
                : c.spec.execution().convergencePolicy();
    }

    /** Makes {@code b} a candidate of every rendezvous it can still reach (and only those). */
    void register(Branch b) {
        Set<String> reachable = c.plan.isAgent(b.node) ? c.plan.node(b.node).reachableRendezvous() : Set.of();
        for (String id : List.copyOf(b.candidateOf)) {
            Barrier x = st.barrier(id);
            if (x.kind == BarrierKind.RENDEZVOUS && !reachable.contains(x.node)) {
                withdraw(b, x);
            }
        }
        for (String node : reachable) {
            Barrier x = rendezvousAt(node);
            if (!b.id.equals(x.resolver) && b.candidateOf.add(x.id)) {
                x.pending.add(b.id);
            }
        }
    }

    void leaveRendezvous(Branch b) {
        for (String id : List.copyOf(b.candidateOf)) {
            Barrier x = st.barrier(id);
            if (x.kind == BarrierKind.RENDEZVOUS) {
                withdraw(b, x);
            }
        }
    }

    private void withdraw(Branch b, Barrier x) {
        b.candidateOf.remove(x.id);
        if (x.pending.remove(b.id)) {
            dirty.add(x.id);
        }
    }

    /** Delivers {@code value} from {@code b} to {@code x}; a delivery to a closed barrier is a late arrival. */
    boolean deliver(Branch b, Barrier x, Object value) {
        b.output = value;
        b.candidateOf.remove(x.id);
        if (!x.isOpen()) {
            return false;
        }
        b.delivered = true;
        x.arrive(new Arrival(b.node, b.id, value));
        firstArrival(x);
        dirty.add(x.id);
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
        firstArrival(rendezvous);
        dirty.add(rendezvous.id);
        Branch resolver = st.branch(rendezvous.resolver);
        if (!resolver.lineage.contains(fork.id)) {
            resolver.lineage.add(fork.id);
            fork.pending.add(resolver.id);
            resolver.candidateOf.add(fork.id);
        }
        inheritLineage(forker, resolver);
    }

    /**
     * The convergence timeout counts from a barrier's first arrival (or failure), never from its opening (SPEC §4.5,
     * D1): work upstream of a join is bounded by step and branch timeouts, not by this.
     */
    private void firstArrival(Barrier x) {
        if (x.kind != BarrierKind.ROOT && x.deadlineMillis == Long.MAX_VALUE) {
            c.scheduleBarrier(x);
        }
    }

    /** Forks that {@code b} works for now wait for the rendezvous resolver it detoured through. */
    private void inheritLineage(Branch from, Branch resolver) {
        for (String forkId : from.lineage) {
            Barrier fork = st.barrier(forkId);
            if (fork.isOpen() && !resolver.lineage.contains(forkId)) {
                resolver.lineage.add(forkId);
                fork.pending.add(resolver.id);
                resolver.candidateOf.add(forkId);
            }
        }
    }

    /** Settles {@code b} exactly once, withdrawing it from every barrier and cascading to what it waited on. */
    void settle(Branch b, BranchStatus status, @Nullable String error) {
        if (!b.isAlive()) {
            return;
        }
        BranchState was = b.state();
        b.move(new BranchState.Settled(status, error), "it ended " + status);
        b.endedAt = c.now();
        if (status == BranchStatus.FAILED || status == BranchStatus.TIMED_OUT) {
            Barrier target = st.barrier(b.target);
            if (target.isOpen() && !b.delivered) {
                target.failed.put(b.id, error == null ? status.name() : error);
                firstArrival(target);
                dirty.add(target.id);
            }
        }
        for (String id : b.candidateOf) {
            Barrier x = st.barrier(id);
            if (x.pending.remove(b.id)) {
                if (status == BranchStatus.COMPLETED && x.kind == BarrierKind.FORK) {
                    x.handedOn++; // it completed elsewhere (through a rendezvous): the fork's work went on
                }
                dirty.add(id);
            }
        }
        b.candidateOf.clear();
        if (was instanceof BranchState.Running running && running.token() == b.stepToken) {
            c.cancelStep(b, "its branch ended " + status);
        }
        if (was instanceof BranchState.Asking asking) {
            c.users.dropQuestion(asking.question());
        }
        String waitedOn = was.barrier();
        if (waitedOn != null && st.barrier(waitedOn).isOpen()) {
            cancel(st.barrier(waitedOn), "its resolver " + b + " ended " + status);
        }
        if (b.materialized) {
            c.alive--;
            dirty.add(st.root().id);
            c.telemetry.emit(() -> new OrchestraEvent.BranchSettled(
                    c.spec.sessionId(),
                    c.now(),
                    b.id,
                    b.node,
                    status,
                    Duration.between(b.createdAt, b.endedAt),
                    b.steps));
        }
    }

    /** Evaluates changed barriers until nothing changes any more. */
    void evaluate() {
        rootDeferred = false;
        while (!dirty.isEmpty()) {
            String id = next();
            Barrier x = st.barriers.get(id);
            if (x != null && x.isOpen()) {
                gate(x);
            }
        }
    }

    /** The next barrier to evaluate; ROOT goes last, after every other barrier had its chance to fire. */
    private String next() {
        String root = st.rootBarrier;
        for (var it = dirty.iterator(); it.hasNext(); ) {
            String id = it.next();
            if (!id.equals(root) || dirty.size() == 1) {
                it.remove();
                return id;
            }
        }
        throw new IllegalStateException("no dirty barrier");
    }

    void markDirty(String barrierId) {
        dirty.add(barrierId);
    }

    private void gate(Barrier x) {
        if (x.kind == BarrierKind.ROOT) {
            if (c.alive != 0 || c.queuedChildren() != 0) {
                return;
            }
            if (!st.openRendezvous.isEmpty() && !rootDeferred) {
                rootDeferred = true; // let every open rendezvous fire (or close) before the run ends
                dirty.addAll(st.openRendezvous.values());
                dirty.add(x.id);
                return;
            }
            c.rootSettled(x);
            return;
        }
        if (!x.pending.isEmpty()) {
            if (cannotSucceed(x) && x.policy.terminateOrphans()) {
                fail(x, insufficient(x));
            }
            return;
        }
        if (x.kind == BarrierKind.RENDEZVOUS && upstreamLive(x)) {
            return;
        }
        if (x.arrivals.isEmpty() && x.failed.isEmpty()) {
            if (x.kind == BarrierKind.FORK && x.handedOn > 0) {
                close(x, "its children handed their work on", BranchStatus.COMPLETED); // D24: not ABANDONED
            } else {
                cancel(x, "no source arrived");
            }
            return;
        }
        decide(x);
    }

    /**
     * Whether another open rendezvous that still has work in it can feed {@code x}: its resolver may yet arrive here.
     * Rendezvous that can reach each other do not wait for each other (the cycle break).
     */
    private boolean upstreamLive(Barrier x) {
        for (String id : st.openRendezvous.values()) {
            Barrier y = st.barrier(id);
            if (y != x
                    && (!y.pending.isEmpty() || !y.arrivals.isEmpty())
                    && c.plan.analysis.canReach(y.node, x.node)
                    && !c.plan.analysis.canReach(x.node, y.node)) {
                return true;
            }
        }
        return false;
    }

    /** Applies the policy to what arrived: fire, or fail when too few arrived and the policy says so. */
    void decide(Barrier x) {
        int arrived = x.arrivals.size();
        int failed = x.failed.size() + x.stragglers;
        boolean enough = arrived + failed == 0 || (double) arrived / (arrived + failed) >= x.policy.minRatio();
        if (enough || x.policy.onInsufficient() == ConvergencePolicy.OnInsufficient.PROCEED) {
            fire(x);
        } else if (x.policy.onInsufficient() == ConvergencePolicy.OnInsufficient.ASK_USER && askUser(x)) {
            return; // the resolver waits for the user's proceed / fail
        } else {
            fail(x, insufficient(x));
        }
    }

    /**
     * ASK_USER: the barrier's (materialized) resolver asks the user whether to go on with what arrived. False when
     * there is nobody to ask on (the run's sink, a rendezvous whose resolver does not exist yet): then it fails.
     */
    private boolean askUser(Barrier x) {
        if (x.resolver == null) {
            return false;
        }
        Branch resolver = st.branch(x.resolver);
        if (!resolver.materialized) {
            return false;
        }
        if (resolver.waitingQuestion() == null) {
            c.users.ask(
                    resolver,
                    x.id,
                    insufficient(x).replaceFirst(" failed: ", ": ")
                            + ". Proceed with the partial results? (proceed / fail)",
                    dev.orchestra4j.core.user.UserQuestion.Kind.QUESTION,
                    List.of("proceed", "fail"));
        }
        return true;
    }

    /** The user answered an ASK_USER question of the barrier {@code x} that {@code resolver} waits on. */
    void userDecided(Branch resolver, Barrier x, String answer) {
        String choice = answer.strip().toLowerCase(java.util.Locale.ROOT);
        if (choice.equals("proceed") || choice.equals("p") || choice.equals("yes") || choice.equals("y")) {
            fire(x);
        } else if (choice.equals("fail") || choice.equals("f") || choice.equals("no") || choice.equals("n")) {
            fail(x, insufficient(x) + "; the user chose to fail");
        } else {
            c.users.ask(
                    resolver,
                    x.id,
                    "Please answer proceed or fail. " + insufficient(x) + ". Proceed with the partial results?",
                    dev.orchestra4j.core.user.UserQuestion.Kind.QUESTION,
                    List.of("proceed", "fail"));
        }
    }

    private static boolean cannotSucceed(Barrier x) {
        if (x.failed.isEmpty() || x.policy.onInsufficient() != ConvergencePolicy.OnInsufficient.FAIL) {
            return false; // PROCEED never fails; ASK_USER asks once everything has settled
        }
        int best = x.arrivals.size() + x.pending.size();
        return (double) best / (best + x.failed.size()) < x.policy.minRatio();
    }

    private String insufficient(Barrier x) {
        StringBuilder why = new StringBuilder(x.describe()).append(" failed: ");
        why.append(x.arrivals.size())
                .append(" of ")
                .append(x.arrivals.size() + x.failed.size() + x.pending.size())
                .append(" sources arrived");
        x.failed.forEach((branch, error) ->
                why.append("; ").append(st.branch(branch)).append(" failed: ").append(error));
        if (x.timedOut()) {
            why.append("; ").append(x.stragglers).append(" still running at the convergence timeout");
        }
        return why.toString();
    }

    private void closed(Barrier x) {
        dirty.addAll(st.openRendezvous.values());
        if (st.rootBarrier != null) {
            dirty.add(st.rootBarrier);
        }
    }

    void fire(Barrier x) {
        x.move(Barrier.State.FIRED, "it fired");
        closed(x);
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
            c.materialize(
                    resolver,
                    x.arrivals.isEmpty() ? null : x.arrivals.getFirst().branchId());
        } else {
            c.resumeBranchClock(resolver); // time spent waiting for the fork does not count (D17)
        }
        register(resolver);
        c.makeRunnable(resolver, x.describe() + " fired");
    }

    /** The resolver continues the conversations of what arrived: per pair, the highest turn count (D27). */
    private void carryTurns(Barrier x, Branch resolver) {
        for (dev.orchestra4j.core.Arrival arrival : x.arrivals) {
            Branch source = st.branches.get(arrival.branchId());
            if (source != null && source != resolver) {
                source.turns.forEach((pair, count) -> resolver.turns.merge(pair, count, Math::max));
            }
        }
    }

    void fail(Barrier x, String reason) {
        x.move(Barrier.State.FAILED, "it failed");
        closed(x);
        orphans(x, reason);
        event(x, false);
        st.openRendezvous.remove(x.node, x.id);
        Branch resolver = st.branch(x.resolver);
        if (!resolver.materialized) {
            c.materialize(resolver, null);
        }
        c.failures.barrierFailed(resolver, reason);
    }

    void cancel(Barrier x, String reason) {
        close(x, reason, BranchStatus.ABANDONED);
    }

    private void close(Barrier x, String reason, BranchStatus resolverStatus) {
        x.move(Barrier.State.CANCELLED, "it was cancelled");
        closed(x);
        st.openRendezvous.remove(x.node, x.id);
        abandon(new ArrayList<>(x.pending), x.describe() + " was cancelled: " + reason);
        if (x.resolver == null) {
            return;
        }
        Branch resolver = st.branch(x.resolver);
        if (resolver.materialized) {
            settle(
                    resolver,
                    resolverStatus,
                    resolverStatus == BranchStatus.COMPLETED ? null : x.describe() + " was cancelled: " + reason);
        } else {
            if (resolver.isAlive()) {
                resolver.move(new BranchState.Settled(BranchStatus.ABANDONED, reason), x.describe() + " was cancelled");
            }
            resolver.candidateOf.forEach(id -> st.barrier(id).pending.remove(resolver.id));
            resolver.candidateOf.forEach(dirty::add);
            resolver.candidateOf.clear();
            st.branches.remove(resolver.id);
        }
    }

    private void orphans(Barrier x, String reason) {
        if (x.policy.terminateOrphans()) {
            abandon(new ArrayList<>(x.pending), x.describe() + " no longer waits for it: " + reason);
        }
    }

    private void abandon(List<String> branchIds, String reason) {
        for (String id : branchIds) {
            Branch b = st.branches.get(id);
            if (b != null && b.isAlive()) {
                if (b.materialized) {
                    settle(b, BranchStatus.ABANDONED, reason);
                } else {
                    cancelUnmaterialized(b, reason);
                }
            }
        }
    }

    private void cancelUnmaterialized(Branch b, String reason) {
        String waitedOn = b.waitingOn();
        if (waitedOn != null && st.barrier(waitedOn).isOpen()) {
            cancel(st.barrier(waitedOn), reason);
            return;
        }
        c.dropQueued(b);
        b.move(new BranchState.Settled(BranchStatus.ABANDONED, reason), "it was abandoned before it ran");
        b.candidateOf.forEach(id -> {
            st.barrier(id).pending.remove(b.id);
            dirty.add(id);
        });
        b.candidateOf.clear();
        st.branches.remove(b.id);
    }

    private void event(Barrier x, boolean success) {
        c.telemetry.emit(() -> new OrchestraEvent.BarrierFired(
                c.spec.sessionId(),
                c.now(),
                x.resolver,
                x.id,
                x.kind,
                x.node,
                x.arrivals.size(),
                x.failed.size(),
                Duration.between(x.openedAt, c.now()),
                success));
    }
}
