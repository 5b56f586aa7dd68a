package dev.orchestra4j.examples;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.PatternConfig;
import dev.orchestra4j.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fan out to experts, fan in to a synthesizer. The {@code Coordinator} sends a design proposal to three reviewers at
 * once; each reviews it from its angle and hands its verdict to the {@code Synthesizer}, a rendezvous that runs once,
 * with all three verdicts, and finishes with a combined review.
 *
 * <pre>
 * Start -> Coordinator
 * Coordinator -> Security, Coordinator -> Performance, Coordinator -> Usability   (parallel)
 * Security -> Synthesizer, Performance -> Synthesizer, Usability -> Synthesizer    (Synthesizer is a rendezvous)
 * Synthesizer -> End
 * </pre>
 *
 * <p>The agents do not coordinate explicitly: the Coordinator and the experts {@link AgentResponse#reply reply}, and
 * the edges decide (three targets form a fork; one target is a hand-off). The rendezvous is found by the topology's
 * analysis, not declared: the Synthesizer has three one-way inputs.
 */
public final class ParallelExperts {

    static final List<String> EXPERTS = List.of("Security", "Performance", "Usability");

    public static final String SAMPLE_PROPOSAL =
            "Expose the orchestra over HTTP: POST /runs starts a session, GET /runs/{id} polls it; sessions are kept"
                    + " in Redis with a 24 h TTL; the endpoint accepts an API key in the query string.";

    private ParallelExperts() {}

    public static Topology topology() {
        return PatternConfig.parallelExperts("Coordinator", EXPERTS, "Synthesizer");
    }

    /** The default reviewers: each looks for a few phrases in the proposal. */
    public static AgentRegistry agents() {
        return agents(Map.of(
                "Security", reviewer("API key in the query string", "move the API key to a header"),
                "Performance", reviewer("polls", "offer server-sent events instead of polling"),
                "Usability", reviewer("POST /runs", "return the session URL in a Location header")));
    }

    /** The Coordinator and Synthesizer with the given {@code experts} (one per name in {@link #EXPERTS}). */
    public static AgentRegistry agents(Map<String, Agent> experts) {
        AgentRegistry registry = AgentRegistry.create()
                .register("Coordinator", request -> AgentResponse.reply(request.input()))
                .register("Synthesizer", ParallelExperts::synthesize);
        experts.forEach(registry::register);
        return registry;
    }

    public static OrchestraResult run(String proposal, Map<String, Agent> experts, RunOptions.Builder options) {
        return Orchestra.run(
                proposal, topology(), options.agents(agents(experts)).build());
    }

    public static OrchestraResult run(String proposal, RunOptions.Builder options) {
        return Orchestra.run(proposal, topology(), options.agents(agents()).build());
    }

    /** A reviewer that flags {@code finding} with {@code advice}, or approves. */
    static Agent reviewer(String finding, String advice) {
        return request ->
                AgentResponse.reply(request.inputText().contains(finding) ? "concern: " + advice : "no concerns");
    }

    private static AgentResponse synthesize(AgentRequest request) {
        Map<String, Object> sections = new LinkedHashMap<>();
        long concerns = 0;
        for (Arrival verdict : request.arrivals()) {
            sections.put(verdict.agent(), verdict.value());
            concerns += String.valueOf(verdict.value()).startsWith("concern") ? 1 : 0;
        }
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("title", "Design review");
        review.put(
                "summary",
                concerns == 0
                        ? "Approved by all " + sections.size() + " reviewers."
                        : concerns + " of " + sections.size() + " reviewers asked for changes.");
        review.put("sections", sections);
        return AgentResponse.finish(review);
    }
}
