package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final class CountingBackend implements StorageBackend {
        private final StorageBackend inner = StorageBackends.inMemory();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public Optional<StoredValue> read(String key) {
            return inner.read(key);
        }

        @Override
        public long write(String key, byte[] value) {
            bytes.addAndGet(value.length);
            return inner.write(key, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            bytes.addAndGet(value.length);
            return inner.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public boolean delete(String key) {
            return inner.delete(key);
        }

        @Override
        public boolean compareAndDelete(String key, long expectedVersion) {
            return inner.compareAndDelete(key, expectedVersion);
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            entries.forEach(e -> bytes.addAndGet(e.length));
            return inner.appendJournal(key, expectedLastSequence, entries);
        }

        @Override
        public List<JournalEntry> readJournal(String key, long afterSequence) {
            return inner.readJournal(key, afterSequence);
        }

        @Override
        public long lastJournalSequence(String key) {
            return inner.lastJournalSequence(key);
        }

        @Override
        public void truncateJournal(String key, long throughSequence) {
            inner.truncateJournal(key, throughSequence);
        }

        @Override
        public List<String> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public int expireOlderThan(Duration age) {
            return inner.expireOlderThan(age);
        }

        @Override
        public String name() {
            return "counting";
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
