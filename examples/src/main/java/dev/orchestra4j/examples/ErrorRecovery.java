package dev.orchestra4j.examples;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Topology;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;

/**
 * Recovering through an {@code [on error]} edge. {@code Fetcher} calls a price service that is down: each attempt
 * fails with a network error, which is retryable, so the engine retries it with backoff; when the retries are used up
 * the branch follows the error edge to {@code Cache}, which gets the {@link ErrorContext} (what failed, how, after
 * how many attempts) and answers from a stale copy. {@code Summarizer} finishes either way.
 *
 * <pre>
 * Start -> Fetcher -> Summarizer -> End
 * Fetcher -> Cache [on error]
 * Cache -> Summarizer
 * </pre>
 *
 * <p>Summarizer has two one-way inputs, which would make it a rendezvous that waits for both; only one of them is ever
 * taken, so its convergence is {@code DISABLED}: whichever path arrives passes straight through.
 *
 * <p>Without the error edge ({@link #topologyWithoutErrorRoute()}) the same failure fails the run, naming Fetcher and
 * the cause.
 */
public final class ErrorRecovery {

    /** Prices the cache still holds. */
    static final Map<String, Integer> CACHED_PRICES = Map.of("ACME", 101, "GLOBEX", 42);

    private ErrorRecovery() {}

    public static Topology topology() {
        return topologyWithoutErrorRoute().toBuilder()
                .edge("Fetcher -> Cache [on error]")
                .edge("Cache -> Summarizer")
                .convergence("Summarizer", ConvergenceMode.DISABLED)
                .build();
    }

    public static Topology topologyWithoutErrorRoute() {
        return Topology.builder()
                .edge("Start -> Fetcher")
                .edge("Fetcher -> Summarizer")
                .edge("Summarizer -> End")
                .build();
    }

    /** Two retries, quickly: a demo should not wait for real backoff. */
    public static ErrorHandlingConfig errorConfig() {
        return ErrorHandlingConfig.builder()
                .maxRetries(2)
                .baseDelay(Duration.ofMillis(5))
                .maxDelay(Duration.ofMillis(20))
                .jitter(0)
                .build();
    }

    /** The agents; {@code fetcher} talks to the price service. */
    public static AgentRegistry agents(Agent fetcher) {
        AgentRegistry registry = AgentRegistry.create()
                .register("Fetcher", fetcher)
                .register("Summarizer", request -> AgentResponse.finish("Price report: " + request.inputText()));
        registry.register("Cache", request -> {
            String why = request.error().map(ErrorContext::message).orElse("unknown");
            String symbol = String.valueOf(request.input());
            return AgentResponse.handOff(
                    "Summarizer",
                    symbol + " = " + CACHED_PRICES.getOrDefault(symbol, 0) + " (stale, from cache; live fetch failed: "
                            + why + ")");
        });
        return registry;
    }

    /** A fetcher for a price service that is down: every call fails to connect. */
    public static Agent unreachableService() {
        return request -> {
            throw new ConnectException("prices.example.com:443: Connection refused");
        };
    }

    public static OrchestraResult run(String symbol, Topology topology, Agent fetcher, RunOptions.Builder options) {
        return Orchestra.run(
                symbol,
                topology,
                options.agents(agents(fetcher)).errorConfig(errorConfig()).build());
    }
}
