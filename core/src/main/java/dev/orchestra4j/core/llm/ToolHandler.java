package dev.orchestra4j.core.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;

/**
 * Runs one regular tool that an {@link LlmAgent} offers its model next to a hand-written {@code ToolSpecification}
 * (for {@code @Tool} methods the agent builds the handler itself).
 *
 * <p>The handler runs on its own virtual thread within the session's {@code toolTimeout}; when the timeout passes the
 * thread is interrupted and the model receives an error result. A thrown exception also becomes an error result that
 * the model sees, so a handler need not catch anything.
 */
@FunctionalInterface
public interface ToolHandler {

    /**
     * Executes the call.
     *
     * @param call the model's tool call: its id, the tool name and the JSON arguments
     * @return the result text the model receives
     * @throws Exception any failure; the model receives its message as an error result
     */
    String execute(ToolExecutionRequest call) throws Exception;
}
