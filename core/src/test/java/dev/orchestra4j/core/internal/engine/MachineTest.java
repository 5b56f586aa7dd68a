package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.internal.event.EventBus;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue #11, point 1: the {@link Machine} driven on its own, with no shell — no coordinator loop, no step thread, no
 * storage, a fixed clock, an executor and agents that fail the test if anything calls them. The test plays the shell:
 * it starts the steps the machine queues, hands their outcomes back as signals, and reads the effects the machine asked
 * for (events held for the commit, interrupts to perform at once).
 */
final class MachineTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final List<Signal> posted = new ArrayList<>();
    private final List<String> interrupts = new ArrayList<>();
    private final Effects.Interrupter interrupter = new Effects.Interrupter() {
        @Override
        public void abandon(String branchId, long token, String node, boolean interrupt) {
            interrupts.add("abandon " + branchId + "#" + token + " at " + node + (interrupt ? " (interrupt)" : ""));
        }

        @Override
        public void interruptAll() {
            interrupts.add("interrupt all");
        }
    };

    @Test
    void aPipelineRunsToItsEndOnEventsAlone() {
        Machine m = machine(Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build());

        assertThat(m.lifecycle.begin(m)).as("a fresh run").isTrue();
        Branch a = next(m);
        assertThat(a.node).isEqualTo("A");
        long deadline = m.stepping.start(a);
        assertThat(deadline)
                .isEqualTo(T0.toEpochMilli()
                        + ExecutionConfig.builder().build().stepTimeout().toMillis());
        assertThat(m.stepping.running()).isEqualTo(1);

        assertThat(m.apply(new Signal.StepDone(outcome(a, AgentResponse.handOff("B", "to B")))))
                .isTrue();
        m.settle();
        Branch b = next(m);
        assertThat(b.node).isEqualTo("B");
        assertThat(b.input).isEqualTo("to B");
        m.stepping.start(b);
        assertThat(m.apply(new Signal.StepDone(outcome(b, AgentResponse.finish("done")))))
                .isTrue();
        m.settle();

        assertThat(m.lifecycle.isStopped()).isTrue();
        assertThat(m.lifecycle.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(m.state.finalResponses).containsExactly("done");
        assertThat(m.stepping.running()).isZero();
        assertThat(m.state.steps).isEqualTo(2);
        assertThat(m.telemetry.effects.heldEvents())
                .extracting(e -> e.getClass().getSimpleName())
                .containsExactly(
                        "RunStarted",
                        "BranchSpawned",
                        "StepStarted",
                        "StepCompleted",
                        "StepStarted",
                        "StepCompleted",
                        "BranchSettled",
                        "BarrierFired");
        assertThat(m.telemetry.effects.heldEvents()).allMatch(e -> e.timestamp().equals(T0));
        assertThat(interrupts).isEmpty();
        assertThat(posted).isEmpty();
    }

    @Test
    void cancellingWhileAStepRunsAsksTheShellToInterruptItAndDropsItsLateOutcome() {
        Machine m =
                machine(Topology.builder().edge("Start -> A").edge("A -> End").build());
        Branch a = firstStepStarted(m);
        long token = a.stepToken;

        assertThat(m.apply(new Signal.Cancel("the user left"))).isTrue();

        assertThat(interrupts).as("asked for, not yet performed").isEmpty();
        m.telemetry.effects.interruptNow(interrupter);
        assertThat(interrupts).containsExactly("interrupt all", "abandon " + a.id + "#" + token + " at A (interrupt)");
        m.telemetry.effects.interruptNow(interrupter);
        assertThat(interrupts).as("performed once").hasSize(2);
        assertThat(m.lifecycle.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(a.status()).isEqualTo(BranchStatus.ABANDONED);
        assertThat(m.stepping.running()).as("a zombie is not a running step").isZero();
        assertThat(m.telemetry.effects.heldEvents())
                .extracting(e -> e.getClass().getSimpleName())
                .contains("StepAbandoned");

        assertThat(m.apply(new Signal.StepDone(outcome(a, token, AgentResponse.finish("too late")))))
                .as("the late outcome of the step given up")
                .isFalse();
        assertThat(m.state.finalResponses).isEmpty();
    }

    @Test
    void aTimedOutStepIsGivenUpWithoutASecondInterruptAndFailsItsBranch() {
        Machine m =
                machine(Topology.builder().edge("Start -> A").edge("A -> End").build());
        Branch a = firstStepStarted(m);
        long token = a.stepToken;

        m.apply(new Signal.StepTimedOut(a.id, token));
        m.telemetry.effects.interruptNow(interrupter);

        assertThat(interrupts).containsExactly("abandon " + a.id + "#" + token + " at A"); // the scanner interrupted it
        assertThat(m.stepping.running()).isZero();
        assertThat(m.state.timeouts).isEqualTo(1);
        assertThat(m.telemetry.effects.heldEvents())
                .extracting(e -> e.getClass().getSimpleName())
                .contains("StepAbandoned", "TimeoutFired");
        m.apply(new Signal.StepTimedOut(a.id, token));
        m.telemetry.effects.interruptNow(interrupter);
        assertThat(interrupts).as("a second timeout of the same step is stale").hasSize(1);
    }

    @Test
    void theMachineDecidesWhichStepMayStart_maxStepsStopsTheRun() {
        Machine m = machine(
                Topology.builder()
                        .edge("Start -> A")
                        .edge("A -> B")
                        .edge("B -> End")
                        .build(),
                1);
        m.lifecycle.begin(m);
        Branch a = next(m);
        assertThat(m.stepping.next()).as("one branch, and it is taken").isNull();
        m.stepping.start(a);
        m.apply(new Signal.StepDone(outcome(a, AgentResponse.handOff("B", "to B"))));
        m.settle();

        Branch b = Objects.requireNonNull(m.stepping.next());
        assertThat(m.stepping.mayStart(b)).isFalse();
        assertThat(m.lifecycle.isStopped()).isTrue();
        assertThat(m.lifecycle.status()).isEqualTo(RunStatus.FAILED);
        assertThat(m.lifecycle.error()).startsWith("maxSteps (1) reached: the session ran 1 steps;");
        assertThat(m.state.steps).isEqualTo(1);
    }

    @Test
    void aPendingPauseLetsNoFurtherStepStart() {
        Machine m =
                machine(Topology.builder().edge("Start -> A").edge("A -> End").build());
        m.lifecycle.begin(m);
        m.admission.admit();
        m.apply(new Signal.Pause("for lunch"));
        assertThat(m.stepping.next()).isNull();
        assertThat(m.lifecycle.shouldSuspend(m))
                .as("nothing runs: it suspends at once")
                .isTrue();
        assertThat(m.lifecycle.status()).isEqualTo(RunStatus.PAUSED);
        assertThat(m.lifecycle.pauseReason()).isEqualTo("for lunch");
    }

    /** What replaying a journal of events needs: the same events from the same state give the same state and effects. */
    @Test
    void theSameEventsGiveTheSameEffects() {
        List<String> first = run();
        List<String> second = run();
        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    private List<String> run() {
        Machine m = machine(Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub -> W1")
                .edge("Hub -> W2")
                .edge("W1 -> Hub")
                .edge("W2 -> Hub")
                .edge("Hub -> End")
                .build());
        m.lifecycle.begin(m);
        Branch hub = next(m);
        m.stepping.start(hub);
        m.apply(new Signal.StepDone(outcome(
                hub,
                new AgentResponse.Parallel(List.of(
                        new dev.orchestra4j.core.Invocation("W1", "x"),
                        new dev.orchestra4j.core.Invocation("W2", "y"))))));
        m.settle();
        List<Branch> workers = List.of(next(m), next(m));
        workers.forEach(m.stepping::start);
        for (Branch w : workers.reversed()) {
            m.apply(new Signal.StepDone(outcome(w, AgentResponse.finish(w.node + " done"))));
            m.settle();
        }
        Branch joined = next(m);
        m.stepping.start(joined);
        m.apply(new Signal.StepDone(outcome(joined, AgentResponse.finish("all done"))));
        m.settle();
        assertThat(m.lifecycle.status()).isEqualTo(RunStatus.COMPLETED);
        List<String> seen = new ArrayList<>();
        for (OrchestraEvent e : m.telemetry.effects.heldEvents()) {
            seen.add(e.toString());
        }
        seen.add(m.state.finalResponses.toString());
        seen.add(
                SnapshotCodec.encode(m.spec.sessionId(), m.state, m.spec.task()).toString()); // the whole state
        return seen;
    }

    /** Begins a fresh run and starts its first step. */
    private Branch firstStepStarted(Machine m) {
        assertThat(m.lifecycle.begin(m)).isTrue();
        Branch first = next(m);
        m.stepping.start(first);
        return first;
    }

    private Branch next(Machine m) {
        m.admission.admit();
        Branch b = Objects.requireNonNull(m.stepping.next(), "the machine has no step to start");
        assertThat(m.stepping.mayStart(b)).isTrue();
        return b;
    }

    private static StepOutcome outcome(Branch b, AgentResponse response) {
        return outcome(b, b.stepToken, response);
    }

    private static StepOutcome outcome(Branch b, long token, AgentResponse response) {
        StepTelemetry telemetry = new StepTelemetry();
        telemetry.freeze();
        return new StepOutcome(b.id, token, response, null, List.of(), T0, 1_000, telemetry, 0, null, Map.of());
    }

    private Machine machine(Topology topology) {
        return machine(topology, 100);
    }

    private Machine machine(Topology topology, int maxSteps) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        return machineOver(topology, maxSteps, new SessionState(clock.instant()), clock, posted::add);
    }

    /** A machine over {@code state}, with agents that fail the test if called; events are built and held. */
    static Machine machineOver(Topology topology, int maxSteps, SessionState state, Clock clock, Machine.Inbox inbox) {
        Agent untouchable = request -> {
            throw new AssertionError("the machine never calls an agent");
        };
        AgentRegistry registry = AgentRegistry.create();
        topology.nodes().stream().filter(n -> n.isAgent()).forEach(n -> registry.register(n.name(), untouchable));
        ExecutionConfig execution = ExecutionConfig.builder().build();
        SessionSpec spec = new SessionSpec(
                "machine-test",
                "task",
                Map.of(),
                Map.of(),
                topology,
                registry,
                execution,
                ErrorHandlingConfig.builder().build(),
                CommunicationConfig.none(),
                maxSteps,
                false,
                Duration.ofSeconds(1),
                List.of(),
                false,
                List.of(),
                Map.of(),
                Optional.empty(),
                clock,
                task -> {
                    throw new AssertionError("the machine starts no thread");
                });
        EventBus bus = EventBus.of(List.of(event -> {}), List.of()); // somebody listens: events are built and held
        Telemetry telemetry = new Telemetry(spec.sessionId(), state, bus, clock);
        Lifecycle lifecycle = new Lifecycle(new FollowUps(false, Duration.ofSeconds(1), Optional.empty()));
        return new Machine(spec, new Plan(topology, registry, execution), state, telemetry, lifecycle, inbox);
    }
}
