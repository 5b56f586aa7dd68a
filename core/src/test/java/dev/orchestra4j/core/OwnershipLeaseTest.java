package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The ownership lease (SPEC §10) is configured on the StateManager and runs on the session clock: with a lease of an
 * hour, moving the clock is all a recovery waits for, and a live owner's heartbeat is driven by the same clock.
 */
final class OwnershipLeaseTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.atEpoch();
    private final AtomicInteger aCalls = new AtomicInteger();
    private final AtomicInteger bCalls = new AtomicInteger();
    private final CountDownLatch bStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private final Topology topology = Topology.builder()
            .edge("Start -> A")
            .edge("A -> B")
            .edge("B -> End")
            .build();

    /** B blocks on its first call (the owner that "dies" or stays alive), and finishes on any later call. */
    private final AgentRegistry agents = AgentRegistry.create()
            .register("A", r -> {
                aCalls.incrementAndGet();
                return AgentResponse.handOff("B", "a");
            })
            .register("B", r -> {
                if (bCalls.incrementAndGet() == 1) {
                    bStarted.countDown();
                    release.await();
                }
                return AgentResponse.finish("done");
            });

    private OrchestraInstance instance(StorageBackend storage) {
        return LeasedProcess.over(storage, topology, agents, clock, HOUR);
    }

    @Test
    void recoverSession_ownerDiedAndTheClockPassesTheLease_takesOverWithoutWaitingAnHour() throws Exception {
        StorageBackend storage = StorageBackends.inMemory();
        OrchestraInstance dying = instance(storage);
        SessionHandle doomed = dying.start("t", Map.of("session_id", "lease-1"));
        assertThat(bStarted.await(10, TimeUnit.SECONDS)).isTrue();
        StorageBackend afterCrash = LeasedProcess.deadCopy(storage, "lease-1"); // RUNNING, in B, A journaled
        dying.close();
        doomed.result().handle((r, e) -> r).get(10, TimeUnit.SECONDS);

        OrchestraInstance recoverer = instance(afterCrash);
        long wallStart = System.nanoTime();
        CompletableFuture<OrchestraResult> recovered =
                CompletableFuture.supplyAsync(() -> recoverer.recoverSession("lease-1", Map.of()));
        clock.advance(HOUR.plusSeconds(1)); // the lease passes on the session clock only

        assertThat(recovered.get(20, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).isLessThan(Duration.ofSeconds(20));
        assertThat(bCalls)
                .as("B ran in the dead owner and once more in the recoverer")
                .hasValue(2);
        assertThat(aCalls)
                .as("A's step, committed before the crash, did not run again")
                .hasValue(1);
    }

    @Test
    void recoverSession_ownerHeartbeatsOnTheSessionClock_isRefusedAsAlive() throws Exception {
        StorageBackend storage = StorageBackends.inMemory();
        OrchestraInstance owner = instance(storage);
        SessionHandle running = owner.start("t", Map.of("session_id", "lease-2"));
        assertThat(bStarted.await(10, TimeUnit.SECONDS)).isTrue();
        StateManager reader = new StateManager(storage);

        OrchestraInstance recoverer = instance(storage);
        CompletableFuture<OrchestraResult> stolen =
                CompletableFuture.supplyAsync(() -> recoverer.recoverSession("lease-2", Map.of()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!stolen.isDone()) {
            assertThat(System.nanoTime())
                    .as("the recoverer never saw the heartbeat")
                    .isLessThan(deadline);
            long version = reader.loadSession("lease-2").orElseThrow().version();
            clock.advance(Duration.ofSeconds(2)); // one heartbeat interval and more: the owner re-writes
            while (reader.loadSession("lease-2").orElseThrow().version() == version) {
                assertThat(System.nanoTime())
                        .as("no heartbeat after the clock moved")
                        .isLessThan(deadline);
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        assertThatThrownBy(stolen::get)
                .hasCauseInstanceOf(SessionException.class)
                .cause()
                .hasMessageContaining("lease-2")
                .hasMessageContaining("alive");
        release.countDown();
        assertThat(running.result().get(20, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(bCalls).as("the step in flight ran once, in its owner").hasValue(1);
    }

    @Test
    void pauseSession_whileRecoverSessionWatchesTheLease_isTaken_andTheRecoveredLegPausesBeforeItsFirstStep()
            throws Exception {
        StorageBackend storage = StorageBackends.inMemory();
        OrchestraInstance dying = instance(storage);
        SessionHandle doomed = dying.start("t", Map.of("session_id", "lease-3"));
        assertThat(bStarted.await(10, TimeUnit.SECONDS)).isTrue();
        StorageBackend afterCrash = LeasedProcess.deadCopy(storage, "lease-3"); // RUNNING in B, written a moment ago
        dying.close();
        doomed.result().handle((r, e) -> r).get(10, TimeUnit.SECONDS);
        OrchestraInstance recoverer = instance(afterCrash);
        CompletableFuture<Thread> watcher = new CompletableFuture<>();
        CompletableFuture<OrchestraResult> recovered = CompletableFuture.supplyAsync(() -> {
            watcher.complete(Thread.currentThread());
            return recoverer.recoverSession("lease-3", Map.of());
        });
        Thread watching = watcher.get(10, TimeUnit.SECONDS);
        while (watching.getState() != Thread.State.TIMED_WAITING) {
            assertThat(recovered).as("still watching the dead owner's lease").isNotDone();
            Thread.onSpinWait(); // until it parks in the lease watch (an hour on the session clock)
        }

        assertThat(recoverer.pauseSession("lease-3", "operator pause"))
                .as("a leg is starting: the pause is kept for it, not refused")
                .isTrue();
        clock.advance(HOUR.plusSeconds(1));

        OrchestraResult result = recovered.get(20, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(RunStatus.PAUSED);
        assertThat(bCalls)
                .as("B, in flight at the crash, did not run again before the pause")
                .hasValue(1);
        release.countDown();
        assertThat(recoverer.resumeSession("lease-3", Map.of()).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(bCalls).hasValue(2);
        assertThat(aCalls)
                .as("A's step, committed before the crash, did not run again")
                .hasValue(1);
        assertThat(recoverer.pauseSession("lease-3", "nothing runs"))
                .as("no leg runs or starts: nothing to pause")
                .isFalse();
    }

    @Test
    void builder_leaseNotLongerThanHeartbeat_isRejectedNamingBoth() {
        StateManager.Builder builder = StateManager.builder(StorageBackends.inMemory())
                .heartbeatInterval(Duration.ofSeconds(5))
                .leaseTimeout(Duration.ofSeconds(5));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("leaseTimeout (PT5S)")
                .hasMessageContaining("heartbeatInterval (PT5S)");
        assertThatThrownBy(
                        () -> StateManager.builder(StorageBackends.inMemory()).heartbeatInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("heartbeatInterval must be positive, was PT0S");
    }
}
