package dev.orchestra4j.cluster.internal;

import dev.orchestra4j.cluster.ClusterListener;
import dev.orchestra4j.core.OrchestraInstance;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** A cluster node's settings, validated by {@code OrchestraCluster.Builder}. */
public record NodeConfig(
        DataSource dataSource,
        Map<String, OrchestraInstance> instances,
        String workerId,
        int maxConcurrentLegs,
        Duration heartbeat,
        int missedHeartbeats,
        Duration pollInterval,
        Duration drainTimeout,
        Tables tables,
        boolean listen,
        List<ClusterListener> listeners,
        Clock clock) {

    public NodeConfig {
        instances = Map.copyOf(instances);
        listeners = List.copyOf(listeners);
    }
}
