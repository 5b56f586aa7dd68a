package dev.orchestra4j.spring;

import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionInfo;
import dev.orchestra4j.state.StateManager;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Actuator health of Orchestra4j: DOWN when session storage cannot be read; details name the storage backend and count
 * the sessions running, waiting for a user and paused.
 */
public final class OrchestraHealthIndicator extends AbstractHealthIndicator {

    /** The key read to prove that storage answers; it need not exist. */
    static final String PROBE_KEY = "health-probe";

    private final @Nullable OrchestraInstance instance;
    private final @Nullable StateManager stateManager;

    public OrchestraHealthIndicator(@Nullable OrchestraInstance instance, @Nullable StateManager stateManager) {
        super("Orchestra4j health check failed");
        this.instance = instance;
        this.stateManager = stateManager;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (stateManager != null) {
            builder.withDetail("storage", stateManager.backendName());
            stateManager.backend().read(PROBE_KEY);
        } else {
            builder.withDetail("storage", "none");
        }
        if (instance != null) {
            List<SessionInfo> sessions = instance.listSessions();
            builder.withDetail("sessions.running", count(sessions, null))
                    .withDetail("sessions.waiting", count(sessions, RunStatus.WAITING_FOR_USER))
                    .withDetail("sessions.paused", count(sessions, RunStatus.PAUSED));
        }
        builder.up();
    }

    private static long count(List<SessionInfo> sessions, @Nullable RunStatus status) {
        return sessions.stream()
                .filter(s -> status == null
                        ? s.running()
                        : !s.running() && s.lastStatus().filter(status::equals).isPresent())
                .count();
    }
}
