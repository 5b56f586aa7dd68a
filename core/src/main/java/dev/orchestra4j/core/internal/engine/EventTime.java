package dev.orchestra4j.core.internal.engine;

import java.time.Clock;
import java.time.Instant;

/**
 * The time the session's decisions see (issue #11, point 1: the deciding classes take the time from the event they
 * handle, not from a clock). The coordinator reads the session clock once per event — a signal taken, deadlines
 * fired, an inline step returned, a leg driven — and every decision about that event, its deadlines, trace entries
 * and events, uses that one instant. Only the driving thread uses it; the scanner thread and step threads read
 * {@link #clockMillis()} or the clock itself.
 */
final class EventTime {

    private final Clock clock;
    private Instant instant;
    private long millis;

    EventTime(Clock clock) {
        this.clock = clock;
        tick();
    }

    /** A new event: the session clock is read once for it. */
    void tick() {
        instant = clock.instant();
        millis = instant.toEpochMilli();
    }

    Instant now() {
        return instant;
    }

    long millis() {
        return millis;
    }

    /** The session clock now, for threads other than the driving one (the deadline scan, heartbeats). */
    long clockMillis() {
        return clock.millis();
    }
}
