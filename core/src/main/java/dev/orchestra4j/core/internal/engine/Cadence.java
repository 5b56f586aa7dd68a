package dev.orchestra4j.core.internal.engine;

import java.time.Duration;

/**
 * When a session is written: a completed step makes it dirty; it is committed when the auto-save interval allows;
 * the commit is a full snapshot (compaction) once the journal since the last one holds as many steps as that snapshot
 * covered, at least {@link #COMPACT_EVERY}. A snapshot's size grows with the trace, so compacting at doubling
 * intervals keeps the bytes written per step flat however long the run.
 */
final class Cadence {

    static final int COMPACT_EVERY = 64;

    private boolean dirty;
    private long lastSaveMillis;
    private int sinceSnapshot;
    /** The session's step count when the last full snapshot was written: the next compaction waits as many steps. */
    private int stepsAtSnapshot;

    /** A step completed and is not committed yet. */
    void stepCompleted() {
        dirty = true;
    }

    boolean isDirty() {
        return dirty;
    }

    /** Nothing waits for a commit any more (it was written, or can no longer be). */
    void clean() {
        dirty = false;
    }

    /** Whether the auto-save {@code interval} allows a commit at {@code nowMillis}. */
    boolean allows(long nowMillis, Duration interval) {
        return interval.isZero() || nowMillis - lastSaveMillis >= interval.toMillis();
    }

    /** Whether the next commit should be a full snapshot that compacts the journal. */
    boolean compactionDue() {
        return sinceSnapshot >= Math.max(COMPACT_EVERY, stepsAtSnapshot);
    }

    /** A journal entry was appended at {@code nowMillis}. */
    void appended(long nowMillis) {
        sinceSnapshot++;
        dirty = false;
        lastSaveMillis = nowMillis;
    }

    /** A full snapshot covering {@code steps} steps was written at {@code nowMillis}. */
    void snapshotted(int steps, long nowMillis) {
        restarted(steps);
        lastSaveMillis = nowMillis;
        dirty = false;
    }

    /** A claim wrote a full snapshot covering {@code steps} steps: the journal starts again after it. */
    void restarted(int steps) {
        sinceSnapshot = 0;
        stepsAtSnapshot = steps;
    }
}
