package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Successive steps of one session share the coordinator's bookkeeping: nothing one step was given or reported may show
 * in the next one's request or trace entry, and what was built stays as it was built.
 */
final class SuccessiveStepsTest {

    private static final Topology PING_PONG = Topology.builder()
            .edge("Start -> A")
            .edge("A <-> B")
            .edge("A -> End")
            .build();

    private final List<AgentRequest> requests = new CopyOnWriteArrayList<>();

    private RunOptions.Builder options() {
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> {
                    requests.add(r);
                    if (r.step() == 1) {
                        r.recorder().tokens(5, 6);
                        r.recorder().toolCall("search", "{}", "found", Duration.ofMillis(2), false);
                        r.memory().add(UserMessage.from("remember me"));
                        return AgentResponse.handOff("B", "m1");
                    }
                    return AgentResponse.finish("done");
                })
                .register("B", r -> {
                    requests.add(r);
                    return AgentResponse.handOff("A", "m2");
                });
        return RunOptions.builder().agents(agents);
    }

    @Test
    void aStepWithoutReports_afterOneWithReports_showsNoneInItsTraceEntry() {
        OrchestraResult result = Orchestra.run("x", PING_PONG, options().build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        List<TraceStep> trace = result.executionTrace();
        assertThat(trace).extracting(TraceStep::agent).containsExactly("A", "B", "A");
        assertThat(trace.get(0).toolCalls()).extracting(ToolCallRecord::name).containsExactly("search");
        assertThat(trace.get(0).inputTokens()).isEqualTo(5);
        assertThat(trace.get(0).outputTokens()).isEqualTo(6);
        for (TraceStep later : trace.subList(1, 3)) {
            assertThat(later.toolCalls()).as("tool calls of %s", later).isEmpty();
            assertThat(later.inputTokens()).isZero();
            assertThat(later.outputTokens()).isZero();
            assertThat(later.error()).isEmpty();
        }
        assertThat(trace).extracting(TraceStep::index).containsExactly(0, 1, 2);
        assertThat(trace).extracting(TraceStep::input).containsExactly("x", "m1", "m2");
        assertThat(trace).extracting(TraceStep::output).containsExactly("m1", "m2", "done");
    }

    @Test
    void eachRequest_keepsWhatItWasBuiltWith_afterLaterStepsWereBuilt() {
        Orchestra.run("x", PING_PONG, options().build());

        assertThat(requests).hasSize(3);
        AgentRequest first = requests.get(0);
        AgentRequest second = requests.get(1);
        AgentRequest third = requests.get(2);
        assertThat(first.agent()).isEqualTo("A");
        assertThat(first.step()).isEqualTo(1);
        assertThat(first.received()).isEqualTo(new Input.Task("x"));
        assertThat(first.from()).isEqualTo("Start");
        assertThat(second.agent()).isEqualTo("B");
        assertThat(second.step()).isEqualTo(2);
        assertThat(second.received()).isEqualTo(new Input.Message("A", "m1"));
        assertThat(second.memory()).as("B has no memory of A's messages").isEmpty();
        assertThat(second.memory()).isNotSameAs(first.memory());
        assertThat(third.agent()).isEqualTo("A");
        assertThat(third.step()).isEqualTo(3);
        assertThat(third.received()).isEqualTo(new Input.Message("B", "m2"));
        assertThat(third.memory()).containsExactly(UserMessage.from("remember me"));
        assertThat(requests).extracting(AgentRequest::peers).allSatisfy(p -> assertThat(p)
                .isNotEmpty());
    }

    @Test
    void successiveInlineSteps_withOnlyRoutingBetweenThem_areTimedBackToBack() {
        // Each step after the first starts at its predecessor's end reading (one clock read per step, EventTime):
        // the trace shows them contiguous, to the nanosecond.
        OrchestraResult result = Orchestra.run("x", PING_PONG, options().build());

        List<TraceStep> trace = result.executionTrace();
        assertThat(trace).hasSize(3);
        for (int i = 1; i < trace.size(); i++) {
            TraceStep before = trace.get(i - 1);
            assertThat(trace.get(i).start())
                    .as("step %d starts where step %d ended", i, i - 1)
                    .isEqualTo(before.start().plus(before.duration()));
        }
    }

    @Test
    void inlineStepsOnTheSystemClock_startWithinTheRun_asWallClockInstants() {
        // An inline step's start is kept as epoch nanoseconds of its monotonic reading and becomes an instant only
        // when read: it must still be the wall-clock time at which the step ran.
        Instant before = Instant.now();
        OrchestraResult result = Orchestra.run("x", PING_PONG, options().build());
        Instant after = Instant.now();

        assertThat(result.executionTrace()).hasSize(3).allSatisfy(step -> {
            assertThat(step.start()).isBetween(before.minusMillis(1), after.plusMillis(1));
            assertThat(step.start().plus(step.duration())).isBeforeOrEqualTo(after.plusMillis(1));
        });
    }

    @Test
    void stepEvents_arePublishedToAListener_andBuiltOnlyWhenOneListens() {
        List<OrchestraEvent> events = new CopyOnWriteArrayList<>();
        OrchestraResult result = Orchestra.run(
                "x",
                PING_PONG,
                options().listener(events::add).awaitListeners(true).build());

        assertThat(result.success()).isTrue();
        assertThat(events)
                .filteredOn(OrchestraEvent.StepStarted.class::isInstance)
                .extracting(e -> ((OrchestraEvent.StepStarted) e).agent())
                .containsExactly("A", "B", "A");
        assertThat(events)
                .filteredOn(OrchestraEvent.StepCompleted.class::isInstance)
                .extracting(e -> ((OrchestraEvent.StepCompleted) e).toolCalls())
                .containsExactly(1, 0, 0);
    }
}
