package dev.orchestra4j.state;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * A fixed clock that runs an action, once, when it is next read: backends read their clock inside their atomic
 * sections (to stamp a write), so the action runs at a known point inside one.
 */
final class TriggerClock extends Clock {

    private final Instant now;
    private volatile @Nullable Runnable onNextRead;

    TriggerClock(Instant now) {
        this.now = now;
    }

    /** Runs {@code action} on the thread that next reads this clock, before the read returns. */
    void onNextRead(Runnable action) {
        onNextRead = action;
    }

    @Override
    public Instant instant() {
        Runnable action = onNextRead;
        onNextRead = null;
        if (action != null) {
            action.run();
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock in UTC");
    }
}
