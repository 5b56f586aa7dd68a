package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Keeps this owner's lease (SPEC §10, one owner per session): called on the scanner thread, it re-writes the last full
 * snapshot when the leg has written nothing for {@code StateManager.heartbeatInterval()} on the session clock (a long
 * step, a wait), so that a {@code recoverSession} elsewhere sees this owner is alive. The write happens on its own
 * virtual thread (a simulation test's {@link SimulationHooks#heartbeat} instead), one at a time; a fenced-out beat means
 * another process took the session over.
 */
final class Heartbeat {

    private final Persistence persistence;
    private final Clock clock;
    private final AtomicBoolean beating = new AtomicBoolean();
    /** When this owner last wrote (epoch millis of the session clock): a heartbeat is due a heartbeat after it. */
    private volatile long lastWriteMillis;

    Heartbeat(Persistence persistence, Clock sessionClock) {
        this.persistence = persistence;
        this.clock = sessionClock;
        this.lastWriteMillis = sessionClock.millis();
    }

    /** This owner just wrote the session (or tried to). */
    void wrote() {
        lastWriteMillis = clock.millis();
    }

    /** Beats when the leg holding {@code payload} (its last full snapshot; null: none to keep) wrote nothing lately. */
    void due(Coordinator c, @Nullable JsonNode payload) {
        if (payload == null
                || persistence.faults.isLost()
                || c.time.clockMillis() - lastWriteMillis
                        < c.spec.stateManager()
                                .orElseThrow()
                                .heartbeatInterval()
                                .toMillis()
                || !beating.compareAndSet(false, true)) {
            return;
        }
        Runnable beat = () -> {
            try {
                beat(c, payload);
            } finally {
                beating.set(false);
            }
        };
        SimulationHooks simulation = c.spec.simulation();
        if (simulation != null) {
            simulation.heartbeat(c.spec.sessionId(), beat); // it decides when the write happens
        } else {
            Thread.ofVirtual().name("orchestra4j-heartbeat").start(beat);
        }
    }

    private void beat(Coordinator c, JsonNode payload) {
        try {
            persistence.rewrite(payload);
        } catch (ConcurrentSessionModificationException e) {
            persistence.faults.heartbeatFencedOut();
            c.post(new Signal.Wake());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Heartbeat.class).warn("heartbeat of session '{}' failed", c.spec.sessionId(), e);
        }
    }
}
