package dev.orchestra4j.spring;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.topology.Topology;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The heart of the starter: agents, configs, storage and the {@link OrchestraInstance}. Every bean backs off when the
 * application defines one of its type.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"
        })
@ConditionalOnClass(OrchestraInstance.class)
@EnableConfigurationProperties(OrchestraProperties.class)
public class OrchestraAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AgentRegistry orchestraAgentRegistry(ConfigurableListableBeanFactory beans, OrchestraProperties properties) {
        return AgentBeans.registry(beans, properties.getAgents());
    }

    @Bean
    @ConditionalOnMissingBean
    ExecutionConfig orchestraExecutionConfig(OrchestraProperties properties) {
        Problems problems = new Problems(OrchestraProperties.PREFIX + ".execution.");
        ExecutionConfig config = properties.getExecution().toConfig(problems);
        problems.throwIfAny();
        return config;
    }

    @Bean
    @ConditionalOnMissingBean
    ErrorHandlingConfig orchestraErrorHandlingConfig(
            OrchestraProperties properties,
            ObjectProvider<CircuitBreakerRegistry> circuitBreakers,
            ObjectProvider<RateLimiterRegistry> rateLimiters,
            ObjectProvider<BulkheadRegistry> bulkheads) {
        Problems problems = new Problems(OrchestraProperties.PREFIX + ".errors.");
        ErrorHandlingConfig.Builder builder = properties.getErrors().toBuilder(problems);
        problems.throwIfAny();
        circuitBreakers.ifUnique(builder::circuitBreakers);
        rateLimiters.ifUnique(builder::rateLimiters);
        bulkheads.ifUnique(builder::bulkheads);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(Topology.class)
    OrchestraInstance orchestraInstance(
            OrchestraProperties properties,
            Map<String, Topology> topologies,
            AgentRegistry agents,
            ExecutionConfig execution,
            ErrorHandlingConfig errors,
            ObjectProvider<StateManager> stateManager,
            ObjectProvider<OrchestraListener> listeners,
            ObjectProvider<StepInterceptor> interceptors,
            ObjectProvider<OrchestraInstanceCustomizer> customizers) {
        Topology topology = InstanceTopology.choose(properties.getInstance().getTopology(), topologies, agents);
        OrchestraInstance.Builder builder = OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .executionConfig(execution)
                .errorConfig(errors);
        Problems problems = new Problems(OrchestraProperties.PREFIX + ".instance.");
        properties.getInstance().apply(builder, problems);
        problems.throwIfAny();
        stateManager.ifUnique(builder::stateManager);
        listeners.orderedStream().forEach(builder::listener);
        interceptors.orderedStream().forEach(builder::stepInterceptor);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            if (Boolean.TRUE.equals(properties.getInstance().getAllowFollowUps())
                    && e.getMessage() != null
                    && e.getMessage().contains("allowFollowUps")) {
                throw new IllegalArgumentException(
                        OrchestraProperties.PREFIX + ".instance.allow-follow-ups=true needs a live UserChannel to"
                                + " offer follow-ups on: set one in an OrchestraInstanceCustomizer"
                                + " (builder.communicationConfig(CommunicationConfig.of(channel))), or turn the"
                                + " property off",
                        e);
            }
            throw e;
        }
    }

    @Bean
    SessionDrain orchestraSessionDrain(ObjectProvider<OrchestraInstance> instances, OrchestraProperties properties) {
        return new SessionDrain(instances, properties.getInstance(), Clock.systemUTC());
    }

    /** Storage: the backend {@code orchestra4j.storage.type} names and a {@link StateManager} over it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "orchestra4j.storage.enabled", matchIfMissing = true)
    static class StorageConfiguration {

        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean({StorageBackend.class, StateManager.class})
        StorageBackend orchestraStorageBackend(OrchestraProperties properties, ConfigurableListableBeanFactory beans) {
            return StorageSelection.backend(properties.getStorage(), beans);
        }

        @Bean
        @ConditionalOnMissingBean
        StateManager orchestraStateManager(StorageBackend backend, OrchestraProperties properties) {
            Problems problems = new Problems(OrchestraProperties.PREFIX + ".storage.");
            StateManager manager = properties.getStorage().toStateManager(backend, problems);
            problems.throwIfAny();
            return manager;
        }
    }

    /** Which topology the instance runs, and whether every agent it needs is there. */
    static final class InstanceTopology {

        private InstanceTopology() {}

        static Topology choose(@Nullable String wanted, Map<String, Topology> topologies, AgentRegistry agents) {
            String property = OrchestraProperties.PREFIX + ".instance.topology";
            Topology topology;
            if (wanted != null) {
                topology = topologies.get(wanted);
                if (topology == null) {
                    throw new IllegalStateException(property + ": no Topology bean named '" + wanted + "' (known: "
                            + String.join(", ", new TreeSet<>(topologies.keySet())) + ")");
                }
            } else if (topologies.size() == 1) {
                topology = topologies.values().iterator().next();
            } else {
                throw new IllegalStateException(property + ": the application has " + topologies.size()
                        + " Topology beans (" + String.join(", ", new TreeSet<>(topologies.keySet()))
                        + "); name the one the OrchestraInstance runs");
            }
            TreeSet<String> missing = new TreeSet<>();
            topology.nodes().stream()
                    .filter(n -> n.isAgent() && !agents.contains(n.name()))
                    .forEach(n -> missing.add(n.name()));
            if (!missing.isEmpty()) {
                throw new IllegalStateException("The topology needs agents " + missing + " but no Agent bean (named so,"
                        + " or with @OrchestraAgent) and no orchestra4j.agents entry defines them; known agents: "
                        + agents.names() + hint(missing, agents));
            }
            return topology;
        }

        /** Bean names are usually lower camel case while node names are not: point at a near miss. */
        private static String hint(TreeSet<String> missing, AgentRegistry agents) {
            for (String node : missing) {
                for (String known : agents.names()) {
                    if (known.equalsIgnoreCase(node)) {
                        return " (bean '" + known + "' plays node '" + known + "'; annotate it with @OrchestraAgent(\""
                                + node + "\"))";
                    }
                }
            }
            return "";
        }
    }
}
