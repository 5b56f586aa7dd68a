package dev.orchestra4j.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step that ignores interrupts can outlive its leg (a cancel moves on without it). When it finally returns, its
 * result is discarded, and so must be its step record. Found by the simulation (seed 2670738499212217640) while records
 * were appended to the recording during the step: the late step's append moved the recording's fence past a restored
 * copy's new leg, whose next append was then fenced out as "taken over by another process". Records now ride in the
 * commit of their step, which a late step never reaches; this keeps it so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class LateStepRecordingTest {

    private static final Topology TWO_STEPS = Topology.builder()
            .edge("Start -> A")
            .edge("A -> B")
            .edge("B -> End")
            .build();

    @Test
    void stepOutlivesItsCancelledLeg_returnsDuringALegOfTheRestoredSession_thatLegCompletes() throws Exception {
        StateManager manager = new StateManager(StorageBackends.inMemory());
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> zombie = new AtomicReference<>();
        AtomicInteger aCalls = new AtomicInteger();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(TWO_STEPS)
                .agents(AgentRegistry.create()
                        .register("A", r -> {
                            if (aCalls.incrementAndGet() == 1) { // the first call ignores every interrupt
                                zombie.set(Thread.currentThread());
                                stuck.countDown();
                                awaitIgnoringInterrupts(release);
                                return AgentResponse.handOff("B", "late");
                            }
                            return AgentResponse.handOff("B", "from A");
                        })
                        .register("B", r -> {
                            release.countDown(); // the late step returns now, while this leg runs
                            zombie.get().join();
                            return AgentResponse.finish("done");
                        }))
                .stateManager(manager)
                .build();
        String id = instance.createSession("task", Map.of("session_id", "late-1"));
        String start = instance.createCheckpoint(id, "start");

        CompletableFuture<OrchestraResult> first =
                CompletableFuture.supplyAsync(() -> instance.resumeSession(id, Map.of()));
        stuck.await();
        instance.cancelSession(id);
        assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.CANCELLED);

        assertThat(instance.restoreCheckpoint(start)).isTrue();
        OrchestraResult second = instance.resumeSession(id, Map.of());

        assertThat(second.status()).as(second.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(second.finalResponse()).isEqualTo("done");
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                if (latch.await(10, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException ignored) {
                // a stuck agent: it does not give up
            }
        }
    }
}
