package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.state.UnreadableStateException;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A session whose process died mid-run is its snapshot plus the journal after it. When storage lost journal entries
 * (a file or row deleted, a Redis key evicted), recovering from what is left used to run the lost entries' committed
 * steps again, or blamed another process or a different topology. Recovery now names the entries that are missing.
 */
final class JournalLossTest {

    private final AtomicInteger cCalls = new AtomicInteger();
    private final CountDownLatch cStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private final Topology topology = Topology.builder()
            .edge("Start -> A")
            .edge("A -> B")
            .edge("B -> C")
            .edge("C -> End")
            .build();

    /** C blocks on its first call: A's and B's steps are journaled after the leg's first snapshot by then. */
    private final AgentRegistry agents = AgentRegistry.create()
            .register("A", r -> AgentResponse.handOff("B", "a"))
            .register("B", r -> AgentResponse.handOff("C", "b"))
            .register("C", r -> {
                if (cCalls.incrementAndGet() == 1) {
                    cStarted.countDown();
                    release.await();
                }
                return AgentResponse.finish("done");
            });

    /**
     * Storage as the dead process left it, with the journal entries {@code lost} gone, and its last sequence read as
     * {@code head} (negative: as stored).
     */
    private static StorageBackend losing(StorageBackend storage, Set<Long> lost, long head) {
        return new ForwardingStorageBackend(storage) {
            @Override
            public List<JournalEntry> readJournal(String key, long afterSequence) {
                return super.readJournal(key, afterSequence).stream()
                        .filter(e -> !lost.contains(e.sequence()))
                        .toList();
            }

            @Override
            public long lastJournalSequence(String key) {
                return head < 0 ? super.lastJournalSequence(key) : head;
            }
        };
    }

    private void recoverAfterLosing(Set<Long> lost, String id, String missing) throws Exception {
        recoverAfterLosing(lost, -1, id, missing);
    }

    private void recoverAfterLosing(Set<Long> lost, long head, String id, String missing) throws Exception {
        StorageBackend storage = StorageBackends.inMemory();
        try (OrchestraInstance dying = OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .stateManager(StateManager.builder(storage).build())
                .build()) {
            dying.start("t", Map.of("session_id", id));
            assertThat(cStarted.await(10, TimeUnit.SECONDS)).isTrue();
            StateManager view = StateManager.builder(storage).build();
            assertThat(view.lastEventSequence(id)).as("A and B journaled").isEqualTo(2);

            try (OrchestraInstance recoverer = OrchestraInstance.builder()
                    .topology(topology)
                    .agents(agents)
                    .stateManager(
                            StateManager.builder(losing(storage, lost, head)).build())
                    .build()) {
                assertThatThrownBy(() -> recoverer.recoverSession(id, Map.of()))
                        .isInstanceOf(UnreadableStateException.class)
                        .hasMessageContaining("the journal of session '" + id + "' is missing " + missing)
                        .hasMessageContaining("could run committed steps again");
            }
            assertThat(cCalls).as("nothing ran again").hasValue(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void recoverSession_entryLostInTheMiddle_namesTheGap() throws Exception {
        recoverAfterLosing(Set.of(1L), "lost-middle", "entries 1 to 1 (it goes on at 2)");
    }

    @Test
    void recoverSession_lastEntryLost_namesIt() throws Exception {
        recoverAfterLosing(Set.of(2L), "lost-last", "entries 2 to 2 (its last sequence is 2)");
    }

    @Test
    void recoverSession_everyEntryLost_namesThemAll() throws Exception {
        recoverAfterLosing(Set.of(1L, 2L), "lost-all", "entries 1 to 2 (its last sequence is 2)");
    }

    /** A Redis journal whose head key was evicted: the entries are there, its last sequence reads 0. */
    @Test
    void recoverSession_lastSequenceLostButEntriesThere_saysSo() throws Exception {
        recoverAfterLosing(Set.of(), 0, "lost-head", "its last sequence: it reads 0 but entries go on to 2");
    }
}
