package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's checks (each at the bad call, naming the bad value) and the Micrometer binder. */
final class OrchestraClusterTest {

    private static final Topology ONE =
            Topology.builder().edges("Start -> A", "A -> End").build();
    private static final Topology TWO =
            Topology.builder().edges("Start -> B", "B -> End").build();

    private static OrchestraInstance instance(Topology t, StateManager manager) {
        return OrchestraInstance.builder()
                .topology(t)
                .agents(AgentRegistry.create()
                        .register("A", r -> AgentResponse.finish("a"))
                        .register("B", r -> AgentResponse.finish("b")))
                .stateManager(manager)
                .build();
    }

    @Test
    void instance_withoutStateManager_rejected() {
        OrchestraInstance plain = OrchestraInstance.builder()
                .topology(ONE)
                .agents(AgentRegistry.create().register("A", r -> AgentResponse.finish("a")))
                .build();

        assertThatThrownBy(() -> OrchestraCluster.builder().instance("one", plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instance 'one' has no StateManager");
    }

    @Test
    void instance_savingOnlyEveryFewSeconds_rejected() {
        StateManager lazy = StateManager.builder(StorageBackends.inMemory())
                .autoSaveInterval(Duration.ofSeconds(5))
                .build();

        assertThatThrownBy(() -> OrchestraCluster.builder().instance("one", instance(ONE, lazy)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autoSaveInterval");
    }

    @Test
    void instances_withDifferentStateManagersOrTheSameTopology_rejected() {
        StateManager a = new StateManager(StorageBackends.inMemory());
        StateManager b = new StateManager(StorageBackends.inMemory());
        OrchestraCluster.Builder builder = OrchestraCluster.builder().instance("one", instance(ONE, a));

        assertThatThrownBy(() -> builder.instance("two", instance(TWO, b)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another StateManager than 'one'");
        assertThatThrownBy(() -> builder.instance("again", instance(ONE, a)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same topology as 'one'");
        assertThatThrownBy(() -> builder.instance("one", instance(TWO, a)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'one' is already registered");
    }

    @Test
    void settings_outOfRange_rejectedNamingTheValue() {
        OrchestraCluster.Builder b = OrchestraCluster.builder();

        assertThatThrownBy(() -> b.missedHeartbeats(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missedHeartbeats must be at least 4, was 3");
        assertThatThrownBy(() -> b.heartbeat(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("heartbeat must be positive, was PT0S");
        assertThatThrownBy(() -> b.maxConcurrentLegs(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentLegs must be positive, was 0");
        assertThatThrownBy(() -> b.tables("Bad-Prefix"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table prefix 'Bad-Prefix'");
        assertThatThrownBy(() -> b.workerId(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workerId must not be blank");
    }

    @Test
    void build_withoutDataSourceOrInstances_fails() {
        assertThatThrownBy(() -> OrchestraCluster.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataSource is required");
        assertThatThrownBy(() -> OrchestraCluster.builder()
                        .dataSource(TestCluster.dataSource(TestCluster.PG_URL, "unused"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one instance");
    }

    @Test
    void clusterMetrics_countsEveryEventByWorkerAndTag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClusterMetrics metrics = new ClusterMetrics();
        metrics.bindTo(registry);

        metrics.onEvent(new ClusterEvent.LegStarted("s1", "w1", "RECOVER", 7));
        metrics.onEvent(new ClusterEvent.LegStarted("s2", "w1", "RECOVER", 3));
        metrics.onEvent(new ClusterEvent.LegReleased("s1", "w1", "COMPLETED"));
        metrics.onEvent(new ClusterEvent.SessionRecovered("s1", "w0", "w1", Duration.ofSeconds(4)));
        metrics.onEvent(new ClusterEvent.OwnershipLost("s3", "w2"));
        metrics.onEvent(new ClusterEvent.InboxApplied("s1", "w1", "ANSWER", "q-1"));

        assertThat(registry.get(ClusterMetrics.LEGS_STARTED)
                        .tags("worker", "w1", "reason", "RECOVER")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(registry.get(ClusterMetrics.LEGS_RELEASED)
                        .tag("status", "COMPLETED")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get(ClusterMetrics.RECOVERIES).counter().count()).isEqualTo(1.0);
        assertThat(registry.get(ClusterMetrics.OWNERSHIP_LOST)
                        .tag("worker", "w2")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get(ClusterMetrics.INBOX_APPLIED)
                        .tag("kind", "ANSWER")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }
}
