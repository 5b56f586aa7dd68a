package dev.orchestra4j.spring;

import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.metrics.MetricsCollector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * A {@link MetricsCollector} on the application's {@link MeterRegistry} (so {@code /actuator/prometheus} shows the
 * {@code orchestra_*} series) and, with an {@link ObservationRegistry}, observations around every agent call. The
 * collector is an {@code OrchestraListener} bean, so the auto-configured instance listens to it.
 */
@AutoConfiguration(
        before = OrchestraAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
        })
@ConditionalOnClass({MetricsCollector.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "orchestra4j.metrics.enabled", matchIfMissing = true)
public class OrchestraMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MetricsCollector orchestraMetricsCollector(
            MeterRegistry registry, ObjectProvider<ObservationRegistry> observations) {
        MetricsCollector.Builder builder = MetricsCollector.builder().registry(registry);
        observations.ifUnique(builder::observationRegistry);
        return builder.build();
    }

    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnBooleanProperty(name = "orchestra4j.metrics.observations", matchIfMissing = true)
    StepInterceptor orchestraObservationInterceptor(MetricsCollector collector) {
        return collector.stepInterceptor();
    }
}
