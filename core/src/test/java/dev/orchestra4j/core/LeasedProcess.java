package dev.orchestra4j.core;

import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;

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
}
