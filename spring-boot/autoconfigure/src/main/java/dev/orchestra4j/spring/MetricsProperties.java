package dev.orchestra4j.spring;

/** {@code orchestra4j.metrics.*}: the {@code MetricsCollector} on the application's {@code MeterRegistry}. */
public class MetricsProperties {

    /** Whether sessions record meters to the application's MeterRegistry. */
    private boolean enabled = true;
    /**
     * Whether each agent call runs inside an Observation made current on its own thread (so a tracing bridge parents
     * the agent's work under it), when the application has an ObservationRegistry.
     */
    private boolean observations = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isObservations() {
        return observations;
    }

    public void setObservations(boolean observations) {
        this.observations = observations;
    }
}
