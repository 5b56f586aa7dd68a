package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Everything a checkpoint after every step writes — journal entries and the compaction snapshots, whose size grows with
 * the trace — stays flat per step from short runs to long ones (issue #11): compaction waits as many steps as the last
 * snapshot covered, so its total is bounded by a constant times the final snapshot.
 */
final class CompactionCadenceTest {

    /** Counts every byte written (values and journal entries). */
    private static final class CountingBackend extends ForwardingStorageBackend {
        final AtomicLong bytes = new AtomicLong();

        CountingBackend() {
            super(StorageBackends.inMemory());
        }

        @Override
        public long write(String key, byte[] value) {
            bytes.addAndGet(value.length);
            return super.write(key, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            bytes.addAndGet(value.length);
            return super.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
            bytes.addAndGet(value.length);
            return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            entries.forEach(e -> bytes.addAndGet(e.length));
            return super.appendJournal(key, expectedLastSequence, entries);
        }
    }

    private static double bytesPerStep(int steps) {
        CountingBackend storage = new CountingBackend();
        AgentRegistry agents =
                AgentRegistry.create().register("Ping", turn("Pong", steps)).register("Pong", turn("Ping", steps));
        Topology cycle = Topology.builder()
                .edge("Start -> Ping")
                .edge("Ping <-> Pong")
                .edge("Ping -> End")
                .edge("Pong -> End")
                .build();

        OrchestraResult result = Orchestra.run(
                "go",
                cycle,
                RunOptions.builder()
                        .agents(agents)
                        .maxSteps(steps + 1)
                        .stateManager(new StateManager(storage))
                        .build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.totalSteps()).isEqualTo(steps);
        return (double) storage.bytes.get() / steps;
    }

    private static Agent turn(String other, int steps) {
        return r -> r.step() >= steps
                ? AgentResponse.finish(Map.of("k", r.step()))
                : AgentResponse.handOff(other, Map.of("k", r.step()));
    }

    @Test
    void checkpointEveryStep_thousandSteps_writesNoMorePerStepThanTwoHundred() {
        double short200 = bytesPerStep(200);
        double long1000 = bytesPerStep(1_000);

        assertThat(long1000)
                .as("bytes per step: %.0f at 200 steps, %.0f at 1,000", short200, long1000)
                .isLessThan(short200 * 1.25);
    }
}
