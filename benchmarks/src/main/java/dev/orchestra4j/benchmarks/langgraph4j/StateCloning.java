package dev.orchestra4j.benchmarks.langgraph4j;

import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.state.AgentState;

/** How a graph clones its state between steps. */
public enum StateCloning {
    /** LangGraph4j's default: {@code ObjectStreamStateSerializer}, a full serialize/deserialize round trip. */
    OBJECT_STREAM,
    /** {@link ShallowCloneSerializer}: copies the top-level map only. */
    SHALLOW;

    StateGraph<AgentState> newGraph() {
        return switch (this) {
            case OBJECT_STREAM -> new StateGraph<>(AgentState::new);
            case SHALLOW -> new StateGraph<>(new ShallowCloneSerializer());
        };
    }
}
