package dev.orchestra4j.spring;

import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.state.StateManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code orchestra4j} health contributor ({@code /actuator/health/orchestra4j}); off with {@code
 * management.health.orchestra4j.enabled=false}.
 */
@AutoConfiguration(after = OrchestraAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public class OrchestraHealthAutoConfiguration {

    /** Nested, so that its health-only condition is read only when spring-boot-health is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(OrchestraInstance.class)
    @ConditionalOnEnabledHealthIndicator("orchestra4j")
    static class HealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "orchestra4jHealthIndicator")
        OrchestraHealthIndicator orchestra4jHealthIndicator(
                ObjectProvider<OrchestraInstance> instance, ObjectProvider<StateManager> stateManager) {
            return new OrchestraHealthIndicator(instance.getIfUnique(), stateManager.getIfUnique());
        }
    }
}
