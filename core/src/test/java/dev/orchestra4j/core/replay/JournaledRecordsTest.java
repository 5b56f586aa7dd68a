package dev.orchestra4j.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step's record travels with the step's commit (issue #19): no write of its own, exactly one journal append per
 * committed step, and the records survive compaction, which moves them to the recording in one append before the
 * journal is truncated, crash-safe: a crash between that copy and the truncation neither loses nor duplicates one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class JournaledRecordsTest {

    private static final Topology PING_PONG = Topology.builder()
            .edge("Start -> Ping")
            .edge("Ping <-> Pong")
            .edge("Ping -> End")
            .edge("Pong -> End")
            .build();

    private final StorageBackend memory = StorageBackends.inMemory();

    /** Counts appends per journal and dies (every write fails) at the chosen write after a recording append. */
    private static final class CountingBackend extends ForwardingStorageBackend {
        final AtomicInteger sessionAppends = new AtomicInteger();
        final AtomicInteger recordingAppends = new AtomicInteger();
        volatile Death death = Death.NEVER;
        volatile boolean armed;
        volatile boolean dead;

        CountingBackend(StorageBackend delegate) {
            super(delegate);
        }

        private void alive() {
            if (dead) {
                throw new StateException("the process died (simulated)");
            }
        }

        private void dieIf(Death at) {
            if (armed && death == at) {
                dead = true;
            }
            alive();
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            alive();
            long last = super.appendJournal(key, expectedLastSequence, entries);
            if (key.startsWith("recordings/")) {
                recordingAppends.incrementAndGet();
                armed = true;
            } else {
                sessionAppends.incrementAndGet();
            }
            return last;
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            dieIf(Death.AT_THE_SNAPSHOT_AFTER_THE_COPY);
            return super.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
            dieIf(Death.AT_THE_SNAPSHOT_AFTER_THE_COPY);
            return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
        }

        @Override
        public void truncateJournal(String key, long throughSequence) {
            dieIf(Death.AT_THE_TRUNCATION_AFTER_THE_COPY);
            super.truncateJournal(key, throughSequence);
        }
    }

    private enum Death {
        NEVER,
        AT_THE_SNAPSHOT_AFTER_THE_COPY,
        AT_THE_TRUNCATION_AFTER_THE_COPY
    }

    private static OrchestraInstance instance(StorageBackend storage, int steps, boolean record) {
        return OrchestraInstance.builder()
                .topology(PING_PONG)
                .agents(AgentRegistry.create()
                        .register("Ping", turn("Pong", steps))
                        .register("Pong", turn("Ping", steps)))
                .stateManager(new StateManager(storage))
                .record(record)
                .maxSteps(steps + 1)
                .build();
    }

    private static Agent turn(String other, int steps) {
        return r -> r.step() >= steps
                ? AgentResponse.finish("done at " + r.step())
                : AgentResponse.handOff(other, "turn " + r.step());
    }

    private static OrchestraResult run(StorageBackend storage, String id, int steps, boolean record) {
        return instance(storage, steps, record).execute("go", Map.of("session_id", id), steps + 1);
    }

    /** Step numbers of every record stored: the recording's, then those its journal holds beyond the last moved. */
    private List<Integer> storedRecords(String id) {
        StateManager manager = new StateManager(memory);
        List<Integer> steps = new ArrayList<>();
        long moved = 0;
        for (JournalEvent event : manager.readRecording(id, 0)) {
            steps.add(event.data().path("step").asInt());
            moved = Math.max(moved, event.data().path("journalSequence").asLong());
        }
        for (JournalEvent event : manager.readEvents(id, moved)) {
            event.data().path("records").forEach(r -> steps.add(r.path("step").asInt()));
        }
        return steps;
    }

    private static List<Integer> oneTo(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void recordedRun_eachStepsRecordRidesInItsCommit_noAppendOfItsOwn() {
        CountingBackend off = new CountingBackend(StorageBackends.inMemory());
        CountingBackend on = new CountingBackend(memory);

        assertThat(run(off, "off-1", 10, false).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run(on, "on-1", 10, true).status()).isEqualTo(RunStatus.COMPLETED);

        assertThat(on.sessionAppends)
                .as("recording adds no journal append per step")
                .hasValue(off.sessionAppends.get());
        assertThat(on.recordingAppends)
                .as("nor a recording append: a short run's records stay in its journal")
                .hasValue(0);
        List<JsonNode> entries = new StateManager(memory)
                .readEvents("on-1", 0).stream()
                        .map(JournalEvent::data)
                        .filter(e -> e.has("records"))
                        .toList();
        assertThat(entries)
                .as("every commit carries exactly the record of the step it commits")
                .allSatisfy(e -> assertThat(e.path("records").size()).isOne());
        assertThat(entries.stream()
                        .map(e -> e.path("records").path(0).path("step").asInt())
                        .toList())
                .isEqualTo(oneTo(10));
        assertThat(Recording.read(new StateManager(memory), "on-1").steps())
                .extracting(RecordedStep::step)
                .isEqualTo(oneTo(10));
    }

    @Test
    void longRecordedRun_compactionsMoveTheRecordsInOneAppendEach_noneLost() {
        CountingBackend storage = new CountingBackend(memory);

        OrchestraResult result = run(storage, "long-1", 300, true);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(storage.recordingAppends)
                .as("one recording append per compaction (64, 128, 256 steps), not per step")
                .hasValueBetween(1, 4);
        assertThat(storedRecords("long-1")).as("every step's record, once").isEqualTo(oneTo(300));
        assertThat(Recording.read(new StateManager(memory), "long-1").steps())
                .extracting(RecordedStep::step)
                .isEqualTo(oneTo(300));
    }

    @Test
    void crashAfterTheCopyBeforeTheCompactionSnapshot_recoveryLosesAndDuplicatesNoRecord() {
        crashAfterTheCopy(Death.AT_THE_SNAPSHOT_AFTER_THE_COPY, "crash-1");
    }

    @Test
    void crashAfterTheCopyBeforeTheTruncation_recoveryLosesAndDuplicatesNoRecord() {
        crashAfterTheCopy(Death.AT_THE_TRUNCATION_AFTER_THE_COPY, "crash-2");
    }

    private void crashAfterTheCopy(Death death, String id) {
        CountingBackend first = new CountingBackend(memory);
        first.death = death;

        assertThatThrownBy(() -> run(first, id, 100, true))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("the process died");
        assertThat(first.recordingAppends)
                .as("the copy happened before the crash")
                .hasValue(1);

        OrchestraResult recovered = instance(memory, 100, true).recoverSession(id, Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(recovered.totalSteps()).isEqualTo(100);
        assertThat(storedRecords(id)).as("every step's record, stored once").isEqualTo(oneTo(100));
        assertThat(Recording.read(new StateManager(memory), id).steps())
                .extracting(RecordedStep::step)
                .isEqualTo(oneTo(100));
    }

    @Test
    void restoreCheckpoint_movesTheRecordsTheJournalHolds_beforeDroppingIt() {
        OrchestraInstance instance = instance(memory, 10, true);
        StateManager manager = new StateManager(memory);
        assertThat(instance.execute("go", Map.of("session_id", "restore-1"), 11).status())
                .isEqualTo(RunStatus.COMPLETED);
        String checkpoint = manager.createCheckpoint("restore-1", "after");
        assertThat(manager.readRecording("restore-1", 0))
                .as("the records are still in the journal")
                .isEmpty();

        instance.restoreCheckpoint(checkpoint);

        assertThat(storedRecords("restore-1")).isEqualTo(oneTo(10));
        assertThat(manager.readRecording("restore-1", 0)).hasSize(10);
    }
}
