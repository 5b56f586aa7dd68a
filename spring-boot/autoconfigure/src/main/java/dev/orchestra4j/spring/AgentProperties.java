package dev.orchestra4j.spring;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code orchestra4j.agents.<node>.*}: an {@code LlmAgent} for the node {@code <node>}, built on a LangChain4j
 * {@code ChatModel} bean.
 */
public class AgentProperties {

    /** Name of the ChatModel bean; may be left out when the application has exactly one. */
    private @Nullable String model;
    /** The agent's instructions. */
    private String systemPrompt = "";
    /** Names of beans whose @Tool methods the agent may call. */
    private List<String> tools = new ArrayList<>();

    public @Nullable String getModel() {
        return model;
    }

    public void setModel(@Nullable String model) {
        this.model = model;
    }

    public String getSystemPrompt() {
        return systemPrompt;
    }

    public void setSystemPrompt(String systemPrompt) {
        this.systemPrompt = systemPrompt;
    }

    public List<String> getTools() {
        return tools;
    }

    public void setTools(List<String> tools) {
        this.tools = tools;
    }
}
