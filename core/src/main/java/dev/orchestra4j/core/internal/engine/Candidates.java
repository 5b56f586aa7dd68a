package dev.orchestra4j.core.internal.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is still expected where: the one owner of the two-way index between branches and the barriers waiting for them
 * (a fork for its children, a rendezvous for every branch that can still reach it). Both directions change together,
 * in one call, so they cannot drift apart. Both keep insertion order: barriers evaluate their sources, and a branch
 * withdraws from its barriers, in the order the candidacies arose.
 */
final class Candidates {

    /**
     * Per branch the barrier expecting it (a fork child is expected at its fork alone: no collection for it), or, when
     * several do, a short list in order ({@link Several}; a branch is expected at one or two barriers, nearly always).
     */
    private final Map<String, Object> byBranch = new HashMap<>(2); // most sessions: one branch at one barrier

    private final Map<String, Set<String>> byBarrier = new HashMap<>(2);

    /** {@code branch} is now expected at {@code barrier}; false when it was already. */
    boolean add(String branch, String barrier) {
        Object known = byBranch.putIfAbsent(branch, barrier);
        boolean added = known == null;
        if (known instanceof String one && !one.equals(barrier)) {
            byBranch.put(branch, new Several(one, barrier));
            added = true;
        } else if (known instanceof Several several && !several.contains(barrier)) {
            several.add(barrier);
            added = true;
        }
        byBarrier.computeIfAbsent(barrier, k -> new LinkedHashSet<>()).add(branch);
        return added;
    }

    /** {@code branches} new candidates of {@code barrier} follow: room for them at once, not grown step by step. */
    void expect(String barrier, int branches) {
        byBarrier.putIfAbsent(barrier, LinkedHashSet.newLinkedHashSet(branches));
    }

    /** {@code branch} is no longer expected at {@code barrier}; returns whether it was. */
    boolean remove(String branch, String barrier) {
        if (!byBranch.remove(branch, barrier) && byBranch.get(branch) instanceof Several several) {
            several.remove(barrier);
            if (several.size() == 1) {
                byBranch.put(branch, several.getFirst());
            }
        }
        Set<String> branches = byBarrier.get(barrier);
        return branches != null && branches.remove(branch);
    }

    /** Withdraws {@code branch} from every barrier; returns those that were expecting it, in order. */
    List<String> removeBranch(String branch) {
        Object known = byBranch.remove(branch);
        if (known == null) {
            return List.of();
        }
        if (known instanceof String one) {
            Set<String> branches = byBarrier.get(one);
            return branches != null && branches.remove(branch) ? List.of(one) : List.of();
        }
        Several barriers = (Several) known;
        List<String> expecting = new ArrayList<>(barriers.size());
        for (String barrier : barriers) {
            Set<String> branches = byBarrier.get(barrier);
            if (branches != null && branches.remove(branch)) {
                expecting.add(barrier);
            }
        }
        return expecting;
    }

    /** The barriers expecting {@code branch}, in order (a copy). */
    List<String> barriersOf(String branch) {
        return switch (byBranch.get(branch)) {
            case null -> List.of();
            case String one -> List.of(one);
            case Several several -> List.copyOf(several);
            default -> throw new IllegalStateException("not a candidacy: " + byBranch.get(branch));
        };
    }

    /** The branches {@code barrier} still expects, in order (a copy). */
    List<String> pendingAt(String barrier) {
        Set<String> branches = byBarrier.get(barrier);
        return branches == null ? List.of() : List.copyOf(branches);
    }

    /** Whether the barriers expecting {@code branch} are {@code known}, in that order (no copy). */
    boolean isBarriersOf(String branch, List<String> known) {
        Object barriers = byBranch.get(branch);
        return barriers instanceof String one
                ? known.size() == 1 && one.equals(known.getFirst())
                : sameOrder((Several) barriers, known);
    }

    /** Whether the branches {@code barrier} still expects are {@code known}, in that order (no copy). */
    boolean isPendingAt(String barrier, List<String> known) {
        return sameOrder(byBarrier.get(barrier), known);
    }

    private static boolean sameOrder(@org.jspecify.annotations.Nullable Collection<String> ids, List<String> known) {
        if (ids == null || ids.size() != known.size()) {
            return (ids == null ? 0 : ids.size()) == known.size();
        }
        int i = 0;
        for (String id : ids) {
            if (!id.equals(known.get(i++))) {
                return false;
            }
        }
        return true;
    }

    int pendingCount(String barrier) {
        Set<String> branches = byBarrier.get(barrier);
        return branches == null ? 0 : branches.size();
    }

    boolean hasPending(String barrier) {
        return pendingCount(barrier) > 0;
    }

    /** Restores one branch's side as stored (recovery); the barriers' sides are restored from their own records. */
    void restoreBranch(String branch, Collection<String> barriers) {
        Set<String> distinct = new LinkedHashSet<>(barriers);
        switch (distinct.size()) {
            case 0 -> byBranch.remove(branch);
            case 1 -> byBranch.put(branch, distinct.iterator().next());
            default -> byBranch.put(branch, new Several(distinct));
        }
    }

    /** The barriers expecting one branch, when there are several, in order. */
    private static final class Several extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Several(String first, String second) {
            super(List.of(first, second));
        }

        Several(Collection<String> barriers) {
            super(barriers);
        }
    }

    /** Restores one barrier's side as stored (recovery). */
    void restoreBarrier(String barrier, Collection<String> branches) {
        if (branches.isEmpty()) {
            byBarrier.remove(barrier);
        } else {
            byBarrier.put(barrier, new LinkedHashSet<>(branches));
        }
    }
}
