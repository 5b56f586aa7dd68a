package dev.orchestra4j.spring;

import dev.orchestra4j.core.OrchestraInstance;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** {@code orchestra4j.instance.*}: the auto-configured {@link OrchestraInstance} and its shutdown. */
public class InstanceProperties {

    /** Name of the Topology bean the instance runs; required when the application has several. */
    private @Nullable String topology;
    /** Most steps per session, over all branches (default 100). */
    private @Nullable Integer maxSteps;
    /** Whether a finished run asks its user channel for follow-ups (default false). */
    private @Nullable Boolean allowFollowUps;
    /** How long to wait for a follow-up (default 60s). */
    private @Nullable Duration followUpTimeout;
    /** On shutdown, how long running sessions may take to finish before they are paused. */
    private Duration drainTimeout = Duration.ofSeconds(30);
    /** On shutdown, how long paused sessions may take to reach a step boundary before they are cancelled. */
    private Duration pauseTimeout = Duration.ofSeconds(10);

    void apply(OrchestraInstance.Builder b, Problems problems) {
        problems.set("max-steps", maxSteps, b::maxSteps);
        problems.set("allow-follow-ups", allowFollowUps, b::allowFollowUps);
        problems.set("follow-up-timeout", followUpTimeout, b::followUpTimeout);
    }

    void check(Problems problems) {
        if (drainTimeout.isNegative()) {
            problems.add("drain-timeout", "must not be negative, was " + drainTimeout);
        }
        if (pauseTimeout.isNegative()) {
            problems.add("pause-timeout", "must not be negative, was " + pauseTimeout);
        }
        if (topology != null && topology.isBlank()) {
            problems.add("topology", "must name a Topology bean, was blank");
        }
    }

    public @Nullable String getTopology() {
        return topology;
    }

    public void setTopology(@Nullable String topology) {
        this.topology = topology;
    }

    public @Nullable Integer getMaxSteps() {
        return maxSteps;
    }

    public void setMaxSteps(@Nullable Integer maxSteps) {
        this.maxSteps = maxSteps;
    }

    public @Nullable Boolean getAllowFollowUps() {
        return allowFollowUps;
    }

    public void setAllowFollowUps(@Nullable Boolean allowFollowUps) {
        this.allowFollowUps = allowFollowUps;
    }

    public @Nullable Duration getFollowUpTimeout() {
        return followUpTimeout;
    }

    public void setFollowUpTimeout(@Nullable Duration followUpTimeout) {
        this.followUpTimeout = followUpTimeout;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public Duration getPauseTimeout() {
        return pauseTimeout;
    }

    public void setPauseTimeout(Duration pauseTimeout) {
        this.pauseTimeout = pauseTimeout;
    }
}
