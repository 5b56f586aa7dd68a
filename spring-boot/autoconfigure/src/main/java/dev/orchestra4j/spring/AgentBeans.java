package dev.orchestra4j.spring;

import dev.langchain4j.model.chat.ChatModel;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.llm.LlmAgent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/** Builds the {@link AgentRegistry} from {@code Agent} beans and {@code orchestra4j.agents.*}. */
final class AgentBeans {

    private final ConfigurableListableBeanFactory beans;
    private final AgentRegistry registry = AgentRegistry.create();
    private final Map<String, String> definedBy = new LinkedHashMap<>();

    private AgentBeans(ConfigurableListableBeanFactory beans) {
        this.beans = beans;
    }

    static AgentRegistry registry(ConfigurableListableBeanFactory beans, Map<String, AgentProperties> llmAgents) {
        AgentBeans agents = new AgentBeans(beans);
        for (String beanName : beans.getBeanNamesForType(Agent.class)) {
            agents.addBean(beanName);
        }
        llmAgents.forEach(agents::addLlmAgent);
        return agents.registry;
    }

    private void addBean(String beanName) {
        boolean prototype = beans.isPrototype(beanName);
        OrchestraAgent annotation = beans.findAnnotationOnBean(beanName, OrchestraAgent.class);
        String origin = "bean '" + beanName + "'";
        String llmName = beans.getBean(beanName, Agent.class) instanceof LlmAgent llm ? llm.name() : null;
        if (annotation != null && llmName != null && !annotation.value().equals(llmName)) {
            throw new IllegalStateException("LlmAgent " + origin + " is named '" + llmName + "' but annotated"
                    + " @OrchestraAgent(\"" + annotation.value() + "\"): the model would be told the wrong name");
        }
        String node = annotation != null ? annotation.value() : llmName != null ? llmName : beanName;
        claim(node, origin);
        try {
            if (prototype) {
                registry.registerFactory(node, () -> beans.getBean(beanName, Agent.class));
            } else {
                registry.register(node, beans.getBean(beanName, Agent.class));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Agent " + origin + " cannot play node '" + node + "': " + e.getMessage()
                    + " (name the node with @OrchestraAgent)");
        }
    }

    private void addLlmAgent(String node, AgentProperties properties) {
        String property = OrchestraProperties.PREFIX + ".agents." + node;
        claim(node, property);
        LlmAgent.Builder agent = LlmAgent.builder()
                .name(node)
                .model(model(property, properties.getModel()))
                .systemPrompt(properties.getSystemPrompt());
        List<String> tools = properties.getTools();
        for (int i = 0; i < tools.size(); i++) {
            String tool = tools.get(i);
            try {
                agent.tools(beans.getBean(tool));
            } catch (NoSuchBeanDefinitionException e) {
                throw new IllegalStateException(property + ".tools[" + i + "]: no bean named '" + tool + "'");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(property + ".tools[" + i + "]: bean '" + tool + "' " + e.getMessage());
            }
        }
        try {
            registry.register(node, agent.build());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + ": " + e.getMessage());
        }
    }

    private ChatModel model(String property, @Nullable String beanName) {
        if (beanName != null) {
            try {
                return beans.getBean(beanName, ChatModel.class);
            } catch (BeansException e) {
                throw new IllegalStateException(
                        property + ".model: no ChatModel bean named '" + beanName + "' (" + names(beans) + ")");
            }
        }
        ChatModel model = beans.getBeanProvider(ChatModel.class).getIfUnique();
        if (model == null) {
            throw new IllegalStateException(
                    property + ".model: name the ChatModel bean this agent uses (" + names(beans) + ")");
        }
        return model;
    }

    private static String names(ListableBeanFactory beans) {
        String[] names = beans.getBeanNamesForType(ChatModel.class);
        return names.length == 0
                ? "the application has no ChatModel bean"
                : "ChatModel beans: " + String.join(", ", names);
    }

    private void claim(String node, String origin) {
        String earlier = definedBy.putIfAbsent(node, origin);
        if (earlier != null) {
            throw new IllegalStateException(
                    "Agent node '" + node + "' is defined twice: by " + earlier + " and by " + origin);
        }
    }
}
