package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import org.junit.jupiter.api.Test;

final class ErrorRecoveryTest {

    @Test
    void run_serviceDown_retriedThenRecoveredFromCacheThroughTheErrorEdge() {
        OrchestraResult result = ErrorRecovery.run(
                "ACME", ErrorRecovery.topology(), ErrorRecovery.unreachableService(), RunOptions.builder());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse())
                .isEqualTo("Price report: ACME = 101 (stale, from cache; live fetch failed: ConnectException:"
                        + " prices.example.com:443: Connection refused)");
        assertThat(result.agentInvocationCount("Fetcher")).isEqualTo(3);
        assertThat(result.metrics().retries()).isEqualTo(2);
        assertThat(result.executionTrace())
                .filteredOn(step -> step.action() == TraceStep.Action.ERROR_ROUTE)
                .singleElement()
                .satisfies(step -> assertThat(step.targets()).containsExactly("Cache"));
    }

    @Test
    void run_serviceDownWithoutErrorEdge_runFailsNamingFetcherAndTheCause() {
        OrchestraResult result = ErrorRecovery.run(
                "ACME",
                ErrorRecovery.topologyWithoutErrorRoute(),
                ErrorRecovery.unreachableService(),
                RunOptions.builder());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(error -> assertThat(error).contains("'Fetcher'", "NETWORK", "Connection refused"));
        assertThat(result.wasAgentInvoked("Summarizer")).isFalse();
    }

    @Test
    void run_serviceUp_cacheIsNeverConsulted() {
        OrchestraResult result = ErrorRecovery.run(
                "ACME",
                ErrorRecovery.topology(),
                request -> AgentResponse.handOff("Summarizer", request.input() + " = 103 (live)"),
                RunOptions.builder());

        assertThat(result.finalResponse()).isEqualTo("Price report: ACME = 103 (live)");
        assertThat(result.wasAgentInvoked("Cache")).isFalse();
    }
}
