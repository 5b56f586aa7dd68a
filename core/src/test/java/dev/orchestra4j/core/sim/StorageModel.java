package dev.orchestra4j.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the shared storage holds, as the simulation knows it from the writes that reached it: the session state a
 * recovery must find (the live state of the process at its last applied write that changed the stored state), every
 * such write in order (so a step's outcome is known to be committed, or not), the state each checkpoint copied, and
 * every restore of one. All methods are synchronized on this object: a thread blocked here is BLOCKED, never mistaken
 * for a helper waiting for its leg.
 */
final class StorageModel {

    /**
     * An applied write that changed the stored session state, made by a leg of a process (-1: outside a leg), with the
     * state it stored as text.
     */
    record StateWrite(long index, int incarnation, int leg, String state) {}

    /** A restore: the session went back to the state of write {@code checkpointIndex} with write {@code index}. */
    record Restore(String checkpointId, long checkpointIndex, long index) {}

    private long index;
    private @Nullable JsonNode stored;
    private final List<StateWrite> writes = new ArrayList<>();
    private final Map<String, JsonNode> checkpointStates = new HashMap<>();
    private final Map<String, Long> checkpointIndexes = new HashMap<>();
    private final List<Restore> restores = new ArrayList<>();
    /** The checkpoint whose restore is in progress: the snapshot written now is its state. */
    private @Nullable String restoring;

    /** A digest of every write that reached storage, in order, with what it wrote: equal for two runs of one seed. */
    private long fingerprint = 17;

    private int storageWrites;

    /** Processes another one took the session over from: from then on none of their writes may take effect. */
    private final Map<Integer, Long> takenOver = new HashMap<>();

    private @Nullable String staleWrite;

    /**
     * A write by process {@code incarnation} reached storage ({@code what}: operation, key, outcome); {@code changed}:
     * it changed what storage holds of the session (a compare-and-set that lost changes nothing).
     */
    synchronized void written(int incarnation, String what, long digest, boolean changed) {
        if (!changed) {
            return; // a write that lost a race changes nothing (and two stale processes may lose theirs in any order)
        }
        fingerprint = (fingerprint * 31 + incarnation) * 1_000_003L + what.hashCode() * 31L + digest;
        storageWrites++;
        if (takenOver.containsKey(incarnation) && staleWrite == null) {
            staleWrite = "process " + incarnation + ": " + what;
        }
    }

    /** Process {@code incarnation} lost the session to another one's claim. */
    synchronized void takenOver(int incarnation) {
        takenOver.put(incarnation, index);
    }

    /** Whether process {@code incarnation} had been taken over by state write {@code index}. */
    synchronized boolean staleBy(int incarnation, long index) {
        Long at = takenOver.get(incarnation);
        return at != null && at <= index;
    }

    /** The first write of a taken-over process that took effect, else null. */
    synchronized @Nullable String staleWrite() {
        return staleWrite;
    }

    /** What {@link #written} saw, as one value (and how many writes). */
    synchronized String fingerprint() {
        return Long.toHexString(fingerprint) + "/" + storageWrites;
    }

    /** The index of the last applied state write (0 before the first). */
    synchronized long index() {
        return index;
    }

    /** The session state storage holds now. */
    synchronized @Nullable JsonNode stored() {
        return stored;
    }

    /** A write of {@code state} (the writer's live state) reached storage. */
    synchronized void stateWritten(int incarnation, int leg, @Nullable JsonNode state) {
        String id = restoring;
        if (id != null) {
            state = checkpointStates.get(id);
            restores.add(new Restore(id, checkpointIndexes.getOrDefault(id, -1L), index + 1));
        }
        index++;
        stored = state;
        writes.add(new StateWrite(index, incarnation, leg, state == null ? "" : state.toString()));
    }

    /** A checkpoint copied the stored session: it holds exactly what storage held then. */
    synchronized void checkpointWritten(String checkpointId) {
        if (stored != null) {
            checkpointStates.put(checkpointId, stored);
            checkpointIndexes.put(checkpointId, index);
        }
    }

    synchronized @Nullable JsonNode checkpointState(String checkpointId) {
        return checkpointStates.get(checkpointId);
    }

    synchronized void restoring(@Nullable String checkpointId) {
        restoring = checkpointId;
    }

    synchronized List<Restore> restores() {
        return List.copyOf(restores);
    }

    /**
     * The index of the write that committed {@code call}'s outcome: the first state write of the leg that ran it, after
     * its outcome went to the engine, whose state holds the outcome (the call's id is in every outcome it returns: its
     * trace entry, its memory note, its error); -1 when none did (its leg died, failed to write, or lost the session
     * first, or its outcome was discarded). The first write after the outcome is not necessarily it: a checkpoint
     * asked for earlier may save first.
     */
    synchronized long committedAt(AgentCall call) {
        if (call.resolvedAtWrite < 0) {
            return -1;
        }
        java.util.regex.Pattern id =
                java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(call.id) + "(?![0-9])");
        for (StateWrite w : writes) {
            if (w.index() > call.resolvedAtWrite
                    && w.incarnation() == call.incarnation
                    && w.leg() == call.leg
                    && id.matcher(w.state()).find()) {
                return w.index();
            }
        }
        return -1;
    }

    /** Whether a restore after write {@code commit} took the session back before it, by write {@code arrival}. */
    synchronized @Nullable Restore rolledBack(long commit, long arrival) {
        for (Restore r : restores) {
            if (r.checkpointIndex() < commit && commit < r.index() && r.index() <= arrival) {
                return r;
            }
        }
        return null;
    }
}
