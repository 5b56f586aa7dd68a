package dev.orchestra4j.core.internal.engine;

import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The time the session's decisions see (issue #11, point 1: the deciding classes take the time from the event they
 * handle, not from a clock). A new event begins at each signal taken, deadline pass, inline step returned and leg
 * driven; every decision about it — its deadlines, trace entries, events, settlements — sees one instant and one
 * epoch-millis value (each read from the session clock at most once for the event, when first asked for). Only the
 * driving thread uses it; the scanner thread and step threads read {@link #clockMillis()} or the clock itself.
 */
final class EventTime {

    private final Clock clock;
    private @Nullable Instant instant;
    private long millis;
    private boolean millisRead;
    /** Read the clock at each tick (a journaled session: its inputs carry their instants, for replay). */
    private boolean eager;

    EventTime(Clock clock) {
        this.clock = clock;
    }

    /**
     * From now on, each event reads the session clock once, when it begins, for both its instant and its millis: what a
     * journaled session's decisions saw is then one recorded instant per event, which a replay gives back ({@link
     * Accepted}).
     */
    void eager() {
        eager = true;
    }

    /**
     * A new event. The clock is read lazily, at most once for the event's instant and once for its epoch millis (most
     * events need only the millis, which allocate nothing); every later read during the event returns the same value.
     */
    void tick() {
        if (eager) {
            Instant at = clock.instant();
            instant = at;
            millis = at.toEpochMilli();
            millisRead = true;
            return;
        }
        instant = null;
        millisRead = false;
    }

    Instant now() {
        Instant at = instant;
        if (at == null) {
            at = clock.instant();
            instant = at;
        }
        return at;
    }

    long millis() {
        if (!millisRead) {
            Instant at = instant;
            millis = at != null ? at.toEpochMilli() : clock.millis();
            millisRead = true;
        }
        return millis;
    }

    /** The session clock now, for threads other than the driving one (the deadline scan, heartbeats). */
    long clockMillis() {
        return clock.millis();
    }
}
