package dev.orchestra4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Gauges stay sane under any order of events, including duplicates, losses and replays. */
final class MetricsCollectorPropertiesTest {

    private static final List<String> SESSIONS = List.of("s-1", "s-2", "s-3");
    private static final List<String> BRANCHES = List.of("b-1", "b-2", "b-3", "b-4");

    @Property(tries = 300)
    void onEvent_anyEventOrder_gaugesNeverNegativeNorAboveWhatIsLiveAndZeroAfterAllEnd(
            @ForAll("events") List<OrchestraEvent> events) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MetricsCollector collector = MetricsCollector.of(registry);

        for (OrchestraEvent event : events) {
            collector.onEvent(event);
            assertThat(gauge(registry, MetricNames.SESSIONS_ACTIVE)).isBetween(0.0, (double) SESSIONS.size());
            assertThat(gauge(registry, MetricNames.BRANCHES_ACTIVE))
                    .isBetween(0.0, (double) SESSIONS.size() * BRANCHES.size());
        }
        SESSIONS.forEach(s -> collector.onEvent(Events.session(s).runCompleted(RunStatus.CANCELLED, Duration.ZERO)));

        assertThat(gauge(registry, MetricNames.SESSIONS_ACTIVE)).isZero();
        assertThat(gauge(registry, MetricNames.BRANCHES_ACTIVE)).isZero();
    }

    @Provide
    Arbitrary<List<OrchestraEvent>> events() {
        Arbitrary<OrchestraEvent> event = Combinators.combine(
                        Arbitraries.of(SESSIONS),
                        Arbitraries.of(BRANCHES),
                        Arbitraries.integers().between(0, 7))
                .as((session, branch, kind) -> {
                    Events e = Events.session(session);
                    return switch (kind) {
                        case 0 -> e.runStarted();
                        case 1 -> e.runResumed();
                        case 2 -> e.runPaused();
                        case 3 -> e.runCompleted(RunStatus.WAITING_FOR_USER, Duration.ZERO);
                        case 4 -> e.branchSpawned(branch, "A");
                        case 5 -> e.branchSettled(branch, "A");
                        case 6 -> e.stepStarted(branch, "A");
                        default -> e.stepCompleted(branch, "A", Duration.ofMillis(1), 0, 0);
                    };
                });
        return event.list().ofMaxSize(60);
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
