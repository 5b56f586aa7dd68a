package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link JournalDelta} last journaled of each branch and barrier, kept shallow so that telling whether one changed
 * costs a few comparisons and no encoding. Scalars are compared by value; run values (input, output, error), which the
 * engine replaces and never changes in place, by identity; an agent's memory by list identity and length (a step
 * stores the agent's working copy, a fresh list, and the next step works on a copy of it); the append-only lists
 * (visited agents, trace indexes, arrivals) by length; the rest (lineage, turns, candidacies) by value. A comparison
 * may report a change the encoding does not show (a new step token): the branch is then written again, which is
 * harmless; it never misses one the encoding shows.
 */
final class JournalMarks {

    private JournalMarks() {}

    /** One branch as last journaled. */
    static final class BranchMark {
        private String node = "";
        private String target = "";
        private @Nullable String from;
        private @Nullable Object input;
        private @Nullable Object output;
        private @Nullable Object error;
        private @Nullable BranchState state;
        private boolean materialized;
        private int steps;
        private int attempt;
        private int steering;
        private @Nullable Instant endedAt;
        private boolean delivered;
        private List<String> lineage = List.of();
        private Map<String, Integer> turns = Map.of();
        private List<String> candidateOf = List.of();
        /** The journaled lengths of the append-only lists: an entry writes only what follows them. */
        int agents;

        int traceIndexes;
        /** Each agent's memory list as journaled, with its length then. */
        private final List<Memory> memory = new ArrayList<>(2);

        BranchMark(Branch b, Candidates candidates) {
            update(b, candidates);
        }

        /** Whether {@code b} may differ from what was journaled of it. */
        boolean isChanged(Branch b, Candidates candidates) {
            return !b.node.equals(node)
                    || !b.target.equals(target)
                    || !Objects.equals(b.from, from)
                    || b.input != input
                    || b.output != output
                    || b.error != error
                    || !b.state().equals(state)
                    || b.materialized != materialized
                    || b.steps != steps
                    || b.attempt != attempt
                    || b.steering != steering
                    || !Objects.equals(b.endedAt, endedAt)
                    || b.delivered != delivered
                    || b.agents.size() != agents
                    || b.traceIndexes.size() != traceIndexes
                    || !b.lineage.equals(lineage)
                    || !b.turns.equals(turns)
                    || !candidates.isBarriersOf(b.id, candidateOf)
                    || isMemoryChanged(b);
        }

        private boolean isMemoryChanged(Branch b) {
            if (b.memory.size() != memory.size()) {
                return true;
            }
            for (Memory m : memory) {
                if (m.isChanged(b)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether agent {@code agent}'s memory changed since it was journaled (or was never journaled). */
        boolean isMemoryChanged(Branch b, String agent) {
            for (Memory m : memory) {
                if (m.agent().equals(agent)) {
                    return m.isChanged(b);
                }
            }
            return true;
        }

        /** {@code b} as it is now was journaled. */
        void update(Branch b, Candidates candidates) {
            node = b.node;
            target = b.target;
            from = b.from;
            input = b.input;
            output = b.output;
            error = b.error;
            state = b.state();
            materialized = b.materialized;
            steps = b.steps;
            attempt = b.attempt;
            steering = b.steering;
            endedAt = b.endedAt;
            delivered = b.delivered;
            agents = b.agents.size();
            traceIndexes = b.traceIndexes.size();
            lineage = b.lineage.equals(lineage) ? lineage : List.copyOf(b.lineage);
            turns = b.turns.equals(turns) ? turns : Map.copyOf(b.turns);
            if (!candidates.isBarriersOf(b.id, candidateOf)) {
                candidateOf = candidates.barriersOf(b.id);
            }
            memory.clear();
            b.memory.forEach((agent, list) -> memory.add(new Memory(agent, list, list.size())));
        }
    }

    /** An agent's memory list on a branch, and its length, as journaled. */
    private record Memory(String agent, List<ChatMessage> list, int size) {
        boolean isChanged(Branch b) {
            List<ChatMessage> now = b.memory.get(agent);
            return now != list || now.size() != size;
        }
    }

    /** One open barrier as last journaled (its fixed parts never change). */
    static final class BarrierMark {
        private Barrier.State state = Barrier.State.OPEN;
        private int stragglers;
        private int slots;
        private int arrivals;
        private int failed;
        private int handedOn;
        private List<String> pending = List.of();

        BarrierMark(Barrier x, Candidates candidates) {
            update(x, candidates);
        }

        boolean isChanged(Barrier x, Candidates candidates) {
            return x.state() != state
                    || x.stragglers != stragglers
                    || x.slots.size() != slots
                    || x.arrivals.size() != arrivals
                    || x.failed.size() != failed
                    || x.handedOn != handedOn
                    || !candidates.isPendingAt(x.id, pending);
        }

        void update(Barrier x, Candidates candidates) {
            state = x.state();
            stragglers = x.stragglers;
            slots = x.slots.size();
            arrivals = x.arrivals.size();
            failed = x.failed.size();
            handedOn = x.handedOn;
            if (!candidates.isPendingAt(x.id, pending)) {
                pending = candidates.pendingAt(x.id);
            }
        }
    }
}
