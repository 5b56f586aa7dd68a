package dev.orchestra4j.core;

/**
 * When an agent is steered back onto the coordination options the topology allows (MARSYS {@code steering_mode}).
 * Set with {@link ExecutionConfig.Builder#steeringMode(SteeringMode)}.
 */
public enum SteeringMode {
    /**
     * The default: an invalid coordination decision (unknown or forbidden target, a finish without an edge to End,
     * a malformed call) is re-prompted with the allowed options, up to {@link ExecutionConfig#steeringRetries()}
     * times, before the step fails.
     */
    AUTO,
    /**
     * Like {@link #AUTO}, and in addition every {@code LlmAgent} step starts with the allowed coordination options
     * spelled out, before the model can make a mistake.
     */
    ALWAYS,
    /** No steering: the first invalid coordination decision fails the step ({@code steeringRetries} is ignored). */
    NEVER
}
