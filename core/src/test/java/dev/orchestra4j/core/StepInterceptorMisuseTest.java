package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An interceptor that breaks its contract is named, not the agent: a null it returns used to read "agent 'A' returned
 * null" (the agent never ran), and one that called {@code proceed()} twice ran the agent twice in one step, silently.
 */
final class StepInterceptorMisuseTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final AgentRegistry agents = AgentRegistry.create().register("A", r -> {
        calls.incrementAndGet();
        return AgentResponse.finish("a");
    });

    private OrchestraResult run(StepInterceptor interceptor) {
        return Orchestra.run(
                "task",
                TestTopologies.single(),
                RunOptions.builder().agents(agents).stepInterceptor(interceptor).build());
    }

    @Test
    void interceptorReturningNull_isNamedAsTheInterceptor() {
        OrchestraResult result = run((request, step) -> null);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().orElseThrow())
                .contains("step interceptor ")
                .contains("on agent 'A' returned null instead of a response");
        assertThat(calls).hasValue(0);
    }

    @Test
    void interceptorProceedingTwice_failsTheStep_andTheAgentRunsOnce() {
        OrchestraResult result = run((request, step) -> {
            step.proceed();
            return step.proceed();
        });

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().orElseThrow()).contains("on agent 'A' called proceed() twice");
        assertThat(calls).as("once per attempt, never twice in one step").hasValueLessThanOrEqualTo(4);
        assertThat(calls.get()).as("attempts").isEqualTo(result.executionTrace().size());
    }

    @Test
    void agentReturningNull_underAnInterceptor_isStillTheAgents() {
        OrchestraResult result = Orchestra.run(
                "task",
                TestTopologies.single(),
                RunOptions.builder()
                        .agents(AgentRegistry.create().register("A", r -> null))
                        .stepInterceptor((request, step) -> step.proceed())
                        .build());

        assertThat(result.error().orElseThrow()).contains("agent 'A' returned null instead of a response");
    }
}
