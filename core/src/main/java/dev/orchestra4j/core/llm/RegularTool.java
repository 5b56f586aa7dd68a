package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;

/** A tool the model may call inside a step: what the model sees, and what runs. */
record RegularTool(ToolSpecification specification, Runner handler) {

    /** Runs one call; {@code memoryId} is what {@code @ToolMemoryId} parameters receive (the session id). */
    @FunctionalInterface
    interface Runner {
        String execute(ToolExecutionRequest call, Object memoryId) throws Exception;
    }

    RegularTool {
        requireNonNull(specification, "specification");
        requireNonNull(handler, "handler");
    }

    String name() {
        return specification.name();
    }
}
