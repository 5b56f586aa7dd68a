package dev.orchestra4j.core.event;

/**
 * Receives a session's events. Delivery is asynchronous through a bounded queue: a slow listener never slows a run
 * (events beyond the queue's capacity are dropped and counted), and a throwing listener is logged, never propagated.
 */
@FunctionalInterface
public interface OrchestraListener {

    void onEvent(OrchestraEvent event);
}
