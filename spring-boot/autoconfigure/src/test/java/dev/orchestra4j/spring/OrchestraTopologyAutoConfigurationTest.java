package dev.orchestra4j.spring;

import static dev.orchestra4j.spring.Runners.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.topology.Topology;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

final class OrchestraTopologyAutoConfigurationTest {

    private final ApplicationContextRunner runner = Runners.orchestra()
            .withBean("echo", Agent.class, () -> request -> AgentResponse.finish("echo " + request.input()));

    @Test
    void topologies_inlineProperties_becomeANamedBeanTheInstanceRuns() {
        runner.withPropertyValues(
                        "orchestra4j.topologies.research.flows[0]=Start -> echo",
                        "orchestra4j.topologies.research.flows[1]=echo -> End",
                        "orchestra4j.topologies.research.rules[0]=max_steps(7)")
                .run(context -> {
                    Topology topology = context.getBean("research", Topology.class);
                    assertThat(topology.edges()).hasSize(2);
                    assertThat(topology.rules()).hasSize(1);
                    assertThat(context.getBean(OrchestraInstance.class).topology())
                            .isSameAs(topology);
                    assertThat(context.getBean(OrchestraInstance.class)
                                    .execute("hi")
                                    .finalResponse())
                            .isEqualTo("echo hi");
                });
    }

    @Test
    void topologies_yamlAndJsonResources_areRead() {
        runner.withPropertyValues(
                        "orchestra4j.topologies.fromYaml.resource=classpath:topologies/echo.yaml",
                        "orchestra4j.topologies.fromJson.resource=classpath:topologies/echo.json",
                        "orchestra4j.instance.topology=fromJson")
                .run(context -> {
                    assertThat(context.getBean("fromYaml", Topology.class).edges())
                            .hasSize(2);
                    Topology json = context.getBean("fromJson", Topology.class);
                    assertThat(json.rules()).hasSize(1);
                    assertThat(context.getBean(OrchestraInstance.class).topology())
                            .isSameAs(json);
                });
    }

    @Test
    void topologies_invalidFlow_failsNamingTheTopologyProperty() {
        runner.withPropertyValues(
                        "orchestra4j.topologies.broken.flows[0]=Start -> echo",
                        "orchestra4j.topologies.broken.flows[1]=echo => End")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context)).contains("orchestra4j.topologies.broken:", "echo => End");
                });
    }

    @Test
    void topologies_missingResource_failsNamingTheResourceProperty() {
        runner.withPropertyValues("orchestra4j.topologies.gone.resource=classpath:topologies/nope.yaml")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.topologies.gone.resource: 'classpath:topologies/nope.yaml' does"
                                    + " not exist");
                });
    }

    @Test
    void topologies_resourceAndInlineKeys_failValidation() {
        runner.withPropertyValues(
                        "orchestra4j.topologies.both.resource=classpath:topologies/echo.yaml",
                        "orchestra4j.topologies.both.flows[0]=Start -> echo")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.topologies.both: set either resource or the inline keys");
                });
    }

    @Test
    void instance_severalTopologiesAndNoChoice_failsNamingInstanceTopology() {
        Runners.orchestra()
                .withUserConfiguration(Runners.EchoApp.class)
                .withPropertyValues("orchestra4j.topologies.second.resource=classpath:topologies/echo.yaml")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.instance.topology: the application has 2 Topology beans"
                                    + " (echoTopology, second)");
                });
    }

    @Test
    void instance_unknownTopologyName_failsListingTheKnownOnes() {
        Runners.orchestra()
                .withUserConfiguration(Runners.EchoApp.class)
                .withPropertyValues("orchestra4j.instance.topology=typo")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.instance.topology: no Topology bean named 'typo' (known:"
                                    + " echoTopology)");
                });
    }
}
