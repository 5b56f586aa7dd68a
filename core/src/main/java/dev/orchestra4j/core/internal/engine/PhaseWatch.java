package dev.orchestra4j.core.internal.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Checks, at every step boundary of a leg, that each branch and barrier moved only along its {@link TransitionTable}
 * ({@link BranchPhase#TABLE}, {@link #BARRIER}): a settled branch never comes back, a closed barrier never reopens. A
 * barrier may be opened and closed within one decision (an inline step that forks, say), so it may be first seen
 * closed.
 * It walks the whole session, so the coordinator calls it only with assertions enabled (tests, simulations).
 */
final class PhaseWatch {

    static final TransitionTable<Barrier.State> BARRIER = TransitionTable.of("barrier", Barrier.State.class)
            .initial(Barrier.State.OPEN, Barrier.State.FIRED, Barrier.State.FAILED, Barrier.State.CANCELLED)
            .add(Barrier.State.OPEN, Barrier.State.FIRED, Barrier.State.FAILED, Barrier.State.CANCELLED)
            .build();

    private final Map<String, BranchPhase> branches = new HashMap<>();
    private final Map<String, Barrier.State> barriers = new HashMap<>();
    private boolean seeded;

    /** Records the phases at a boundary and checks every move since the last one; always true (for {@code assert}). */
    boolean verify(SessionState st, String event) {
        boolean seeding = !seeded;
        seeded = true;
        for (Branch b : st.branches.values()) {
            BranchPhase now = BranchPhase.of(b);
            BranchPhase before = branches.put(b.id, now);
            if (!seeding) {
                BranchPhase.TABLE.check(b.id, before, now, event);
            }
        }
        for (Barrier x : st.barriers.values()) {
            Barrier.State before = barriers.put(x.id, x.state);
            if (!seeding) {
                BARRIER.check(x.id, before, x.state, event);
            }
        }
        return true;
    }
}
