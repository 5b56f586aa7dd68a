package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scanner keeps one alarm per session and looks at a session only when its alarm rings (no polling, D26). */
final class DeadlineScannerTest {

    private final DeadlineScanner scanner = new DeadlineScanner();
    private final Clock clock = Clock.systemUTC();

    @Test
    void arm_laterThanArmed_keepsOneEntryForTheEarlierInstant() {
        DeadlineScanner.Alarm alarm = scanner.register(() -> {}, clock);
        long now = clock.millis();

        alarm.arm(now + TimeUnit.HOURS.toMillis(1));
        for (int step = 0; step < 1_000; step++) {
            alarm.arm(now + TimeUnit.HOURS.toMillis(2) + step);
        }

        assertThat(scanner.armed()).isEqualTo(1);
    }

    @Test
    void arm_nearerThanTheThreadSleepsTowards_wakesItAndScansOnce() throws InterruptedException {
        CountDownLatch rang = new CountDownLatch(1);
        AtomicInteger scans = new AtomicInteger();
        DeadlineScanner.Alarm far = scanner.register(() -> {}, clock);
        DeadlineScanner.Alarm near = scanner.register(
                () -> {
                    scans.incrementAndGet();
                    rang.countDown();
                },
                clock);
        far.arm(clock.millis() + TimeUnit.HOURS.toMillis(1)); // the thread now sleeps for an hour

        near.arm(clock.millis() + 20);

        assertThat(rang.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(scans).hasValue(1);
        assertThat(scanner.armed()).isEqualTo(1); // the far alarm only; the rung one was taken off
    }

    @Test
    void arm_laterThanTheThreadSleepsTowards_doesNotWakeIt_evenWhenFirst() {
        DeadlineScanner.Alarm previous = scanner.register(() -> {}, clock);
        previous.arm(clock.millis() + TimeUnit.HOURS.toMillis(1) / 2);
        long sleeping;
        while ((sleeping = scanner.sleepsTowards()) == Long.MIN_VALUE
                || sleeping == Long.MAX_VALUE
                || !scanner.isParked()) {
            // until the thread is parked towards the previous leg's deadline: before it parks, it looks at the entries
            // once more, and a close() that slipped in between rightly leaves it nothing to sleep towards
            Thread.onSpinWait();
        }
        previous.close(); // that leg ended: its entry is gone, the thread still sleeps towards it
        int before = scanner.wakeUps.get();

        scanner.register(() -> {}, clock).arm(clock.millis() + TimeUnit.HOURS.toMillis(1)); // the next leg's step

        assertThat(scanner.armed()).isEqualTo(1);
        assertThat(scanner.wakeUps).hasValue(before); // it wakes at the earlier instant anyway and looks again
    }

    /**
     * The thread sleeps towards a leg's deadline after that leg ended: it must not keep the session reachable (it kept
     * the entry it looked at in a local while parked, and with it the session's coordinator and last result, for up to
     * an hour).
     */
    @Test
    void parkedTowardsAClosedAlarm_keepsNothingOfItsSession() {
        Object session = new Object();
        java.lang.ref.WeakReference<Object> held = new java.lang.ref.WeakReference<>(session);
        DeadlineScanner.Alarm alarm = scanner.register(session::hashCode, clock);
        alarm.arm(clock.millis() + TimeUnit.HOURS.toMillis(1) / 2);
        while (scanner.sleepsTowards() == Long.MIN_VALUE
                || scanner.sleepsTowards() == Long.MAX_VALUE
                || !scanner.isParked()) {
            Thread.onSpinWait(); // until the thread is parked towards this alarm's deadline
        }
        alarm.close(); // the leg ended; the thread still sleeps towards its deadline
        alarm = null;
        session = null;

        for (int i = 0; i < 10 && held.get() != null; i++) {
            System.gc(); // a full collection on HotSpot's collectors unless explicitly disabled
        }

        assertThat(scanner.isParked()).isTrue(); // it did not wake: only its stack could have held the session
        assertThat(held.get())
                .as("the session of an alarm the thread sleeps towards")
                .isNull();
    }

    @Test
    void close_armedAlarm_leavesNothingBehindAndNeverRings() {
        AtomicInteger scans = new AtomicInteger();
        DeadlineScanner.Alarm alarm = scanner.register(scans::incrementAndGet, clock);
        alarm.arm(clock.millis() + TimeUnit.HOURS.toMillis(1));

        alarm.close();
        alarm.arm(clock.millis()); // a late arm after the leg ended

        assertThat(scanner.armed()).isZero();
        assertThat(scans).hasValue(0);
    }

    @Test
    void arm_manyThreadsArmingAndClosingAtOnce_scannerThreadSurvivesAndStillRings() throws Exception {
        Thread[] churn = new Thread[4];
        for (int t = 0; t < churn.length; t++) {
            churn[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200_000; i++) {
                    DeadlineScanner.Alarm alarm = scanner.register(() -> {}, clock);
                    alarm.arm(clock.millis() + TimeUnit.HOURS.toMillis(1) - i); // each nearer: wakes the thread
                    alarm.close(); // the queue empties again while the thread looks at it
                }
            });
        }
        for (Thread t : churn) {
            t.join();
        }
        CountDownLatch rang = new CountDownLatch(1);

        scanner.register(rang::countDown, clock).arm(clock.millis());

        assertThat(rang.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void none_arm_schedulesNothing() {
        DeadlineScanner.Alarm.NONE.arm(0);

        assertThat(scanner.armed()).isZero();
    }
}
