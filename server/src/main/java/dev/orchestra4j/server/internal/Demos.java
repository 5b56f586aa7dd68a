package dev.orchestra4j.server.internal;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.Step;
import dev.orchestra4j.server.OrchestraServer;
import dev.orchestra4j.topology.Topology;
import java.util.Map;

/**
 * The offline demo topologies of the runnable jar (also used by the console test): {@code interview} asks the user
 * a question and finishes with the answer; {@code review} runs planner → writer → reviewer, each working {@code
 * context.delay_ms} (default 300 ms) so the live diagram has something to show. Pipelines: {@code math}, {@code
 * checks} and {@code delay}.
 */
public final class Demos {

    private Demos() {}

    public static OrchestraServer.Builder register(OrchestraServer.Builder builder) {
        return builder.topology("interview", interview(), interviewAgents())
                .topology("review", review(), reviewAgents())
                .pipelines(math(), checks(), delay());
    }

    /** Numbers in, numbers out. */
    public record Value(int value) {}

    /** A doubled number. */
    public record Doubled(int result) {}

    /** {@code math}: doubles {@code value} into {@code result} (21 → 42). */
    static Pipeline math() {
        return Pipeline.builder("math")
                .description("Double a number")
                .annotate("owner", "demo")
                .pipe(Step.of("double", Value.class, Doubled.class, (in, perf) -> new Doubled(in.value() * 2)))
                .seal();
    }

    /** {@code checks}: adds one, then fails for negative numbers (a step exception). */
    static Pipeline checks() {
        return Pipeline.builder("checks")
                .description("Add one, then refuse negative numbers")
                .pipe(Step.of("add_one", Value.class, Value.class, (in, perf) -> new Value(in.value() + 1)))
                .pipe(Step.of("positive", Value.class, Value.class, (in, perf) -> {
                    if (in.value() < 0) {
                        throw new IllegalArgumentException("value must not be negative, was " + in.value());
                    }
                    return in;
                }))
                .seal();
    }

    /** How long to wait. */
    public record Wait(int ms) {}

    /** {@code delay}: waits {@code ms} milliseconds (at most a minute), then returns them: a run long enough to watch. */
    static Pipeline delay() {
        return Pipeline.builder("delay")
                .description("Wait ms milliseconds (at most 60000), then return them")
                .pipe(Step.of("wait", Wait.class, Wait.class, (in, perf) -> {
                    if (in.ms() < 0 || in.ms() > 60_000) {
                        throw new IllegalArgumentException("ms must be between 0 and 60000, was " + in.ms());
                    }
                    Thread.sleep(in.ms());
                    return in;
                }))
                .seal();
    }

    static Topology interview() {
        return Topology.builder()
                .edge("Start -> Interviewer")
                .edge("Interviewer -> User")
                .edge("Interviewer -> End")
                .build();
    }

    static AgentRegistry interviewAgents() {
        return AgentRegistry.create()
                .register(
                        "Interviewer",
                        r -> "User".equals(r.from())
                                ? AgentResponse.finish("Noted: " + r.input())
                                : AgentResponse.askUser("What should the report be about?"));
    }

    static Topology review() {
        return Topology.builder()
                .edge("Start -> Planner")
                .edge("Planner -> Writer")
                .edge("Writer -> Reviewer")
                .edge("Reviewer -> End")
                .build();
    }

    static AgentRegistry reviewAgents() {
        return AgentRegistry.create()
                .register("Planner", r -> {
                    work(r.context());
                    return AgentResponse.handOff("Writer", "plan for " + r.task());
                })
                .register("Writer", r -> {
                    work(r.context());
                    return AgentResponse.handOff("Reviewer", "draft from " + r.input());
                })
                .register("Reviewer", r -> {
                    work(r.context());
                    return AgentResponse.finish("approved: " + r.input());
                });
    }

    private static void work(Map<String, Object> context) throws InterruptedException {
        Object delay = context.getOrDefault("delay_ms", 300);
        if (delay instanceof Number n && n.longValue() > 0) {
            Thread.sleep(n.longValue());
        }
    }
}
