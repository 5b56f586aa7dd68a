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
 *
 * <p>On the JDK's system clock (the default) outside a simulation, an event's time is one {@code System.nanoTime}
 * reading, turned into an instant through an anchor (a pair of readings of both clocks, renewed every second, so the
 * two never drift apart by more than the wall clock's slew in a second); an inline step's end is the reading its
 * duration was measured with, and the turn's settling continues that event; the next inline step, when only the
 * engine's routing ran in between, starts at that same reading ({@link #stepStart}). A step then costs one clock read,
 * not four. On any other clock (a test's, a simulation's) every event reads that clock, as it says.
 */
final class EventTime {

    /** No monotonic reading: the event's time is not known yet, or the clock is not the system's. */
    static final long UNKNOWN = Long.MIN_VALUE;

    /** How long an anchor serves before both clocks are read again. */
    private static final long ANCHOR_NANOS = 1_000_000_000L;

    private final Clock clock;
    /** Event times are monotonic readings anchored to {@link #clock} (the system clock, outside a simulation). */
    private final boolean monotonic;

    private long anchorNanos = UNKNOWN;
    /** The anchor's wall time, in nanoseconds since the epoch (fits a long until the year 2262). */
    private long anchorEpochNanos;

    private @Nullable Instant instant;
    private long millis;
    private boolean millisRead;
    /** The event's monotonic reading ({@link #monotonic} only), or {@link #UNKNOWN} until first asked for. */
    private long nanos = UNKNOWN;
    /** The event began at an inline step's end and nothing happened since: the turn's settling continues it. */
    private boolean continued;
    /** Read the clock at each tick (a journaled session: its inputs carry their instants, for replay). */
    private boolean eager;
    /**
     * The current event's reading when it is an inline step's end and the session has written nothing since (not
     * journaled), else {@link #UNKNOWN}: a step started within this event may start at it ({@link #stepStart}).
     */
    private long stepEnd = UNKNOWN;

    /**
     * {@code monotonicAllowed}: whether step durations come from {@code System.nanoTime} (no simulation), so that event
     * times may too when {@code clock} is the system clock.
     */
    EventTime(Clock clock, boolean monotonicAllowed) {
        this.clock = clock;
        this.monotonic = monotonicAllowed && isSystem(clock);
    }

    EventTime(Clock clock) {
        this(clock, false);
    }

    /** Whether {@code clock} is the JDK's system clock (in any zone): its instants are the wall clock's. */
    static boolean isSystem(Clock clock) {
        return clock.getClass() == Clock.systemUTC().getClass();
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
        begin(UNKNOWN);
    }

    /**
     * A new event at {@code atNanos}, a {@code System.nanoTime} reading the shell just took (an inline step's end; {@link
     * #UNKNOWN} when it took none): no clock is read for it, and the settling that ends the turn continues it.
     */
    void tickAt(long atNanos) {
        begin(monotonic ? atNanos : UNKNOWN);
        continued = nanos != UNKNOWN;
        stepEnd = continued && !eager ? atNanos : UNKNOWN;
    }

    /**
     * Where the next inline step's duration starts, when it may start where the last one ended: the event is still
     * that step's end (only the engine's own routing of its outcome has run since, no signal, no journal write, no
     * second turn) and nobody listens ({@code listened}: no listener code ran either). The step then costs one clock
     * read, not two, and its duration includes that routing, a few hundred nanoseconds. Else {@link #UNKNOWN}: the
     * caller reads the clock. Each end serves one step at most.
     */
    long stepStart(boolean listened) {
        long at = stepEnd;
        stepEnd = UNKNOWN;
        return listened ? UNKNOWN : at;
    }

    /** The end of a turn ({@link Machine#settle}): a new event, unless the turn's last event was {@link #tickAt}. */
    void settling() {
        if (!continued) {
            begin(UNKNOWN);
        }
        continued = false;
    }

    private void begin(long atNanos) {
        stepEnd = UNKNOWN;
        instant = null;
        millisRead = false;
        nanos = atNanos;
        continued = false;
        if (eager) {
            Instant at = now();
            millis = at.toEpochMilli();
            millisRead = true;
        }
    }

    /**
     * The monotonic reading of the event (read now when the event has none yet), or {@link #UNKNOWN} when event times
     * come from the session clock.
     */
    long nanos() {
        if (!monotonic) {
            return UNKNOWN;
        }
        long n = nanos;
        if (n == UNKNOWN) {
            n = System.nanoTime();
            nanos = n;
        }
        return n;
    }

    Instant now() {
        Instant at = instant;
        if (at == null) {
            at = monotonic ? instantAt(nanos()) : clock.instant();
            instant = at;
        }
        return at;
    }

    long millis() {
        if (!millisRead) {
            Instant at = instant;
            if (at != null) {
                millis = at.toEpochMilli();
            } else if (monotonic) {
                millis = Math.floorDiv(epochNanos(nanos()), 1_000_000L);
            } else {
                millis = clock.millis();
            }
            millisRead = true;
        }
        return millis;
    }

    /**
     * The wall-clock instant of the monotonic reading {@code atNanos} (driving thread only), or the session clock's now
     * when event times do not come from monotonic readings.
     */
    Instant instantAt(long atNanos) {
        if (!monotonic || atNanos == UNKNOWN) {
            return clock.instant();
        }
        return Instant.ofEpochSecond(0, epochNanos(atNanos));
    }

    /**
     * The wall-clock time of the monotonic reading {@code atNanos} in nanoseconds since the epoch (driving thread only),
     * or {@link #UNKNOWN} when event times do not come from monotonic readings ({@link #instantAt} then reads the
     * session clock). Allocates nothing: a step's start is kept this way until an instant is asked of it.
     */
    long epochNanosAt(long atNanos) {
        return !monotonic || atNanos == UNKNOWN ? UNKNOWN : epochNanos(atNanos);
    }

    private long epochNanos(long atNanos) {
        if (anchorNanos == UNKNOWN || atNanos - anchorNanos > ANCHOR_NANOS || atNanos - anchorNanos < -ANCHOR_NANOS) {
            long before = System.nanoTime();
            Instant wall = clock.instant();
            anchorNanos = before;
            anchorEpochNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        }
        return anchorEpochNanos + (atNanos - anchorNanos);
    }

    /** The session clock now, for threads other than the driving one (the deadline scan, heartbeats). */
    long clockMillis() {
        return clock.millis();
    }
}
