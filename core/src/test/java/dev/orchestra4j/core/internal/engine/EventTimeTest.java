package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link EventTime}'s two ways of telling an event's time: from the session clock (any clock but the system's, and
 * always in a simulation), and from {@code System.nanoTime} anchored to the system clock, where an inline step's end
 * reading is the next event's time and the turn's settling continues it.
 */
final class EventTimeTest {

    @Test
    void onTheSystemClock_eventTimesAreMonotonicReadingsAnchoredToTheWallClock() {
        EventTime time = new EventTime(Clock.systemUTC(), true);

        Instant before = Instant.now();
        time.tick();
        Instant at = time.now();
        long millis = time.millis();
        Instant after = Instant.now();

        assertThat(time.nanos()).as("the event has a monotonic reading").isNotEqualTo(EventTime.UNKNOWN);
        assertThat(at).isBetween(before.minusMillis(1), after.plusMillis(1));
        assertThat(millis).as("millis and instant are one reading").isEqualTo(at.toEpochMilli());
        assertThat(time.now()).as("one event, one instant").isSameAs(at);
    }

    @Test
    void anInlineStepsEndReading_isTheEventsTime_andSettlingContinuesIt() {
        EventTime time = new EventTime(Clock.systemUTC(), true);
        time.tick();
        long start = time.nanos();
        long end = start + 2_500_000; // the step took 2.5 ms

        time.tickAt(end);
        Instant ended = time.now();
        time.settling();

        assertThat(time.nanos()).as("settling continues the step's end").isEqualTo(end);
        assertThat(time.now()).isEqualTo(ended);
        assertThat(Duration.between(time.instantAt(start), ended)).isEqualTo(Duration.ofNanos(2_500_000));
        assertThat(time.millis()).isEqualTo(ended.toEpochMilli());

        time.settling();
        assertThat(time.nanos()).as("a second settling is a new event").isNotEqualTo(end);
    }

    @Test
    void anEventBetweenTheStepsEndAndTheSettling_makesTheSettlingANewEvent() {
        EventTime time = new EventTime(Clock.systemUTC(), true);
        time.tick();
        long end = time.nanos() - 5_000_000; // a reading taken 5 ms ago

        time.tickAt(end);
        time.tick(); // a signal taken meanwhile
        long signal = time.nanos();
        time.settling();

        assertThat(signal).isGreaterThan(end);
        assertThat(time.nanos()).as("settling after another event reads again").isGreaterThanOrEqualTo(signal);
    }

    @Test
    void anyOtherClock_isReadForEveryEvent_andStepEndReadingsAreIgnored() {
        AtomicInteger reads = new AtomicInteger();
        Clock counting = new Clock() {
            private Instant at = Instant.parse("2026-12-04T00:00:00Z");

            @Override
            public ZoneId getZone() {
                return ZoneId.of("UTC");
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                reads.incrementAndGet();
                at = at.plusMillis(1);
                return at;
            }
        };
        EventTime time = new EventTime(counting, true);

        time.tick();
        Instant first = time.now();
        time.tickAt(System.nanoTime());
        Instant second = time.now();
        time.settling();
        Instant third = time.now();

        assertThat(time.nanos()).isEqualTo(EventTime.UNKNOWN);
        assertThat(second).as("the step's end reading is not this clock's").isEqualTo(first.plusMillis(1));
        assertThat(third).as("settling reads the clock again").isEqualTo(second.plusMillis(1));
        assertThat(reads).hasValue(3);
        assertThat(time.instantAt(123L)).isEqualTo(third.plusMillis(1));
    }

    @Test
    void theSystemClockInASimulation_isReadLikeAnyOtherClock() {
        EventTime time = new EventTime(Clock.systemUTC(), false);
        time.tickAt(42L);
        assertThat(time.nanos()).isEqualTo(EventTime.UNKNOWN);
        assertThat(EventTime.isSystem(Clock.systemDefaultZone())).isTrue();
        assertThat(EventTime.isSystem(Clock.fixed(Instant.EPOCH, ZoneId.of("UTC"))))
                .isFalse();
    }

    @Test
    void aJournaledSessionsEvents_readTheirTimeWhenTheyBegin() {
        EventTime time = new EventTime(Clock.systemUTC(), true);
        time.eager();
        time.tickAt(System.nanoTime());
        Instant ended = time.now();
        time.settling();
        assertThat(time.now())
                .as("the settling continues the step's end, whose instant was taken eagerly")
                .isSameAs(ended);
    }

    @Test
    void theNextInlineStep_startsAtTheLastOnesEnd_onceAndOnlyWithinThatEvent() {
        EventTime time = new EventTime(Clock.systemUTC(), true);
        time.tick();
        assertThat(time.stepStart(false))
                .as("a leg's first step reads the clock")
                .isEqualTo(EventTime.UNKNOWN);

        long end = System.nanoTime();
        time.tickAt(end);
        time.settling(); // the turn that routed the step's outcome
        assertThat(time.stepStart(false)).isEqualTo(end);
        assertThat(time.stepStart(false)).as("an end serves one step").isEqualTo(EventTime.UNKNOWN);

        time.tickAt(end + 10);
        assertThat(time.stepStart(true)).as("listener code may have run since").isEqualTo(EventTime.UNKNOWN);

        time.tickAt(end + 20);
        time.tick(); // a signal taken after the step
        assertThat(time.stepStart(false)).isEqualTo(EventTime.UNKNOWN);

        time.tickAt(end + 30);
        time.settling();
        time.settling(); // a second turn is a new event
        assertThat(time.stepStart(false)).isEqualTo(EventTime.UNKNOWN);
    }

    @Test
    void aStepStartsAtTheLastOnesEnd_neverInAJournaledSession_norOnAnotherClock() {
        EventTime journaled = new EventTime(Clock.systemUTC(), true);
        journaled.eager(); // its commit between the steps writes to storage, which takes time of its own
        journaled.tickAt(System.nanoTime());
        assertThat(journaled.stepStart(false)).isEqualTo(EventTime.UNKNOWN);

        EventTime simulated = new EventTime(Clock.systemUTC(), false);
        simulated.tickAt(42L);
        assertThat(simulated.stepStart(false)).isEqualTo(EventTime.UNKNOWN);

        EventTime fixed = new EventTime(Clock.fixed(Instant.EPOCH, ZoneId.of("UTC")), true);
        fixed.tickAt(42L);
        assertThat(fixed.stepStart(false)).isEqualTo(EventTime.UNKNOWN);
    }
}
