package dev.orchestra4j.core.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.topology.Topology;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SPEC §8: a slow or throwing listener never slows or breaks a run. */
final class EventBusTest {

    private static final int STEPS = 40;

    private static Topology pipeline() {
        Topology.Builder b = Topology.builder().edge("Start -> s0");
        for (int i = 0; i < STEPS - 1; i++) {
            b.edge("s" + i + " -> s" + (i + 1));
        }
        return b.edge("s" + (STEPS - 1) + " -> End").build();
    }

    private static AgentRegistry agents() {
        AgentRegistry agents = AgentRegistry.create();
        for (int i = 0; i < STEPS; i++) {
            String next = "s" + (i + 1);
            agents.register(
                    "s" + i,
                    i == STEPS - 1 ? r -> AgentResponse.finish("done") : r -> AgentResponse.handOff(next, "x"));
        }
        return agents;
    }

    @Test
    void run_withBlockedAndThrowingListeners_completesAndAHealthyListenerStillSeesEverything() throws Exception {
        CountDownLatch neverReleased = new CountDownLatch(1);
        AtomicInteger blockedCalls = new AtomicInteger();
        AtomicInteger thrown = new AtomicInteger();
        List<OrchestraEvent> healthy = new CopyOnWriteArrayList<>();
        CountDownLatch healthyDone = new CountDownLatch(1);

        OrchestraResult result = Orchestra.run(
                "go",
                pipeline(),
                RunOptions.builder()
                        .agents(agents())
                        .listener(e -> {
                            blockedCalls.incrementAndGet();
                            try {
                                neverReleased.await();
                            } catch (InterruptedException ex) {
                                Thread.currentThread().interrupt();
                            }
                        })
                        .listener(e -> {
                            thrown.incrementAndGet();
                            throw new IllegalStateException("listener bug");
                        })
                        .listener(e -> {
                            healthy.add(e);
                            if (e instanceof OrchestraEvent.RunCompleted) {
                                healthyDone.countDown();
                            }
                        })
                        .build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.totalSteps()).isEqualTo(STEPS);
        assertThat(healthyDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(healthy)
                .filteredOn(OrchestraEvent.StepCompleted.class::isInstance)
                .hasSize(STEPS);
        assertThat(blockedCalls).hasValue(1);
        assertThat(thrown.get()).as("the throwing listener kept being called").isPositive();
        neverReleased.countDown();
    }

    @Test
    void publish_queueOfABlockedListenerIsFull_dropsInsteadOfBlockingThePublisher() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EventBus bus = EventBus.of(
                List.of(e -> {
                    try {
                        release.await();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }),
                List.of());
        Thread publisher = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 50_000; i++) {
                bus.publish(new OrchestraEvent.RunResumed("s", Instant.EPOCH, null));
            }
        });

        publisher.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(publisher.isAlive())
                .as("the publisher must never wait for a listener")
                .isFalse();
        release.countDown();
        bus.close();
    }

    @Test
    void close_queueOfAStuckListenerIsFull_returnsWithoutWaitingForIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        List<OrchestraEvent> seen = new CopyOnWriteArrayList<>();
        EventBus bus = EventBus.of(
                List.of(e -> {
                    seen.add(e);
                    stuck.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }),
                List.of());
        for (int i = 0; i < 20_000; i++) {
            bus.publish(new OrchestraEvent.RunResumed("s", Instant.EPOCH, null));
        }

        // the listener holds an event when the bus closes (else, on a busy machine, its thread may not have taken one
        // yet, and then the bus rightly closes with nothing delivered)
        assertThat(stuck.await(20, TimeUnit.SECONDS))
                .as("the listener took its first event")
                .isTrue();

        Thread closer = Thread.ofVirtual().start(bus::close);
        closer.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(closer.isAlive())
                .as("closing the bus (the end of every run) must never wait for a stuck listener")
                .isFalse();
        release.countDown();
        assertThat(seen).isNotEmpty();
    }
}
