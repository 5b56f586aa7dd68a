package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A snapshot written in the middle of a leg says where the machine stood ({@link MachinePart}); a machine restored from
 * it over the decoded state, and the live machine put in the same place, take the same next inputs to the same state —
 * which is what a recovery replaying the journal after that snapshot relies on.
 */
final class MachinePartTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private final Topology fork = Topology.builder()
            .edge("Start -> Hub")
            .edge("Hub <-> W")
            .edge("Hub -> End")
            .build();

    @Test
    void aMachineRestoredFromAMidLegSnapshot_goesOnExactlyLikeTheLiveOne() throws Exception {
        Machine live = MachineTest.machineOver(fork, 100, new SessionState(T0), CLOCK, signal -> {});
        assertThat(live.begin()).isTrue();
        Branch hub = start(live);
        live.apply(done(
                hub,
                AgentResponse.parallel(Invocation.of("W", "w1"), Invocation.of("W", "w2"), Invocation.of("W", "w3"))));
        live.settle();
        Branch w1 = start(live);
        Branch w2 = start(live);
        live.apply(done(w2, AgentResponse.finish("two")));
        live.settle();
        live.apply(new Signal.Pause("for the snapshot")); // a pending pause is part of where it stands

        JsonNode state = SnapshotCodec.encode("s", live.state, "task");
        MachinePart place = MachinePart.of(live);
        JsonNode placeJson = SnapshotValues.MAPPER.valueToTree(place);
        place.restore(live);
        Machine restored = MachineTest.machineOver(fork, 100, SnapshotCodec.decode("s", state), CLOCK, signal -> {});
        SnapshotValues.MAPPER.treeToValue(placeJson, MachinePart.class).restore(restored);

        JsonNode again = SnapshotValues.MAPPER.valueToTree(MachinePart.of(restored));
        assertThat(again).as("the place read back is the place written").isEqualTo(placeJson);
        assertThat(restored.stepping.running()).isEqualTo(1);
        assertThat(restored.state.branch(w1.id).isRunning(w1.stepToken))
                .as("w1's step runs, token kept")
                .isTrue();
        assertThat(restored.lifecycle.isQuiescing()).isTrue();
        assertThat(restored.timers.inOrder()).isEqualTo(live.timers.inOrder());

        for (Machine m : List.of(live, restored)) {
            Branch w1There = m.state.branch(w1.id);
            m.apply(done(w1There, AgentResponse.finish("one")));
            m.settle();
            assertThat(m.next()).as("paused: nothing starts").isNull();
            m.lifecycle.restore(false, null); // the next leg: no pause pending
            Branch w3 = start(m);
            m.apply(done(w3, AgentResponse.finish("three")));
            m.settle();
            Branch joined = start(m);
            assertThat(joined.id).isEqualTo(hub.id);
            m.apply(done(joined, AgentResponse.finish("all")));
            m.settle();
        }
        assertThat(SnapshotCodec.encode("s", restored.state, "task"))
                .isEqualTo(SnapshotCodec.encode("s", live.state, "task"));
        assertThat(live.lifecycle.isStopped()).isTrue();
        assertThat(restored.state.finalResponses).containsExactly("all");
    }

    @Test
    void aPlaceNamingABranchTheStateDoesNotHold_isRefusedNamingIt() {
        Machine live = MachineTest.machineOver(fork, 100, new SessionState(T0), CLOCK, signal -> {});
        live.begin();
        MachinePart place = MachinePart.of(live);
        Machine empty = MachineTest.machineOver(fork, 100, new SessionState(T0), CLOCK, signal -> {});

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> place.restore(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("branch 'b1'");
    }

    private static Branch start(Machine m) {
        m.admit();
        Branch b = Objects.requireNonNull(m.next(), "nothing to start");
        assertThat(m.mayStart(b)).isTrue();
        m.stepping.start(b);
        return b;
    }

    private static Signal done(Branch b, AgentResponse response) {
        StepTelemetry telemetry = new StepTelemetry();
        telemetry.freeze();
        return new Signal.StepDone(
                new StepOutcome(b.id, b.stepToken, response, null, List.of(), T0, 1_000, telemetry, 0, null, Map.of()));
    }
}
