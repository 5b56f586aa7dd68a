package dev.orchestra4j.spring;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter's auto-configurations in an {@link ApplicationContextRunner}, and small fixtures the tests share. */
final class Runners {

    private Runners() {}

    static ApplicationContextRunner orchestra() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        OrchestraTopologyAutoConfiguration.class,
                        OrchestraMetricsAutoConfiguration.class,
                        OrchestraAutoConfiguration.class,
                        OrchestraHealthAutoConfiguration.class));
    }

    /** Every message along the startup failure's cause chain, so a test can look for the property name. */
    static String failure(AssertableApplicationContext context) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return String.join("\n", messages);
    }

    /** One agent bean named {@code echo} and a topology {@code Start -> echo -> End}. */
    @Configuration(proxyBeanMethods = false)
    static class EchoApp {

        @Bean
        Agent echo() {
            return request -> AgentResponse.finish("echo " + request.input());
        }

        @Bean
        Topology echoTopology() {
            return Topology.builder().edge("Start -> echo").edge("echo -> End").build();
        }
    }
}
