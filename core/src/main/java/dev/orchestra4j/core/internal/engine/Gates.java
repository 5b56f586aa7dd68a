package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.user.UserQuestion;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The fire gates of barriers (SPEC §4.1, §4.3), evaluated after every change: a barrier whose sources all arrived,
 * failed or withdrew applies its policy (fire, fail, or ask the user); the run's ROOT goes last, once nothing else
 * can change.
 */
final class Gates {

    private final Machine m;
    private final SessionState st;
    private final DirtyBarriers dirty = new DirtyBarriers();
    /**
     * The last two ids marked, known to be in {@link #dirty} (forgotten whenever an id leaves it): a fork's thousand
     * deliveries and settlements mark its fork and ROOT over and over, by the same strings, without a hash lookup.
     */
    private @Nullable String marked;

    private @Nullable String markedBefore;
    private boolean rootDeferred;

    Gates(Machine machine) {
        this.m = machine;
        this.st = machine.state;
    }

    /** The barriers still to be looked at, in the order they were marked. */
    List<String> dirty() {
        return dirty.list();
    }

    boolean rootDeferred() {
        return rootDeferred;
    }

    /** Puts the barriers waiting to be looked at back as a snapshot's {@link MachinePart} says. */
    void restore(java.util.List<String> barriers, boolean deferred) {
        dirty.clear();
        forgetMarked();
        dirty.addAll(barriers);
        rootDeferred = deferred;
    }

    void markDirty(String barrierId) {
        if (barrierId == marked || barrierId == markedBefore) { // identity: a hit is certain, a miss costs one add
            return;
        }
        dirty.add(barrierId);
        markedBefore = marked;
        marked = barrierId;
    }

    private void forgetMarked() {
        marked = null;
        markedBefore = null;
    }

    /** A barrier closed: every open rendezvous (it may have been upstream of one) and ROOT look again. */
    void barrierClosed() {
        dirty.addAll(st.openRendezvous.values());
        if (st.rootBarrier != null) {
            dirty.add(st.rootBarrier);
        }
    }

    /** Evaluates changed barriers until nothing changes any more. */
    void evaluate() {
        rootDeferred = false;
        while (!dirty.isEmpty()) {
            Barrier x = st.barriers.get(next());
            if (x != null && x.isOpen()) {
                gate(x);
            }
        }
    }

    /** The next barrier to evaluate; ROOT goes last, after every other barrier had its chance to fire. */
    private String next() {
        String id = dirty.takeNext(st.rootBarrier);
        forgetMarked();
        return id;
    }

    private void gate(Barrier x) {
        if (x.kind == BarrierKind.ROOT) {
            gateRoot(x);
            return;
        }
        if (st.candidates.hasPending(x.id)) {
            if (cannotSucceed(x) && x.policy.terminateOrphans()) {
                m.convergence.fail(x, insufficient(x));
            }
            return;
        }
        if (x.kind == BarrierKind.RENDEZVOUS && upstreamLive(x)) {
            return;
        }
        if (x.arrivals.isEmpty() && x.failed.isEmpty()) {
            if (x.kind == BarrierKind.FORK && x.handedOn > 0) {
                m.convergence.handedOn(x); // D24: not ABANDONED
            } else {
                m.convergence.cancel(x, "no source arrived");
            }
            return;
        }
        decide(x);
    }

    private void gateRoot(Barrier root) {
        if (m.queue.alive() != 0 || m.admission.size() != 0) {
            return;
        }
        if (!st.openRendezvous.isEmpty() && !rootDeferred) {
            rootDeferred = true; // let every open rendezvous fire (or close) before the run ends
            dirty.addAll(st.openRendezvous.values());
            dirty.add(root.id);
            return;
        }
        m.lifecycle.rootSettled(m, root);
    }

    /**
     * Whether another open rendezvous that still has work in it can feed {@code x}: its resolver may yet arrive here.
     * Rendezvous that can reach each other do not wait for each other (the cycle break).
     */
    private boolean upstreamLive(Barrier x) {
        for (String id : st.openRendezvous.values()) {
            Barrier y = st.barrier(id);
            if (y != x
                    && (st.candidates.hasPending(y.id) || !y.arrivals.isEmpty())
                    && m.plan.analysis.canReach(y.node, x.node)
                    && !m.plan.analysis.canReach(x.node, y.node)) {
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
            m.convergence.fire(x);
        } else if (x.policy.onInsufficient() == ConvergencePolicy.OnInsufficient.ASK_USER && askUser(x)) {
            return; // the resolver waits for the user's proceed / fail
        } else {
            m.convergence.fail(x, insufficient(x));
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
            m.users.ask(
                    resolver,
                    x.id,
                    insufficient(x).replaceFirst(" failed: ", ": ")
                            + ". Proceed with the partial results? (proceed / fail)",
                    UserQuestion.Kind.QUESTION,
                    List.of("proceed", "fail"));
        }
        return true;
    }

    /** The user answered an ASK_USER question of the barrier {@code x} that {@code resolver} waits on. */
    void userDecided(Branch resolver, Barrier x, String answer) {
        String choice = answer.strip().toLowerCase(Locale.ROOT);
        if (choice.equals("proceed") || choice.equals("p") || choice.equals("yes") || choice.equals("y")) {
            m.convergence.fire(x);
        } else if (choice.equals("fail") || choice.equals("f") || choice.equals("no") || choice.equals("n")) {
            m.convergence.fail(x, insufficient(x) + "; the user chose to fail");
        } else {
            m.users.ask(
                    resolver,
                    x.id,
                    "Please answer proceed or fail. " + insufficient(x) + ". Proceed with the partial results?",
                    UserQuestion.Kind.QUESTION,
                    List.of("proceed", "fail"));
        }
    }

    private boolean cannotSucceed(Barrier x) {
        if (x.failed.isEmpty() || x.policy.onInsufficient() != ConvergencePolicy.OnInsufficient.FAIL) {
            return false; // PROCEED never fails; ASK_USER asks once everything has settled
        }
        int best = x.arrivals.size() + st.candidates.pendingCount(x.id);
        return (double) best / (best + x.failed.size()) < x.policy.minRatio();
    }

    private String insufficient(Barrier x) {
        StringBuilder why = new StringBuilder(x.describe()).append(" failed: ");
        why.append(x.arrivals.size())
                .append(" of ")
                .append(x.arrivals.size() + x.failed.size() + st.candidates.pendingCount(x.id))
                .append(" sources arrived");
        x.failed.forEach((branch, error) ->
                why.append("; ").append(st.branch(branch)).append(" failed: ").append(error));
        if (x.timedOut()) {
            why.append("; ").append(x.stragglers).append(" still running at the convergence timeout");
        }
        return why.toString();
    }
}
