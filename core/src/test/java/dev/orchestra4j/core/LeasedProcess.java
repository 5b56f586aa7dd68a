package dev.orchestra4j.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;

/**
 * A simulated process of the ownership tests: its own instance and StateManager over shared storage, a heartbeat of a
 * second and a lease of {@code lease}, both on {@code clock} (moving the clock is all a recovery waits for).
 */
final class LeasedProcess {

    private LeasedProcess() {}

    static OrchestraInstance over(
            StorageBackend storage, Topology topology, AgentRegistry agents, MutableClock clock, Duration lease) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .clock(clock)
                .stateManager(StateManager.builder(storage)
                        .heartbeatInterval(Duration.ofSeconds(1))
                        .leaseTimeout(lease)
                        .build())
                .build();
    }

    /**
     * What a process that dies now leaves in {@code storage}: a copy of every stored value and of session {@code id}'s
     * journal (a copy of the values alone would lose the steps journaled after the last snapshot).
     */
    static StorageBackend deadCopy(StorageBackend storage, String id) {
        StorageBackend copy = StorageBackends.inMemory();
        for (String key : storage.list("")) {
            storage.read(key).ifPresent(value -> copy.write(key, value.value()));
        }
        List<JournalEvent> journal = StateManager.builder(storage).build().readEvents(id, 0);
        if (!journal.isEmpty()) {
            if (journal.getFirst().sequence() != 1) {
                throw new IllegalStateException(
                        "the journal of '" + id + "' was truncated: its sequences cannot be" + " copied as they are");
            }
            List<JsonNode> entries = journal.stream().map(JournalEvent::data).toList();
            StateManager.builder(copy).build().appendEvents(id, 0, entries);
        }
        return copy;
    }
}
