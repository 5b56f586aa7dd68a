package dev.orchestra4j.spring;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.spring.Runners.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.ChatModel;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.topology.Topology;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

final class OrchestraAutoConfigurationTest {

    private final ApplicationContextRunner runner = Runners.orchestra();

    @Test
    void instance_agentBeanAndTopologyBean_runsASession() {
        runner.withUserConfiguration(Runners.EchoApp.class).run(context -> {
            OrchestraResult result = context.getBean(OrchestraInstance.class).execute("hello");
            assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(result.finalResponse()).isEqualTo("echo hello");
        });
    }

    @Test
    void registry_nodeNames_comeFromAnnotationLlmAgentOrBeanName() {
        runner.withUserConfiguration(NamedAgents.class).run(context -> {
            AgentRegistry registry = context.getBean(AgentRegistry.class);
            assertThat(registry.names()).containsExactlyInAnyOrder("plain", "Critic", "Writer", "Counter");
            assertThat(registry.isPerBranch("Counter")).isTrue();
            assertThat(registry.isPerBranch("plain")).isFalse();
            assertThat(registry.find("Counter").orElseThrow())
                    .isNotSameAs(registry.find("Counter").orElseThrow());
        });
    }

    @Test
    void registry_userDefinedRegistry_backsOff() {
        AgentRegistry mine = AgentRegistry.create().register("echo", r -> AgentResponse.finish("mine"));
        runner.withUserConfiguration(Runners.EchoApp.class)
                .withBean(AgentRegistry.class, () -> mine)
                .run(context -> {
                    assertThat(context.getBean(AgentRegistry.class)).isSameAs(mine);
                    assertThat(context.getBean(OrchestraInstance.class)
                                    .execute("x")
                                    .finalResponse())
                            .isEqualTo("mine");
                });
    }

