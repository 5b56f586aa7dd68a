package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolSpecification;

/** A tool the model may call inside a step: what the model sees, and what runs. */
record RegularTool(ToolSpecification specification, ToolHandler handler) {

    RegularTool {
        requireNonNull(specification, "specification");
        requireNonNull(handler, "handler");
    }

    String name() {
        return specification.name();
    }
}
