package dev.orchestra4j.cluster;

/**
 * Receives a cluster node's {@link ClusterEvent}s, on the thread that caused them: keep it quick. An exception it
 * throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface ClusterListener {

    void onEvent(ClusterEvent event);
}
