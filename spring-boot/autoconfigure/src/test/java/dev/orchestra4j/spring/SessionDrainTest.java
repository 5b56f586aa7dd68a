package dev.orchestra4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionHandle;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

final class SessionDrainTest {

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final OrchestraInstance instance = OrchestraInstance.builder()
            .topology(Topology.builder()
                    .edge("Start -> Slow")
                    .edge("Slow -> Next")
                    .edge("Next -> End")
                    .build())
            .agents(AgentRegistry.create()
                    .register("Slow", r -> {
                        entered.countDown();
                        release.await();
                        return AgentResponse.handOff("Next", "slow done");
                    })
                    .register("Next", r -> AgentResponse.finish("finished")))
            .stateManager(new StateManager(StorageBackends.inMemory()))
            .build();

    @Test
    void stop_runningSession_waitsForItToFinish() throws Exception {
        SessionHandle session = instance.start("task", Map.of());
        entered.await();

        drain(Duration.ofSeconds(30), 1).stop(); // the clock releases the agent once stop() has begun waiting

        assertThat(session.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void stop_sessionOutlivesDrainTimeout_isPausedAtItsNextStepBoundary() throws Exception {
        SessionHandle session = instance.start("task", Map.of());
        entered.await();

        // drain-timeout 0 expires at once (clock reads 1 and 2); the agent is released while stop() awaits the pause
        drain(Duration.ZERO, 3).stop();

        assertThat(session.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.PAUSED);
        assertThat(instance.listSessions()).singleElement().satisfies(s -> assertThat(s.running())
                .isFalse());
    }

    /** A drain whose fixed clock opens the agent's latch at its {@code releaseAt}-th reading. */
    private SessionDrain drain(Duration drainTimeout, int releaseAt) {
        InstanceProperties properties = new InstanceProperties();
        properties.setDrainTimeout(drainTimeout);
        properties.setPauseTimeout(Duration.ofSeconds(30));
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("instance", instance);
        return new SessionDrain(
                beans.getBeanProvider(OrchestraInstance.class), properties, new ReleasingClock(releaseAt, release));
    }

    private static final class ReleasingClock extends Clock {
        private final Instant now = Instant.parse("2026-12-03T06:00:00Z");
        private final AtomicInteger readings = new AtomicInteger();
        private final int releaseAt;
        private final CountDownLatch latch;

        ReleasingClock(int releaseAt, CountDownLatch latch) {
            this.releaseAt = releaseAt;
            this.latch = latch;
        }

        @Override
        public Instant instant() {
            if (readings.incrementAndGet() == releaseAt) {
                latch.countDown();
            }
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