    @Test
    void registry_sameNodeTwice_failsNamingBoth() {
        runner.withUserConfiguration(Runners.EchoApp.class)
                .withBean("other", Agent.class, EchoAgentNamedEcho::new)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context)).contains("'echo' is defined twice", "bean 'echo'", "bean 'other'");
                });
    }

    @Test
    void registry_llmAgentAnnotatedWithAnotherName_fails() {
        runner.withUserConfiguration(MisnamedLlmAgent.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context))
                    .contains("LlmAgent bean 'misnamed' is named 'Editor' but annotated"
                            + " @OrchestraAgent(\"Critic\")");
        });
    }

    @Test
    void drain_isALifecycleStartedAndStoppedWithTheContext() {
        runner.withUserConfiguration(Runners.EchoApp.class).run(context -> {
            SessionDrain drain = context.getBean(SessionDrain.class);
            assertThat(drain.isRunning()).isTrue();
            context.close();
            assertThat(drain.isRunning()).isFalse();
        });
    }

    @Test
    void llmAgents_fromProperties_runOnTheChatModelBeanWithToolBeans() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent("Writer", ScriptedChatModel.toolCall("shout", "{\"text\":\"hi\"}"), finish("wrote HI"))
                .build();
        runner.withBean(ChatModel.class, () -> model)
                .withBean("shouting", Shouting.class, Shouting::new)
                .withBean(Topology.class, () -> Topology.builder()
                        .edge("Start -> Writer")
                        .edge("Writer -> End")
                        .build())
                .withPropertyValues(
                        "orchestra4j.agents.Writer.system-prompt=You write.",
                        "orchestra4j.agents.Writer.tools=shouting")
                .run(context -> {
                    assertThat(context.getBean(AgentRegistry.class).names()).containsExactly("Writer");
                    OrchestraResult result =
                            context.getBean(OrchestraInstance.class).execute("write");
                    assertThat(result.finalResponse()).isEqualTo("wrote HI");
                    assertThat(context.getBean(Shouting.class).calls).hasValue(1);
                    assertThat(model.requests("Writer")
                                    .getFirst()
                                    .messages()
                                    .getFirst()
                                    .toString())
                            .contains("You write.");
                });
    }

    @Test
    void allowFollowUps_withoutALiveChannel_failsNamingTheProperty() {
        runner.withUserConfiguration(Runners.EchoApp.class)
                .withPropertyValues("orchestra4j.instance.allow-follow-ups=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.instance.allow-follow-ups=true", "OrchestraInstanceCustomizer");
                });
    }

    @Test
    void llmAgents_noChatModel_failsNamingTheModelProperty() {
        runner.withPropertyValues("orchestra4j.agents.Writer.system-prompt=You write.")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.agents.Writer.model", "the application has no ChatModel bean");
                });
    }

    @Test
    void llmAgents_unknownToolBean_failsNamingTheToolProperty() {
        runner.withBean(ChatModel.class, () -> ScriptedChatModel.of())
                .withPropertyValues("orchestra4j.agents.Writer.tools=nope")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context)).contains("orchestra4j.agents.Writer.tools[0]: no bean named 'nope'");
                });
    }

    @Test
    void executionConfig_fromProperties_boundThroughTheBuilder() {
        runner.withPropertyValues(
                        "orchestra4j.execution.step-timeout=5s",
                        "orchestra4j.execution.run-timeout=1m",
                        "orchestra4j.execution.convergence-policy=majority",
                        "orchestra4j.execution.max-concurrent-steps=8")
                .run(context -> {
                    ExecutionConfig config = context.getBean(ExecutionConfig.class);
                    assertThat(config.stepTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(config.runTimeout()).contains(Duration.ofMinutes(1));
                    assertThat(config.convergencePolicy()).isEqualTo(ConvergencePolicy.MAJORITY);
                    assertThat(config.maxConcurrentSteps()).isEqualTo(8);
                    assertThat(config.toolTimeout()).isEqualTo(Duration.ofMinutes(2));
                });
    }

    @Test
    void executionConfig_userBean_backsOff() {
        ExecutionConfig mine = ExecutionConfig.builder().maxConcurrentSteps(3).build();
        runner.withBean(ExecutionConfig.class, () -> mine)
                .withPropertyValues("orchestra4j.execution.max-concurrent-steps=8")
                .run(context ->
                        assertThat(context.getBean(ExecutionConfig.class)).isSameAs(mine));
    }

    @Test
    void executionConfig_invalidValues_failStartupNamingEachProperty() {
        runner.withPropertyValues(
                        "orchestra4j.execution.step-timeout=0s",
                        "orchestra4j.execution.convergence-policy=sometimes",
                        "orchestra4j.execution.content-only-steering-threshold=5",
                        "orchestra4j.execution.content-only-hard-limit=5")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.execution.step-timeout: stepTimeout must be positive, was PT0S")
                            .contains(
                                    "orchestra4j.execution.convergence-policy: unknown convergence policy 'sometimes'")
                            .contains("orchestra4j.execution.content-only-hard-limit: contentOnlyHardLimit must be"
                                    + " greater than contentOnlySteeringThreshold");
                });
    }

    @Test
    void errorConfig_fromPropertiesAndResilienceRegistry() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        runner.withBean(CircuitBreakerRegistry.class, () -> breakers)
                .withPropertyValues("orchestra4j.errors.max-retries=1", "orchestra4j.errors.base-delay=10ms")
                .run(context -> {
                    ErrorHandlingConfig config = context.getBean(ErrorHandlingConfig.class);
                    assertThat(config.maxRetries()).isEqualTo(1);
                    assertThat(config.baseDelay()).isEqualTo(Duration.ofMillis(10));
                    assertThat(config.circuitBreakers()).containsSame(breakers);
                });
    }

    @Test
    void errorConfig_invalidJitterAndDelays_failStartupNamingTheProperties() {
        runner.withPropertyValues(
                        "orchestra4j.errors.jitter=1.5",
                        "orchestra4j.errors.base-delay=10s",
                        "orchestra4j.errors.max-delay=1s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("orchestra4j.errors.jitter: jitter must be within [0, 1), was 1.5")
                            .contains("orchestra4j.errors.base-delay, max-delay: delays must satisfy");
                });
    }

    @Test
    void errorConfig_userBean_backsOff() {
        ErrorHandlingConfig mine = ErrorHandlingConfig.builder().maxRetries(0).build();
        runner.withBean(ErrorHandlingConfig.class, () -> mine)
                .run(context ->
                        assertThat(context.getBean(ErrorHandlingConfig.class)).isSameAs(mine));
    }

    @Test
    void instance_noTopology_isNotCreatedButTheRestIs() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(OrchestraInstance.class);
            assertThat(context).hasSingleBean(AgentRegistry.class).hasSingleBean(ExecutionConfig.class);
        });
    }

    @Test
    void instance_userBean_backsOff() {
        runner.withUserConfiguration(Runners.EchoApp.class)
                .withBean("mine", OrchestraInstance.class, () -> OrchestraInstance.builder()
                        .topology(Topology.builder()
                                .edge("Start -> echo")
                                .edge("echo -> End")
                                .build())
                        .build())
                .run(context -> assertThat(context)
                        .getBeanNames(OrchestraInstance.class)
                        .containsExactly("mine"));
    }

    @Test
    void instance_missingAgent_failsNamingIt() {
        runner.withBean(Topology.class, () -> Topology.builder()
                        .edge("Start -> Ghost")
                        .edge("Ghost -> End")
                        .build())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context)).contains("The topology needs agents [Ghost]");
                });
    }

    @Test
    void instance_agentBeanNamedInLowerCase_failsWithAHint() {
        runner.withBean("ghost", Agent.class, () -> r -> AgentResponse.finish("boo"))
                .withBean(Topology.class, () -> Topology.builder()
                        .edge("Start -> Ghost")
                        .edge("Ghost -> End")
                        .build())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context))
                            .contains("The topology needs agents [Ghost]")
                            .contains("annotate it with @OrchestraAgent(\"Ghost\")");
                });
    }

    @Test
    void instance_listenerAndCustomizerBeans_areApplied() {
        List<OrchestraEvent> events = new CopyOnWriteArrayList<>();
        runner.withUserConfiguration(Runners.EchoApp.class)
                .withBean(OrchestraListener.class, () -> events::add)
                .withBean(OrchestraInstanceCustomizer.class, () -> b -> b.awaitListeners(true))
                .run(context -> {
                    OrchestraResult result =
                            context.getBean(OrchestraInstance.class).execute("x");
                    assertThat(result.success()).isTrue();
                    assertThat(events).anyMatch(OrchestraEvent.RunCompleted.class::isInstance);
                });
    }

    @Test
    void instance_maxStepsProperty_limitsEverySession() {
        runner.withBean("a", Agent.class, () -> r -> AgentResponse.handOff("b", "from a"))
                .withBean("b", Agent.class, () -> r -> AgentResponse.finish("from b"))
                .withBean(Topology.class, () -> Topology.builder()
                        .edge("Start -> a")
                        .edge("a -> b")
                        .edge("b -> End")
                        .build())
                .withPropertyValues("orchestra4j.instance.max-steps=1")
                .run(context -> {
                    OrchestraResult result =
                            context.getBean(OrchestraInstance.class).execute("x");
                    assertThat(result.success()).isFalse();
                    assertThat(result.error())
                            .hasValueSatisfying(e -> assertThat(e).contains("maxSteps (1) reached"));
                });
    }

    @Test
    void instance_invalidMaxSteps_failsNamingTheProperty() {
        runner.withUserConfiguration(Runners.EchoApp.class)
                .withPropertyValues("orchestra4j.instance.max-steps=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failure(context)).contains("orchestra4j.instance.max-steps: maxSteps must be positive");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class NamedAgents {

        @Bean
        Agent plain() {
            return r -> AgentResponse.finish("plain");
        }

        @Bean
        @OrchestraAgent("Critic")
        Agent criticBean() {
            return r -> AgentResponse.finish("doubts");
        }

        @Bean
        LlmAgent writerBean() {
            return LlmAgent.builder()
                    .name("Writer")
                    .model(ScriptedChatModel.of())
                    .build();
        }

        @Bean
        @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
        @OrchestraAgent("Counter")
        Agent counter() {
            return new CountingAgent();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MisnamedLlmAgent {

        @Bean
        @OrchestraAgent("Critic")
        LlmAgent misnamed() {
            return LlmAgent.builder()
                    .name("Editor")
                    .model(ScriptedChatModel.of())
                    .build();
        }
    }

    static final class CountingAgent implements Agent {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public AgentResponse act(dev.orchestra4j.core.AgentRequest request) {
            return AgentResponse.finish(calls.incrementAndGet());
        }
    }

    @OrchestraAgent("echo")
    static final class EchoAgentNamedEcho implements Agent {
        @Override
        public AgentResponse act(dev.orchestra4j.core.AgentRequest request) {
            return AgentResponse.finish("other");
        }
    }

    static final class Shouting {
        final AtomicInteger calls = new AtomicInteger();

        @Tool("Shouts a text")
        String shout(String text) {
            calls.incrementAndGet();
            return text.toUpperCase(java.util.Locale.ROOT);
        }
    }
}
