package dev.orchestra4j.spring;

import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.SessionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Shuts the application's {@link OrchestraInstance}s down gently: after the web server has stopped taking requests,
 * running sessions get {@code drain-timeout} to finish; those still running are paused (saved at their next step
 * boundary, so that another process can resume them) and get {@code pause-timeout} to get there; then the instance is
 * closed, which cancels whatever is left.
 */
final class SessionDrain implements SmartLifecycle {

    /** Below the web server's graceful shutdown and its stop, so sessions drain once no request can start one. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(SessionDrain.class);
    private static final Duration POLL = Duration.ofMillis(20);

    private final ObjectProvider<OrchestraInstance> instances;
    private final InstanceProperties properties;
    private final Clock clock;
    private volatile boolean running;

    SessionDrain(ObjectProvider<OrchestraInstance> instances, InstanceProperties properties, Clock clock) {
        this.instances = instances;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        try {
            instances.orderedStream().forEach(this::drain);
        } finally {
            running = false;
        }
    }

    void drain(OrchestraInstance instance) {
        if (!awaitIdle(instance, properties.getDrainTimeout())) {
            List<String> paused = running(instance);
            paused.forEach(id -> instance.pauseSession(id, "application shutdown"));
            log.warn("Sessions {} still ran after {}; pausing them for shutdown", paused, properties.getDrainTimeout());
            if (!awaitIdle(instance, properties.getPauseTimeout())) {
                log.warn(
                        "Sessions {} did not pause within {}; cancelling them",
                        running(instance),
                        properties.getPauseTimeout());
            }
        }
        instance.close();
    }

    private boolean awaitIdle(OrchestraInstance instance, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        while (!running(instance).isEmpty()) {
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static List<String> running(OrchestraInstance instance) {
        return instance.listSessions().stream()
                .filter(SessionInfo::running)
                .map(SessionInfo::sessionId)
                .toList();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
