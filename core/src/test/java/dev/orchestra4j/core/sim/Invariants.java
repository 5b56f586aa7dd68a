package dev.orchestra4j.core.sim;

import dev.orchestra4j.core.event.OrchestraEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Two of a case's invariants, checked once it has ended: branches settle once per timeline; no committed step reruns. */
final class Invariants {

    private Invariants() {}

    /**
     * Along one timeline of the session in one process (from its start, or from where it loaded the session: a
     * recovery, a restore) each branch settles at most once, and a branch loaded settled never settles again.
     */
    static void settlements(Simulation sim, List<Incarnation> incarnations) {
        for (Incarnation i : incarnations) {
            List<OrchestraEvent> events;
            synchronized (i.events) {
                events = List.copyOf(i.events);
            }
            List<Incarnation.Mark> marks = i.marks();
            Map<String, Integer> settled = new HashMap<>();
            java.util.Set<String> loaded = java.util.Set.of();
            int next = 0;
            for (int e = 0; e < events.size(); e++) {
                while (next < marks.size() && marks.get(next).events() <= e) {
                    loaded = marks.get(next++).settled();
                    settled.clear();
                }
                if (events.get(e) instanceof OrchestraEvent.BranchSettled s) {
                    if (settled.merge(String.valueOf(s.branchId()), 1, Integer::sum) > 1) {
                        throw sim.fail("branch " + s.branchId() + " settled twice in process " + i.number);
                    }
                    if (loaded.contains(s.branchId())) {
                        throw sim.fail("branch " + s.branchId() + " was loaded settled and settled again in process "
                                + i.number);
                    }
                }
            }
        }
    }

    /**
     * Whether, between {@code before} and {@code calls[at]}, the same leg (or, with {@code anyLeg}, any leg of the same
     * process) ran its branch at another agent.
     */
    private static boolean loopedBack(List<AgentCall> calls, AgentCall before, int at, boolean anyLeg) {
        String branch = before.request.branchId();
        for (int j = calls.indexOf(before) + 1; j < at; j++) {
            AgentCall between = calls.get(j);
            if ((anyLeg ? between.incarnation == before.incarnation : between.leg == before.leg)
                    && between.request.branchId().equals(branch)
                    && !between.request.agent().equals(before.request.agent())) {
                return true;
            }
        }
        return false;
    }

    /**
     * No committed step runs twice: two calls of the same step (same branch, agent, input, attempt, error and memory)
     * are allowed only in different legs, and only when no write of the first one's leg committed its outcome, or a
     * restore of a checkpoint taken before that commit took the session back since. In one process, the same request
     * again after its branch went through other agents is a loop, not a repeat (within one leg, or across legs of it).
     */
    static void steps(Simulation sim) {
        Map<String, AgentCall> previous = new HashMap<>();
        List<AgentCall> calls;
        sim.w.lock.lock();
        try {
            calls = List.copyOf(sim.w.calls);
        } finally {
            sim.w.lock.unlock();
        }
        for (int i = 0; i < calls.size(); i++) {
            AgentCall call = calls.get(i);
            if (sim.model.staleBy(call.incarnation, call.arrivedAt)) {
                // a taken-over process runs steps until it notices (at its next write): none of them is committed
                sim.stats.add("steps a taken-over process ran before it noticed");
                continue;
            }
            AgentCall before = previous.put(call.stepKey, call);
            if (before == null) {
                continue;
            }
            if (before.incarnation == call.incarnation && before.leg == call.leg) {
                if (loopedBack(calls, before, i, false)) {
                    // its branch went on through other agents (an [on error] loop whose handler failed the same
                    // way again, say) and came back with the very same request: a new step, not the old one again
                    sim.stats.add("identical steps re-entered through a loop");
                    continue;
                }
                throw sim.fail("step ran twice in one leg: " + before + " (outcome " + before.verdict
                        + ") and again as " + call);
            }
            long commit = sim.model.committedAt(before);
            if (commit >= 0 && sim.model.rolledBack(commit, call.arrivedAt) == null) {
                if (before.incarnation == call.incarnation && loopedBack(calls, before, i, true)) {
                    // the same loop, with a pause and resume in it: A1 failed into A0 [on error], A0 timed out into
                    // A1 again with the very same timeout message, in the next leg
                    sim.stats.add("identical steps re-entered through a loop across legs");
                    continue;
                }
                throw sim.fail("step ran twice: " + before + " (outcome " + before.verdict + ", committed by write "
                        + commit + ") and again as " + call + " (restores: " + sim.model.restores() + ")");
            }
            if (commit >= 0) {
                sim.stats.add("steps run again after a restore");
            } else if (before.incarnation == call.incarnation) {
                sim.stats.add("uncommitted steps run again in the same process");
            }
        }
    }
}
