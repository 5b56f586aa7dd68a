package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The journal is the persistence (SPEC §4.1, §6, §9): a committed step appends what it changed, so bytes per step stay
 * flat as a run grows; recovery is the last snapshot plus the journal after it, and no committed step runs twice.
 */
final class JournalPersistenceTest {

    /** A backend that records what is written and can be cut off, like a process that dies. */
    private static final class RecordingBackend extends ForwardingStorageBackend {
        final List<Integer> appendedBytes = new CopyOnWriteArrayList<>();
        final AtomicInteger snapshotWrites = new AtomicInteger();
        volatile int appendsUntilDeath = Integer.MAX_VALUE;

        RecordingBackend() {
            super(StorageBackends.inMemory());
        }

        private void alive() {
            if (appendsUntilDeath < 0) {
                throw new StateException("the process is dead");
            }
        }

        @Override
        public long write(String key, byte[] value) {
            alive();
            return super.write(key, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            alive();
            snapshotWrites.incrementAndGet();
            return super.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
            alive();
            snapshotWrites.incrementAndGet();
            return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
        }

        @Override
        public boolean delete(String key) {
            alive();
            return super.delete(key);
        }

        @Override
        public boolean compareAndDelete(String key, long expectedVersion) {
            alive();
            return super.compareAndDelete(key, expectedVersion);
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            if (key.startsWith("recordings/")) { // the step recording (issue #19), not the journal measured here
                alive();
                return super.appendJournal(key, expectedLastSequence, entries);
            }
            if (--appendsUntilDeath < 0) {
                throw new StateException("the process is dead");
            }
            entries.forEach(e -> appendedBytes.add(e.length));
            return super.appendJournal(key, expectedLastSequence, entries);
        }

        @Override
        public void truncateJournal(String key, long throughSequence) {
            alive();
            super.truncateJournal(key, throughSequence);
        }

        @Override
        public String name() {
            return "recording";
        }
    }

    private final RecordingBackend storage = new RecordingBackend();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** S0 -> S1 -> … -> S(n-1) -> End, each agent counting its calls and passing a short text on. */
    private Topology pipeline(int n, AgentRegistry agents) {
        Topology.Builder t = Topology.builder().edge("Start -> S0");
        for (int i = 0; i < n; i++) {
            String name = "S" + i;
            String next = i == n - 1 ? "End" : "S" + (i + 1);
            t.edge(name + " -> " + next);
            agents.register(name, r -> {
                calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                return next.equals("End")
                        ? AgentResponse.finish("done")
                        : AgentResponse.handOff(next, "step of " + name);
            });
        }
        return t.build();
    }

    private OrchestraInstance instance(Topology t, AgentRegistry agents) {
        return OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .stateManager(new StateManager(storage))
                .maxSteps(1_000)
                .build();
    }

    @Test
    void committedSteps_appendFlatDeltasInsteadOfRewritingTheSession() {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = pipeline(300, agents);

        OrchestraResult result = instance(t, agents).execute("t", Map.of("session_id", "flat-1"), 1_000);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        List<Integer> appended = storage.appendedBytes;
        assertThat(appended).as("about one journal append per committed step").hasSizeGreaterThan(280);
        double early =
                appended.subList(20, 60).stream().mapToInt(i -> i).average().orElseThrow();
        double late = appended.subList(appended.size() - 50, appended.size() - 10).stream()
                .mapToInt(i -> i)
                .average()
                .orElseThrow();
        assertThat(late).as("bytes per step do not grow with the trace").isLessThan(early * 1.3);
        assertThat(storage.snapshotWrites.get())
                .as("full snapshots only at the leg's start and end and every 64 steps")
                .isLessThan(12);
    }

    @Test
    void recoverSession_afterTheOwnerDiedMidRun_replaysTheJournalAndRunsNoCommittedStepTwice() {
        AgentRegistry agents = AgentRegistry.create();
        Topology t = pipeline(100, agents);
        storage.appendsUntilDeath = 80; // the owner dies after committing 80 steps (past one compaction)

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> instance(t, agents).execute("t", Map.of("session_id", "replay-1"), 1_000))
                .as("a dying storage ends the leg with its error, never a stored FAILED (C5)")
                .isInstanceOf(StateException.class);
        storage.appendsUntilDeath = Integer.MAX_VALUE;
        int ranBeforeDeath = calls.size();

        OrchestraResult recovered = instance(t, agents).recoverSession("replay-1", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(ranBeforeDeath).isGreaterThan(80);
        assertThat(calls.entrySet())
                .as("only the step in flight at the death runs again")
                .filteredOn(e -> e.getValue().get() > 1)
                .hasSizeLessThanOrEqualTo(1);
        assertThat(calls).hasSize(100);
        assertThat(recovered.totalSteps()).isEqualTo(100);
    }

    /**
     * Found by the simulation test (dev.orchestra4j.core.sim): the context a {@code resumeSession} adds was neither in
     * the snapshot its claim wrote nor in the journal, so a crash after the resume recovered the session without it.
     */
    @Test
    void recoverSession_afterACrashThatFollowedAResume_keepsTheContextTheResumeAdded() {
        AgentRegistry agents = AgentRegistry.create();
        java.util.concurrent.atomic.AtomicReference<OrchestraInstance> first =
                new java.util.concurrent.atomic.AtomicReference<>();
        List<Object> seen = new CopyOnWriteArrayList<>();
        agents.register("Pauser", r -> {
            first.get().pauseSession(r.sessionId(), "wait for more context");
            return AgentResponse.handOff("Worker", "go");
        });
        agents.register("Worker", r -> AgentResponse.handOff("Reader", "work"));
        agents.register("Reader", r -> {
            seen.add(String.valueOf(r.context().get("extra")));
            return AgentResponse.finish("done");
        });
        Topology t = Topology.builder()
                .edges("Start -> Pauser", "Pauser -> Worker", "Worker -> Reader", "Reader -> End")
                .build();
        first.set(instance(t, agents));
        OrchestraResult paused = first.get().execute("t", Map.of("session_id", "ctx-1"), 1_000);
        assertThat(paused.status()).as(paused.error().orElse("")).isEqualTo(RunStatus.PAUSED);

        storage.appendsUntilDeath = 1; // the claim is written; the process dies committing the Worker step
        // a storage error ends the leg with it, not with a FAILED status (README "A storage error is not a failure")
        assertThatThrownBy(() -> first.get().resumeSession("ctx-1", Map.of("extra", "from the resume")))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("the process is dead");
        storage.appendsUntilDeath = Integer.MAX_VALUE;
        seen.clear();

        OrchestraResult recovered = instance(t, agents).recoverSession("ctx-1", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(seen).as("what the re-run Reader saw in its context").containsExactly("from the resume");
    }
}
