package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue #11, point 1: decisions take their time from the event they handle, not from a clock read here and there.
 * On a clock that moves a millisecond at every read, everything decided about one step's outcome — its trace entry,
 * its StepCompleted, the branch it settles — still carries one instant.
 */
final class EventTimeTest {

    @Test
    void oneStepsOutcome_isDecidedAtOneInstant_onAClockThatMovesAtEveryRead() {
        List<OrchestraEvent> seen = new CopyOnWriteArrayList<>();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder().edge("Start -> A").edge("A -> End").build())
                .agents(AgentRegistry.create().register("A", r -> AgentResponse.finish("done")))
                .clock(MutableClock.movingOnEveryRead(Duration.ofMillis(1)))
                .listener(seen::add)
                .awaitListeners(true)
                .build();

        OrchestraResult result = instance.execute("t", Map.of("session_id", "event-time"), 5);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        Instant completed = seen.stream()
                .filter(e -> e instanceof OrchestraEvent.StepCompleted)
                .map(OrchestraEvent::timestamp)
                .findFirst()
                .orElseThrow();
        Instant settled = seen.stream()
                .filter(e -> e instanceof OrchestraEvent.BranchSettled)
                .map(OrchestraEvent::timestamp)
                .findFirst()
                .orElseThrow();
        assertThat(settled)
                .as("the branch settled by A's finish is settled at the instant A's outcome was handled")
                .isEqualTo(completed);
    }
}
