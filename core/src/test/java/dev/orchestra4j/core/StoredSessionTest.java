package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Reading a stored session from another node while a leg writes it. */
final class StoredSessionTest {

    @Test
    void load_legCompactsBetweenSnapshotAndJournalRead_readsAgainAndSeesTheNewSnapshot() throws Exception {
        AtomicReference<Runnable> afterSnapshotRead = new AtomicReference<>();
        StateManager manager = new StateManager(new ForwardingStorageBackend(StorageBackends.inMemory()) {
            @Override
            public Optional<StoredValue> read(String key) {
                Optional<StoredValue> value = super.read(key);
                Runnable hook = key.startsWith("sessions/") ? afterSnapshotRead.getAndSet(null) : null;
                if (hook != null) {
                    hook.run();
                }
                return value;
            }
        });
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edges("Start -> S1", "S1 -> Ask", "Ask -> User", "Ask -> End")
                        .build())
                .agents(AgentRegistry.create()
                        .register("S1", r -> AgentResponse.handOff("Ask", r.inputText() + ">S1"))
                        .register("Ask", r -> {
                            asking.countDown();
                            answer.await(); // holds the leg between its first snapshot and its last
                            return AgentResponse.askUser("q1");
                        }))
                .stateManager(manager)
                .build();
        String id = instance.createSession("go", Map.of());
        Thread leg = Thread.ofVirtual().unstarted(() -> instance.resumeSession(id, Map.of()));
        afterSnapshotRead.set(
                () -> { // the leg starts (a new snapshot, the journal truncated) and commits S1
                    leg.start();
                    try {
                        assertThat(asking.await(10, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });

        StoredSession read;
        try {
            read = StoredSession.load(manager, id).orElseThrow();
        } finally {
            answer.countDown();
            leg.join();
        }

        assertThat(read.status())
                .as("the created snapshot with the leg's journal was torn ('unknown branch'); read again it is the"
                        + " running leg's")
                .isEqualTo(StoredSession.RUNNING);
    }
}
