package dev.orchestra4j.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand; every timeout of a session measured with it fires only when the test says so. */
public final class MutableClock extends Clock {

    private final AtomicLong millis;
    /** How far every read moves the clock on (0: only {@link #advance} moves it). */
    private final long millisPerRead;

    MutableClock(Instant start) {
        this(start, 0);
    }

    private MutableClock(Instant start, long millisPerRead) {
        this.millis = new AtomicLong(start.toEpochMilli());
        this.millisPerRead = millisPerRead;
    }

    public static MutableClock atEpoch() {
        return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** A clock that moves on by {@code step} every time it is read (no two reads see the same time). */
    public static MutableClock movingOnEveryRead(Duration step) {
        return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"), step.toMillis());
    }

    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        return millis.getAndAdd(millisPerRead);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
