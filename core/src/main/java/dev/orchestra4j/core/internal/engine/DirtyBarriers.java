package dev.orchestra4j.core.internal.engine;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The barriers {@link Gates} still has to look at, in the order they were marked, each once. Nearly always one or
 * two ids, kept in a short array (a session parked in a step holds 24 bytes for it, and marking allocates nothing);
 * past {@value #FEW} ids at once (a turn in which the children of many forks settled) a linked hash set takes over
 * until it is drained, so that marking stays constant-time however wide the turn.
 */
final class DirtyBarriers {

    static final int FEW = 8;

    private String[] few = new String[2];
    private int count;
    private @Nullable LinkedHashSet<String> many;

    /** Marks {@code id}; false when it was marked already. */
    boolean add(String id) {
        LinkedHashSet<String> set = many;
        if (set != null) {
            return set.add(id);
        }
        for (int i = 0; i < count; i++) {
            if (few[i].equals(id)) {
                return false;
            }
        }
        if (count == FEW) {
            set = new LinkedHashSet<>(Arrays.asList(few).subList(0, count));
            many = set;
            Arrays.fill(few, null);
            count = 0;
            return set.add(id);
        }
        if (count == few.length) {
            few = Arrays.copyOf(few, Math.min(FEW, count * 2));
        }
        few[count++] = id;
        return true;
    }

    void addAll(Collection<String> ids) {
        for (String id : ids) {
            add(id);
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }

    int size() {
        LinkedHashSet<String> set = many;
        return set != null ? set.size() : count;
    }

    void clear() {
        many = null;
        Arrays.fill(few, 0, count, null);
        count = 0;
    }

    /** The marked ids in the order they were marked. */
    List<String> list() {
        LinkedHashSet<String> set = many;
        return set != null ? List.copyOf(set) : List.of(Arrays.copyOf(few, count));
    }

    /**
     * Removes and returns the first id marked that is not {@code last}, or {@code last} when it is the only one left.
     *
     * @throws IllegalStateException when nothing is marked
     */
    String takeNext(@Nullable String last) {
        LinkedHashSet<String> set = many;
        if (set != null) {
            for (Iterator<String> it = set.iterator(); it.hasNext(); ) {
                String id = it.next();
                if (!id.equals(last) || set.size() == 1) {
                    it.remove();
                    if (set.isEmpty()) {
                        many = null; // drained: back to the short array
                    }
                    return id;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            String id = few[i];
            if (!id.equals(last) || count == 1) {
                System.arraycopy(few, i + 1, few, i, count - i - 1);
                few[--count] = null;
                return id;
            }
        }
        throw new IllegalStateException("no dirty barrier");
    }

    @Override
    public String toString() {
        return list().toString();
    }
}
