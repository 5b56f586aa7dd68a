package dev.orchestra4j.core;

/**
 * Wraps every agent call on the thread that runs it — the place to make per-step context current (a tracing span, an
 * MDC entry) so that what the agent does inside the step is attributed to it. Interceptors must call {@code
 * step.proceed()} exactly once and return (or throw) what it returns (or throws).
 */
@FunctionalInterface
public interface StepInterceptor {

    AgentResponse around(AgentRequest request, Step step) throws Exception;

    /** The rest of the agent call. */
    @FunctionalInterface
    interface Step {
        AgentResponse proceed() throws Exception;
    }
}
