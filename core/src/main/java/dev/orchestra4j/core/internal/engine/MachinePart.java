package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where a running {@link Machine} stood when a snapshot was written in the middle of a leg (a compaction, a checkpoint,
 * a fresh run's first save): what its session state does not say — the run queue and the admission queue in their
 * order, the deadlines in the order they come due, the running steps' tokens, the branch and barrier clocks, the
 * barriers waiting to be looked at, a pending pause, a pending follow-up. Written next to the state in the snapshot's
 * payload ({@code "machine"}); a replay of the journal after that snapshot starts from it ({@link JournalReplay}).
 * The live machine is put in exactly the same place when the snapshot is written ({@link #restore} on itself), so the
 * two go on identically.
 */
record MachinePart(
        List<String> runnable,
        int alive,
        List<String> held,
        int running,
        List<DeadlinePart> deadlines,
        long runDeadline,
        Map<String, BranchPlace> branches,
        Map<String, BarrierPlace> barriers,
        List<String> dirty,
        boolean rootDeferred,
        boolean quiescing,
        @Nullable String pauseReason,
        @Nullable String followUp,
        Map<String, String> carried) {

    static final String FIELD = "machine";

    MachinePart {
        for (Object part : new Object[] {runnable, held, deadlines, branches, barriers, dirty, carried}) {
            if (part == null) {
                throw new IllegalArgumentException("a machine part misses a field");
            }
        }
    }

    /** One pending deadline. */
    record DeadlinePart(long at, Deadlines.Kind kind, String id) {}

    /** A live branch's step token (and the running step's, or -1), step number and clocks. */
    record BranchPlace(long running, long stepToken, int stepNumber, long deadline, long remaining) {}

    /** A barrier's convergence clock and how many of its fork's children went on elsewhere. */
    record BarrierPlace(long deadline, int handedOn) {}

    /**
     * Writes where {@code running} stands into {@code payload} (nothing when null: a snapshot between legs) and puts
     * the live machine exactly there: it goes on from where a replay of this snapshot starts.
     */
    static void embed(ObjectNode payload, @Nullable Machine running) {
        if (running != null) {
            MachinePart place = of(running);
            place.restore(running);
            payload.set(FIELD, SnapshotValues.MAPPER.valueToTree(place));
        }
    }

    static MachinePart of(Machine m) {
        // a queued branch no longer stored is skipped when polled: it is dropped here
        List<String> runnable = new ArrayList<>();
        m.queue.forEachQueued(b -> addIfStored(m.state, b, runnable));
        List<String> held = new ArrayList<>();
        m.admission.forEachHeld(b -> addIfStored(m.state, b, held));
        List<DeadlinePart> deadlines = new ArrayList<>();
        m.timers.inOrder().forEach(d -> deadlines.add(new DeadlinePart(d.atMillis(), d.kind(), d.id())));
        Map<String, BranchPlace> branches = new TreeMap<>();
        m.state.branches.values().stream().filter(Branch::isAlive).forEach(b -> {
            long running = b.state() instanceof BranchState.Running r ? r.token() : -1;
            branches.put(
                    b.id, new BranchPlace(running, b.stepToken, b.stepNumber, b.deadlineMillis, b.remainingMillis));
        });
        Map<String, BarrierPlace> barriers = new TreeMap<>();
        m.state.barriers.values().stream()
                .filter(x -> x.isOpen() || x.handedOn > 0)
                .forEach(x -> barriers.put(x.id, new BarrierPlace(x.deadlineMillis, x.handedOn)));
        Map<String, String> carried = new TreeMap<>();
        m.lifecycle
                .followUps()
                .carried()
                .forEach((agent, messages) -> carried.put(agent, ChatMessageSerializer.messagesToJson(messages)));
        return new MachinePart(
                runnable,
                m.queue.alive(),
                held,
                m.stepping.running(),
                deadlines,
                m.timers.runDeadlineMillis(),
                branches,
                barriers,
                List.copyOf(m.gates.dirty()),
                m.gates.rootDeferred(),
                m.lifecycle.isQuiescing(),
                m.lifecycle.pauseReason(),
                m.lifecycle.followUps().pendingId(),
                carried);
    }

    /**
     * Puts {@code m} (over the state this part was written with) where the machine stood.
     *
     * @throws IllegalArgumentException naming what this part refers to and the state does not hold
     */
    void restore(Machine m) {
        SessionState st = m.state;
        branches.forEach((id, place) -> {
            Branch b = known(st, id);
            b.stepToken = place.stepToken();
            b.stepNumber = place.stepNumber();
            b.deadlineMillis = place.deadline();
            b.remainingMillis = place.remaining();
            if (place.running() >= 0) {
                b.restore(new BranchState.Running(place.running()));
            }
        });
        barriers.forEach((id, place) -> {
            Barrier x = st.barriers.get(id);
            if (x == null) {
                throw new IllegalArgumentException("the machine part names barrier '" + id + "', which is not stored");
            }
            x.deadlineMillis = place.deadline();
            x.handedOn = place.handedOn();
        });
        m.queue.restore(ids(st, runnable), alive);
        m.admission.restore(ids(st, held));
        m.stepping.restore(running);
        List<Deadlines.Deadline> due = new ArrayList<>(deadlines.size());
        deadlines.forEach(d -> due.add(new Deadlines.Deadline(d.at(), d.kind(), d.id())));
        m.timers.restore(due, runDeadline);
        m.gates.restore(dirty, rootDeferred);
        m.lifecycle.restore(quiescing, pauseReason);
        Map<String, List<ChatMessage>> memory = new LinkedHashMap<>();
        carried.forEach((agent, json) -> memory.put(agent, ChatMessageDeserializer.messagesFromJson(json)));
        m.lifecycle.followUps().restore(followUp, memory);
    }

    private static void addIfStored(SessionState st, Branch b, List<String> ids) {
        if (st.branches.get(b.id) == b) {
            ids.add(b.id);
        }
    }

    private static List<Branch> ids(SessionState st, List<String> ids) {
        List<Branch> out = new ArrayList<>(ids.size());
        ids.forEach(id -> out.add(known(st, id)));
        return out;
    }

    private static Branch known(SessionState st, String id) {
        Branch b = st.branches.get(id);
        if (b == null) {
            throw new IllegalArgumentException("the machine part names branch '" + id + "', which is not stored");
        }
        return b;
    }
}
