package dev.orchestra4j.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StorageBackend;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The shared storage as one simulated process sees it, with the case's storage faults applied to the session's writes,
 * each write reported to the {@link StorageModel}. Until the crash; after it, the dead process's writes succeed but go
 * nowhere (as if into a disk nobody reads again), so its wind-down neither disturbs the next process nor logs failures;
 * it reads on.
 */
final class ProcessStorage extends ForwardingStorageBackend {

    private final Incarnation p;
    private final StorageBackend shared;
    private final StorageModel model;
    private final StorageFaults faults;
    /** This process's writes of the session so far that a fault could hit, and the one to hit (-1: none) with what. */
    private int faultable;

    private int armedAt = -1;
    private StorageFaults.Fault armed = StorageFaults.Fault.NONE;

    ProcessStorage(Incarnation p, StorageBackend shared, StorageModel model, StorageFaults faults) {
        super(shared);
        this.p = p;
        this.shared = shared;
        this.model = model;
        this.faults = faults;
    }

    /** The {@code index}-th write of the session this process makes from now on meets {@code fault}. */
    void arm(int index, StorageFaults.Fault fault) {
        armedAt = faultable + index;
        armed = fault;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Whether journal entries are markers that change no state: a claim's fence, a restore's marker. */
    private static boolean markersOnly(List<byte[]> entries) {
        for (byte[] entry : entries) {
            try {
                JsonNode e = JSON.readTree(entry);
                if (!e.path("t").asText().equals("claim") && !e.has("@restored")) {
                    return false;
                }
            } catch (java.io.IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return true;
    }

    /** One mutating storage operation of this process, with the case's storage faults applied to it. */
    private <T> T faulty(
            String op, String key, long digest, java.util.function.Supplier<T> apply, T whenDead, Runnable applied) {
        if (p.dead) {
            return whenDead;
        }
        boolean ours = key.endsWith("/" + p.sessionId) || key.startsWith("checkpoints/" + p.sessionId + "/");
        // (a session's recording, 'recordings/<id>', is ours too)
        StorageFaults.Fault fault = StorageFaults.Fault.NONE;
        if (ours && !Incarnation.isHeartbeat()) {
            fault = faultable++ == armedAt ? armed : faults.next();
        }
        // a checkpoint's record key ends with its size, which varies with wall-clock durations in the state
        String named = key.replaceFirst("/[0-9]+-[0-9]+$", "/(record)");
        if (fault != StorageFaults.Fault.NONE) {
            p.w.notes.add(
                    "  storage fault " + fault + " on " + op + " of '" + named + "' (incarnation " + p.number + ")");
        }
        switch (fault) {
            case CRASH_BEFORE -> {
                p.die("right before " + op + " of '" + named + "'");
                return whenDead;
            }
            case FAIL -> throw StorageFaults.failure(op, named, false);
            default -> {}
        }
        T result = apply.get();
        model.written(
                p.number,
                op + " " + key + " -> " + result,
                digest,
                ours && !(result instanceof OptionalLong v && v.isEmpty()));
        if (Simulation.DETAIL && ours) {
            p.w.notes.add("  write " + op + " of '" + key + "' -> " + result + " by "
                    + Thread.currentThread().getName() + " (incarnation " + p.number + ")");
        }
        applied.run();
        switch (fault) {
            case FAIL_AFTER -> throw StorageFaults.failure(op, named, true);
            case CRASH_AFTER -> p.die("right after " + op + " of '" + named + "'");
            default -> {}
        }
        return result;
    }

    /** A snapshot of the session reached storage: it holds this process's live state now (or a restored one). */
    private void snapshotWritten(String key, @Nullable JsonNode state) {
        if (key.equals("sessions/" + p.sessionId) && !Incarnation.isHeartbeat()) {
            model.stateWritten(p.number, p.writingLeg(), state);
        } else if (key.startsWith("checkpoints/" + p.sessionId + "/")
                && key.indexOf('/', ("checkpoints/" + p.sessionId + "/").length()) < 0) {
            model.checkpointWritten(key.substring("checkpoints/".length()));
        }
    }

    @Override
    public long write(String key, byte[] value) {
        JsonNode state =
                key.startsWith("sessions/") && !p.dead && !Incarnation.isHeartbeat() ? p.liveState(true) : null;
        return faulty(
                "write",
                key,
                java.util.Arrays.hashCode(value),
                () -> shared.write(key, value),
                1L,
                () -> snapshotWritten(key, state));
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        JsonNode state =
                key.startsWith("sessions/") && !p.dead && !Incarnation.isHeartbeat() ? p.liveState(true) : null;
        OptionalLong[] result = {OptionalLong.empty()};
        return faulty(
                "compareAndSet",
                key,
                java.util.Arrays.hashCode(value),
                () -> result[0] = shared.compareAndSet(key, expectedVersion, value),
                OptionalLong.of(expectedVersion + 1),
                () -> {
                    if (result[0].isPresent()) {
                        snapshotWritten(key, state);
                    }
                });
    }

    /** Like {@link #compareAndSet(String, long, byte[])}, on the shared storage's own fenced (atomic) write. */
    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
        JsonNode state =
                key.startsWith("sessions/") && !p.dead && !Incarnation.isHeartbeat() ? p.liveState(true) : null;
        OptionalLong[] result = {OptionalLong.empty()};
        return faulty(
                "compareAndSet",
                key,
                java.util.Arrays.hashCode(value),
                () -> result[0] = shared.compareAndSet(key, expectedVersion, value, expectedLastSequence),
                OptionalLong.of(expectedVersion + 1),
                () -> {
                    if (result[0].isPresent()) {
                        snapshotWritten(key, state);
                    }
                });
    }

    @Override
    public boolean delete(String key) {
        boolean deleted = !p.dead && shared.delete(key);
        model.written(p.number, "delete " + key + " -> " + deleted, 0, deleted && key.contains(p.sessionId));
        return deleted;
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        boolean deleted = !p.dead && shared.compareAndDelete(key, expectedVersion);
        model.written(
                p.number,
                "compareAndDelete " + key + " -> " + deleted,
                expectedVersion,
                deleted && key.contains(p.sessionId));
        return deleted;
    }

    @Override
    public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
        boolean session = key.equals("sessions/" + p.sessionId) && !markersOnly(entries);
        JsonNode state = session && !p.dead ? p.liveState(false) : null;
        long digest = 0;
        for (byte[] entry : entries) {
            digest = digest * 31 + java.util.Arrays.hashCode(entry);
        }
        return faulty(
                "appendJournal",
                key,
                digest,
                () -> shared.appendJournal(key, expectedLastSequence, entries),
                expectedLastSequence + entries.size(),
                () -> {
                    if (session && !Incarnation.isHeartbeat()) {
                        model.stateWritten(p.number, p.writingLeg(), state);
                    }
                });
    }

    @Override
    public void truncateJournal(String key, long throughSequence) {
        faulty(
                "truncateJournal",
                key,
                throughSequence,
                () -> {
                    shared.truncateJournal(key, throughSequence);
                    return null;
                },
                null,
                () -> {});
    }

    @Override
    public int expireOlderThan(Duration age) {
        return p.dead ? 0 : shared.expireOlderThan(age);
    }

    @Override
    public String name() {
        return "simulated";
    }
}
