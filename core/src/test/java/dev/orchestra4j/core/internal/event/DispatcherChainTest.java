package dev.orchestra4j.core.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One listener's dispatchers across a session's legs: the next leg's delivers only after the last leg's has finished,
 * and a leg never waits for a dispatcher queued behind one whose listener is calling back into the session — also when
 * that call begins while the leg already waits (found by an adversarial run: the leg sat out the 5 s bound, and the
 * listener's call with it).
 */
final class DispatcherChainTest {

    private static OrchestraEvent event(String session) {
        return new OrchestraEvent.RunResumed(session, Instant.EPOCH, null);
    }

    /** Waits until {@code t} is parked, at most 10 s: the state the test sets up, not a time it sleeps. */
    private static void awaitParked(Thread t) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("%s parks", t.getName()).isLessThan(until);
            Thread.onSpinWait();
        }
    }

    @Test
    void aLegWaitingForItsDispatcher_stopsWaitingWhenTheOneAheadCallsBack() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch callBack = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CountDownLatch secondDelivered = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        OrchestraListener listener = e -> {
            seen.add(e.sessionId());
            if (e.sessionId().equals("leg 2")) {
                secondDelivered.countDown();
            }
            if (e.sessionId().equals("leg 1")) {
                inside.countDown();
                await(callBack);
                Dispatcher.releaseCurrent(); // as a respond() from onEvent does before it blocks
                await(finish);
            }
        };
        Dispatcher first = new Dispatcher(listener, 16, null);
        first.offer(event("leg 1"));
        first.close();
        Dispatcher second = new Dispatcher(listener, 16, first);
        second.offer(event("leg 2"));
        second.close();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        Thread closing = Thread.ofPlatform().name("leg 2 closing").start(() -> second.await(Duration.ofSeconds(30)));
        awaitParked(closing); // the leg waits for its dispatcher before the listener calls back
        callBack.countDown();

        closing.join(TimeUnit.SECONDS.toMillis(2));
        assertThat(closing.isAlive())
                .as("the closing leg still waits for a dispatcher queued behind a call back")
                .isFalse();
        assertThat(seen).as("the next leg's events wait behind the call").containsExactly("leg 1");
        finish.countDown(); // the call returns: the next leg's events follow
        assertThat(secondDelivered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("leg 1", "leg 2");
    }

    @Test
    void theNextLegsDispatcher_deliversOnlyAfterTheLastLegsHasFinished() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        OrchestraListener listener = e -> {
            if (e.sessionId().equals("leg 1 a")) {
                await(release);
            }
            seen.add(e.sessionId());
        };
        Dispatcher first = new Dispatcher(listener, 16, null);
        first.offer(event("leg 1 a"));
        first.offer(event("leg 1 b"));
        Dispatcher second = new Dispatcher(listener, 16, first);
        second.offer(event("leg 2"));
        second.close();
        first.close();

        release.countDown();
        second.await(Duration.ofSeconds(10));

        assertThat(seen).containsExactly("leg 1 a", "leg 1 b", "leg 2");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
