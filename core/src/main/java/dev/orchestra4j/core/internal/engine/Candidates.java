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

    /** Per branch a short list (a branch is expected at one or two barriers, nearly always): no hash set per branch. */
    private final Map<String, List<String>> byBranch = new HashMap<>();

    private final Map<String, Set<String>> byBarrier = new HashMap<>();

    /** {@code branch} is now expected at {@code barrier}; false when it was already. */
    boolean add(String branch, String barrier) {
        List<String> barriers = byBranch.computeIfAbsent(branch, k -> new ArrayList<>(2));
        boolean added = !barriers.contains(barrier);
        if (added) {
            barriers.add(barrier);
        }
        byBarrier.computeIfAbsent(barrier, k -> new LinkedHashSet<>()).add(branch);
        return added;
    }

    /** {@code branch} is no longer expected at {@code barrier}; returns whether it was. */
    boolean remove(String branch, String barrier) {
        List<String> barriers = byBranch.get(branch);
        if (barriers != null) {
            barriers.remove(barrier);
        }
        Set<String> branches = byBarrier.get(barrier);
        return branches != null && branches.remove(branch);
    }

    /** Withdraws {@code branch} from every barrier; returns those that were expecting it, in order. */
    List<String> removeBranch(String branch) {
        List<String> barriers = byBranch.remove(branch);
        if (barriers == null) {
            return List.of();
        }
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
        List<String> barriers = byBranch.get(branch);
        return barriers == null ? List.of() : List.copyOf(barriers);
    }

    /** The branches {@code barrier} still expects, in order (a copy). */
    List<String> pendingAt(String barrier) {
        Set<String> branches = byBarrier.get(barrier);
        return branches == null ? List.of() : List.copyOf(branches);
    }

    /** Whether the barriers expecting {@code branch} are {@code known}, in that order (no copy). */
    boolean isBarriersOf(String branch, List<String> known) {
        return sameOrder(byBranch.get(branch), known);
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
        if (barriers.isEmpty()) {
            byBranch.remove(branch);
        } else {
            byBranch.put(branch, new ArrayList<>(new LinkedHashSet<>(barriers)));
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
