package dev.orchestra4j.metrics;

import static dev.orchestra4j.metrics.Events.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.TimeoutKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class MetricsCollectorTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MetricsCollector collector = MetricsCollector.of(registry);
    private final Events s1 = Events.session("s-1");
    private final SimpleMeterRegistry tracedRegistry = new SimpleMeterRegistry();

    @Test
    void onEvent_successfulRun_countsRunStepsAndTokens() {
        s1.feedSuccessfulRun(collector);

        assertThat(count(MetricNames.RUNS, "status", "completed")).isEqualTo(1);
        assertThat(count(MetricNames.RUNS, "status", "failed")).isZero();
        assertThat(count(MetricNames.STEPS, "agent", "Researcher", "outcome", "success"))
                .isEqualTo(2);
        assertThat(count(MetricNames.STEPS, "agent", "Writer", "outcome", "success"))
                .isEqualTo(1);
        assertThat(count(MetricNames.TOKENS, "agent", "Researcher", "direction", "input"))
                .isEqualTo(150);
        assertThat(count(MetricNames.TOKENS, "agent", "Researcher", "direction", "output"))
                .isEqualTo(30);
        assertThat(registry.find(MetricNames.TOKENS).tag("agent", "Writer").meters())
                .as("agents without model tokens get no token series")
                .isEmpty();
    }

    @Test
    void onEvent_successfulRun_timesRunAndStepsWithEngineDurations() {
        s1.feedSuccessfulRun(collector);

        Timer run = registry.get(MetricNames.RUN_DURATION).timer();
        assertThat(run.count()).isEqualTo(1);
        assertThat(run.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(70.0);
        Timer researcher = registry.get(MetricNames.STEP_DURATION)
                .tag("agent", "Researcher")
                .timer();
        assertThat(researcher.count()).isEqualTo(2);
        assertThat(researcher.mean(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
        assertThat(researcher.max(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
    }

    @Test
    void onEvent_failedAttemptAndRetry_countsFailureAndRetryCategory() {
        feed(
                collector,
                s1.runStarted(),
                s1.stepStarted("b-1", "Researcher"),
                s1.stepFailed("b-1", "Researcher", ErrorCategory.RATE_LIMIT, Duration.ofMillis(4)),
                s1.retryScheduled("b-1", "Researcher", ErrorCategory.RATE_LIMIT),
                s1.stepStarted("b-1", "Researcher"),
                s1.stepCompleted("b-1", "Researcher", Duration.ofMillis(6), 0, 0),
                s1.runCompleted(RunStatus.COMPLETED, Duration.ofMillis(20)));

        assertThat(count(MetricNames.STEPS, "agent", "Researcher", "outcome", "failure"))
                .isEqualTo(1);
        assertThat(count(MetricNames.STEPS, "agent", "Researcher", "outcome", "success"))
                .isEqualTo(1);
        assertThat(count(MetricNames.RETRIES, "category", "rate_limit")).isEqualTo(1);
        assertThat(registry.get(MetricNames.STEP_DURATION)
                        .tag("agent", "Researcher")
                        .timer()
                        .count())
                .as("failed attempts are timed too")
                .isEqualTo(2);
    }

    @Test
    void onEvent_timeoutsAndBarriers_taggedByKind() {
        feed(
                collector,
                s1.timeoutFired(TimeoutKind.STEP),
                s1.timeoutFired(TimeoutKind.STEP),
                s1.timeoutFired(TimeoutKind.CONVERGENCE),
                s1.barrierFired(BarrierKind.FORK, Duration.ofMillis(40)),
                s1.barrierFired(BarrierKind.RENDEZVOUS, Duration.ofMillis(60)));

        assertThat(count(MetricNames.TIMEOUTS, "kind", "step")).isEqualTo(2);
        assertThat(count(MetricNames.TIMEOUTS, "kind", "convergence")).isEqualTo(1);
        assertThat(count(MetricNames.TIMEOUTS, "kind", "run")).isZero();
        Timer fork = registry.get(MetricNames.BARRIER_WAIT).tag("kind", "fork").timer();
        assertThat(fork.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
        assertThat(registry.get(MetricNames.BARRIER_WAIT)
                        .tag("kind", "rendezvous")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void onEvent_stepAbandoned_countsAbandonedStepsByAgent() {
        feed(
                collector,
                s1.runStarted(),
                s1.stepStarted("b-1", "Researcher"),
                s1.stepAbandoned("b-1", "Researcher"),
                s1.stepAbandoned("b-2", "Researcher"),
                s1.stepAbandoned("b-3", "Writer"));

        assertThat(count(MetricNames.STEPS_ABANDONED, "agent", "Researcher")).isEqualTo(2);
        assertThat(count(MetricNames.STEPS_ABANDONED, "agent", "Writer")).isEqualTo(1);
    }

    @Test
    void onEvent_checkpoints_recordsDurationByBackendAndBytes() {
        feed(
                collector,
                s1.checkpointSaved("file", 1000, Duration.ofMillis(2)),
                s1.checkpointSaved("file", 3000, Duration.ofMillis(4)),
                s1.checkpointSaved("jdbc", 2000, Duration.ofMillis(9)));

        assertThat(registry.get(MetricNames.CHECKPOINT_DURATION)
                        .tag("backend", "file")
                        .timer()
                        .mean(TimeUnit.MILLISECONDS))
                .isEqualTo(3.0);
        var bytes = registry.get(MetricNames.CHECKPOINT_BYTES).summary();
        assertThat(bytes.count()).isEqualTo(3);
        assertThat(bytes.totalAmount()).isEqualTo(6000.0);
        assertThat(bytes.max()).isEqualTo(3000.0);
        assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
    }

    @Test
    void onEvent_branchesSpawnAndSettle_gaugeFollowsAndNeverGoesNegative() {
        feed(collector, s1.runStarted(), s1.branchSpawned("b-1", "A"), s1.branchSpawned("b-2", "B"));
        assertThat(gauge(MetricNames.BRANCHES_ACTIVE)).isEqualTo(2);

        feed(collector, s1.branchSettled("b-1", "A"), s1.branchSettled("b-1", "A"), s1.branchSettled("b-9", "X"));
        assertThat(gauge(MetricNames.BRANCHES_ACTIVE))
                .as("duplicate and unknown settlements are ignored")
                .isEqualTo(1);

        feed(collector, s1.runCompleted(RunStatus.COMPLETED, Duration.ZERO));
        assertThat(gauge(MetricNames.BRANCHES_ACTIVE))
                .as("a run's end releases branches whose settlement was lost")
                .isZero();
    }

    @Test
    void onEvent_sessionsStartAndEnd_gaugeFollowsAndNeverGoesNegative() {
        Events s2 = Events.session("s-2");
        feed(collector, s1.runStarted(), s2.runStarted());
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isEqualTo(2);

        feed(collector, s1.runCompleted(RunStatus.COMPLETED, Duration.ZERO));
        feed(collector, s1.runCompleted(RunStatus.COMPLETED, Duration.ZERO));
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isEqualTo(1);

        feed(
                collector,
                s2.runCompleted(RunStatus.FAILED, Duration.ZERO),
                Events.session("s-3").runPaused());
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isZero();
    }

    @Test
    void onEvent_waitingForUserThenRespond_inactiveWhileSuspendedActiveAgainOnResume() {
        feed(collector, s1.runStarted(), s1.userQuestionAsked());
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE))
                .as("a question pending on a live channel keeps the session active")
                .isEqualTo(1);

        feed(collector, s1.runCompleted(RunStatus.WAITING_FOR_USER, Duration.ofMillis(5)));
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isZero();
        assertThat(count(MetricNames.RUNS, "status", "waiting_for_user")).isEqualTo(1);

        feed(collector, s1.runResumed(), s1.userAnswered());
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isEqualTo(1);

        feed(collector, s1.runCompleted(RunStatus.COMPLETED, Duration.ofMillis(5)));
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isZero();
        assertThat(registry.get(MetricNames.RUN_DURATION).timer().count()).isEqualTo(2);
    }

    @Test
    void onEvent_pausedThenCompletedPaused_decrementsAndCountsOnce() {
        feed(
                collector,
                s1.runStarted(),
                Events.session("s-2").runStarted(),
                s1.runPaused(),
                s1.runCompleted(RunStatus.PAUSED, Duration.ZERO));

        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isEqualTo(1);
        assertThat(count(MetricNames.RUNS, "status", "paused")).isEqualTo(1);
    }

    @Test
    void onEvent_pausedOnlyAsRunPaused_countsPausedRun() {
        feed(collector, s1.runStarted(), s1.runPaused(), s1.runResumed(), s1.runPaused());

        assertThat(count(MetricNames.RUNS, "status", "paused")).isEqualTo(2);
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isZero();
    }

    @Test
    void onEvent_followUpRoundOfActiveSession_countsSessionOnce() {
        feed(collector, s1.runStarted(), s1.runStarted());

        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isEqualTo(1);
    }

    @Test
    void onEvent_moreAgentsThanCap_newcomersTaggedOther() {
        MetricsCollector capped =
                MetricsCollector.builder().registry(registry).maxAgentTags(2).build();

        for (String agent : new String[] {"A", "B", "C", "D", "A"}) {
            capped.onEvent(s1.stepCompleted("b-1", agent, Duration.ofMillis(1), 0, 0));
        }

        assertThat(registry.find(MetricNames.STEPS).meters())
                .extracting(m -> m.getId().getTag("agent"))
                .containsExactlyInAnyOrder("A", "B", "other");
        assertThat(count(MetricNames.STEPS, "agent", "other", "outcome", "success"))
                .isEqualTo(2);
        assertThat(count(MetricNames.STEPS, "agent", "A", "outcome", "success")).isEqualTo(2);
    }

    @Test
    void onEvent_anyEvent_noMeterTaggedWithSessionBranchOrMessage() {
        s1.feedSuccessfulRun(collector);
        feed(
                collector,
                s1.stepFailed("b-1", "Researcher", ErrorCategory.AGENT, Duration.ZERO),
                s1.userQuestionAsked(),
                s1.checkpointSaved("file", 10, Duration.ZERO));

        assertThat(registry.getMeters())
                .flatExtracting(m -> m.getId().getTags())
                .extracting(Tag::getValue)
                .doesNotContain("s-1", "b-1", "secret user text", "what now?");
    }

    @Test
    void meters_registered_haveDescriptionsAndCountersHaveBaseUnits() {
        s1.feedSuccessfulRun(collector);
        feed(collector, s1.checkpointSaved("file", 1, Duration.ZERO));

        assertThat(registry.getMeters())
                .allSatisfy(meter -> assertThat(meter.getId().getDescription()).isNotBlank());
        assertThat(registry.getMeters())
                .filteredOn(m ->
                        m.getId().getType() == Meter.Type.COUNTER || m.getId().getType() == Meter.Type.GAUGE)
                .allSatisfy(meter -> assertThat(meter.getId().getBaseUnit()).isNotBlank());
    }

    @Test
    void prometheus_default_isBackedByPrometheusRegistry() {
        assertThat(MetricsCollector.prometheus().registry()).isInstanceOf(PrometheusMeterRegistry.class);
    }

    @Test
    void builder_nonPositiveCap_throwsNamingTheSetting() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MetricsCollector.builder().maxAgentTags(0))
                .withMessage("maxAgentTags must be positive, was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MetricsCollector.builder().maxTrackedSessions(-1))
                .withMessageContaining("maxTrackedSessions");
    }

    @Test
    void onEvent_stepObservations_parentedByRunAndTaggedLowCardinality() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        MetricsCollector traced = MetricsCollector.builder()
                .registry(tracedRegistry)
                .observationRegistry(observations)
                .build();

        feed(
                traced,
                s1.runStarted(),
                s1.stepStarted("b-1", "Researcher"),
                s1.stepCompleted("b-1", "Researcher", Duration.ofMillis(3), 0, 0),
                s1.stepStarted("b-1", "Writer"),
                s1.stepFailed("b-1", "Writer", ErrorCategory.TOOL, Duration.ofMillis(1)),
                s1.runCompleted(RunStatus.FAILED, Duration.ofMillis(9)));

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(MetricNames.OBSERVATION_STEP, 2)
                .hasObservationWithNameEqualTo(MetricNames.OBSERVATION_RUN)
                .that()
                .hasBeenStarted()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("status", "failed")
                .hasLowCardinalityKeyValue("trigger", "started")
                .hasHighCardinalityKeyValue("session.id", "s-1")
                .hasError();
        TestObservationRegistryAssert.assertThat(observations)
                .forAllObservationsWithNameEqualTo(MetricNames.OBSERVATION_STEP, step -> step.hasParentObservation()
                        .hasHighCardinalityKeyValue("branch.id", "b-1")
                        .hasLowCardinalityKeyValueWithKey("agent")
                        .doesNotHaveLowCardinalityKeyValueWithKey("session.id"))
                .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
                        .filteredOn(c -> c.getName().equals(MetricNames.OBSERVATION_STEP))
                        .allSatisfy(step -> assertThat(step.getParentObservation())
                                .isNotNull()
                                .extracting(parent -> parent.getContextView().getName())
                                .isEqualTo(MetricNames.OBSERVATION_RUN)));
        TestObservationRegistryAssert.assertThat(observations)
                .hasAnObservation(step -> step.hasNameEqualTo(MetricNames.OBSERVATION_STEP)
                        .hasLowCardinalityKeyValue("agent", "Writer")
                        .hasLowCardinalityKeyValue("outcome", "failure")
                        .hasLowCardinalityKeyValue("error.category", "tool")
                        .assertThatError()
                        .hasMessage("step failed: tool"));
    }

    @Test
    void onEvent_barrierAndCheckpoint_instantObservationsCarryMeasuredDuration() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        MetricsCollector traced = MetricsCollector.builder()
                .registry(tracedRegistry)
                .observationRegistry(observations)
                .build();

        feed(
                traced,
                s1.runStarted(),
                s1.barrierFired(BarrierKind.FORK, Duration.ofMillis(250)),
                s1.checkpointSaved("file", 512, Duration.ofMillis(3)),
                s1.runCompleted(RunStatus.COMPLETED, Duration.ofMillis(300)));

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo(MetricNames.OBSERVATION_BARRIER)
                .that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("kind", "fork")
                .hasHighCardinalityKeyValue("measured.ms", "250.0")
                .hasParentObservation();
        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo(MetricNames.OBSERVATION_CHECKPOINT)
                .that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("backend", "file")
                .hasHighCardinalityKeyValue("bytes", "512");
    }

    @Test
    void onEvent_runEndsWithStepInFlight_stepStoppedAsAbandoned() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        MetricsCollector traced = MetricsCollector.builder()
                .registry(tracedRegistry)
                .observationRegistry(observations)
                .build();

        feed(
                traced,
                s1.runStarted(),
                s1.stepStarted("b-1", "Researcher"),
                s1.runCompleted(RunStatus.TIMED_OUT, Duration.ofMillis(9)));

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo(MetricNames.OBSERVATION_STEP)
                .that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "abandoned");
    }

    @Test
    void onEvent_moreSessionsThanTracked_evictsOldestAndStopsItsObservations() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        StoppedObservations stopped = new StoppedObservations();
        observations.observationConfig().observationHandler(stopped);
        MetricsCollector traced = MetricsCollector.builder()
                .registry(tracedRegistry)
                .observationRegistry(observations)
                .maxTrackedSessions(2)
                .build();

        feed(
                traced,
                s1.runStarted(),
                s1.stepStarted("b-1", "A"),
                Events.session("s-2").runStarted(),
                Events.session("s-3").runStarted());

        assertThat(tracedRegistry.get(MetricNames.SESSIONS_ACTIVE).gauge().value())
                .isEqualTo(2);
        assertThat(stopped.named("outcome", "evicted"))
                .containsExactly(MetricNames.OBSERVATION_STEP, MetricNames.OBSERVATION_RUN);
        TestObservationRegistryAssert.assertThat(observations)
                .hasAnObservation(run -> run.hasNameEqualTo(MetricNames.OBSERVATION_RUN)
                        .hasHighCardinalityKeyValue("session.id", "s-1")
                        .hasLowCardinalityKeyValue("outcome", "evicted"));
    }

    @Test
    void onEvent_manySessionsConcurrently_countsEveryRunAndEndsIdle() throws Exception {
        int sessions = 200;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> runs = IntStream.range(0, sessions)
                    .<Future<?>>mapToObj(i -> pool.submit(() -> {
                        go.await();
                        Events.session("s-" + i).feedSuccessfulRun(collector);
                        return null;
                    }))
                    .toList();
            go.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
        }

        assertThat(count(MetricNames.RUNS, "status", "completed")).isEqualTo(sessions);
        assertThat(count(MetricNames.STEPS, "agent", "Researcher", "outcome", "success"))
                .isEqualTo(2.0 * sessions);
        assertThat(gauge(MetricNames.SESSIONS_ACTIVE)).isZero();
        assertThat(gauge(MetricNames.BRANCHES_ACTIVE)).isZero();
    }

    @Test
    void onEvent_registryRejectsAMeter_logsAndKeepsRecordingOthers() {
        PrometheusMeterRegistry strict = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        strict.throwExceptionOnRegistrationFailure();
        Counter.builder(MetricNames.STEPS).tag("unrelated", "x").register(strict);
        MetricsCollector guarded = MetricsCollector.of(strict);

        assertThatNoException().isThrownBy(() -> s1.feedSuccessfulRun(guarded));
        assertThat(strict.get(MetricNames.RUNS)
                        .tag("status", "completed")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double gauge(String name) {
        double value = registry.get(name).gauge().value();
        assertThat(value).isGreaterThanOrEqualTo(0.0);
        return value;
    }
}
