package dev.orchestra4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.metrics.MetricNames;
import dev.orchestra4j.metrics.MetricsCollector;
import dev.orchestra4j.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

final class OrchestraMetricsAutoConfigurationTest {

    private final ApplicationContextRunner runner = Runners.orchestra()
            .withUserConfiguration(Runners.EchoApp.class)
            .withBean(OrchestraInstanceCustomizer.class, () -> b -> b.awaitListeners(true));

    @Test
    void collector_onTheApplicationsMeterRegistry_recordsRuns() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runner.withBean(MeterRegistry.class, () -> registry).run(context -> {
            assertThat(context.getBean(MetricsCollector.class).registry()).isSameAs(registry);
            context.getBean(OrchestraInstance.class).execute("count me");
            assertThat(registry.get(MetricNames.RUNS)
                            .tag(MetricNames.TAG_STATUS, "completed")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
            assertThat(registry.get(MetricNames.STEPS)
                            .tag(MetricNames.TAG_AGENT, "echo")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
        });
    }

    @Test
    void collector_withoutMeterRegistry_isAbsent() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MetricsCollector.class));
    }

    @Test
    void collector_withoutMicrometerOnTheClassPath_isAbsent() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MetricsCollector.class));
    }

    @Test
    void collector_disabledByProperty_isAbsent() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("orchestra4j.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MetricsCollector.class));
    }

    @Test
    void collector_userBean_backsOff() {
        MetricsCollector mine = MetricsCollector.of(new SimpleMeterRegistry());
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(MetricsCollector.class, () -> mine)
                .run(context ->
                        assertThat(context.getBean(MetricsCollector.class)).isSameAs(mine));
    }

    @Test
    void observations_withObservationRegistry_agentCallIsTheCurrentObservation() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(context -> true);
        AtomicReference<String> seen = new AtomicReference<>("none");
        Agent probe = request -> {
            Observation current = observations.getCurrentObservation();
            seen.set(current == null ? "none" : current.getContext().getName());
            return AgentResponse.finish("ok");
        };
        Runners.orchestra()
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ObservationRegistry.class, () -> observations)
                .withBean("probe", Agent.class, () -> probe)
                .withBean(Topology.class, () -> Topology.builder()
                        .edge("Start -> probe")
                        .edge("probe -> End")
                        .build())
                .run(context -> {
                    assertThat(context).hasSingleBean(StepInterceptor.class);
                    context.getBean(OrchestraInstance.class).execute("x");
                    assertThat(seen).hasValue(MetricNames.OBSERVATION_AGENT_CALL);
                });
    }

    @Test
    void observations_disabledByProperty_noInterceptor() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withPropertyValues("orchestra4j.metrics.observations=false")
                .run(context -> assertThat(context)
                        .hasSingleBean(MetricsCollector.class)
                        .doesNotHaveBean(StepInterceptor.class));
    }
}
