package dev.orchestra4j.core.internal.engine;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal moves between the states of one kind of entity (a branch, a barrier), as one table: an illegal move is
 * an exception naming the entity, both states and what happened, and {@link #mermaid()} draws the table as the
 * diagram kept in {@code docs/engine/} (a test keeps the two in sync).
 *
 * <p>Every move of an entity goes through {@link #check}: the table is the whole truth about which moves exist.
 */
final class TransitionTable<S extends Enum<S>> {

    private final String entity;
    private final Class<S> type;
    private final Set<S> initial;
    private final Map<S, Set<S>> next;
    /** {@link #next} as a matrix by ordinal: every move of every branch is checked, so the check must be cheap. */
    private final boolean[][] legal;
    /** {@link #initial} by ordinal: every branch created is checked. */
    private final boolean[] startsIn;

    private TransitionTable(String entity, Class<S> type, Set<S> initial, Map<S, Set<S>> next) {
        this.entity = entity;
        this.type = type;
        this.initial = initial;
        this.next = next;
        S[] states = type.getEnumConstants();
        this.legal = new boolean[states.length][states.length];
        this.startsIn = new boolean[states.length];
        initial.forEach(s -> startsIn[s.ordinal()] = true);
        next.forEach((from, to) -> to.forEach(t -> legal[from.ordinal()][t.ordinal()] = true));
    }

    static <S extends Enum<S>> Builder<S> of(String entity, Class<S> type) {
        return new Builder<>(entity, type);
    }

    /** Whether an entity of this kind may be first seen in {@code state}. */
    boolean canStartIn(S state) {
        return startsIn[state.ordinal()];
    }

    /** Whether {@code from -> to} is in the table; staying in a state is a move too and must be listed. */
    boolean allows(S from, S to) {
        return legal[from.ordinal()][to.ordinal()];
    }

    /** Checks a move of entity {@code id}; {@code from} null means it is new. */
    void check(String id, @org.jspecify.annotations.Nullable S from, S to, String event) {
        boolean legal = from == null ? canStartIn(to) : allows(from, to);
        if (!legal) {
            throw new IllegalStateException("illegal " + entity + " transition of '" + id + "': "
                    + (from == null ? "(new)" : from.name()) + " -> " + to.name() + " on " + event);
        }
    }

    /** The table as a Mermaid state diagram. */
    String mermaid() {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n");
        for (S s : type.getEnumConstants()) {
            if (initial.contains(s)) {
                out.append("    [*] --> ").append(s.name()).append('\n');
            }
        }
        for (S from : type.getEnumConstants()) {
            Set<S> to = next.get(from);
            if (to.isEmpty()) {
                out.append("    ").append(from.name()).append(" --> [*]\n");
            }
            to.forEach(t -> out.append("    ")
                    .append(from.name())
                    .append(" --> ")
                    .append(t.name())
                    .append('\n'));
        }
        return out.toString();
    }

    static final class Builder<S extends Enum<S>> {
        private final String entity;
        private final Class<S> type;
        private final Set<S> initial;
        private final Map<S, Set<S>> next;

        private Builder(String entity, Class<S> type) {
            this.entity = entity;
            this.type = type;
            this.initial = EnumSet.noneOf(type);
            this.next = new EnumMap<>(type);
            for (S s : type.getEnumConstants()) {
                next.put(s, EnumSet.noneOf(type));
            }
        }

        @SafeVarargs
        final Builder<S> initial(S... states) {
            for (S s : states) {
                initial.add(s);
            }
            return this;
        }

        @SafeVarargs
        final Builder<S> add(S from, S... to) {
            for (S s : to) {
                next.get(from).add(s);
            }
            return this;
        }

        TransitionTable<S> build() {
            return new TransitionTable<>(entity, type, Set.copyOf(initial), Map.copyOf(next));
        }
    }
}
