package dev.orchestra4j.benchmarks.langgraph4j;

import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.Map;
import org.bsc.langgraph4j.serializer.StateSerializer;
import org.bsc.langgraph4j.state.AgentState;

/**
 * A state serializer whose clone is a new {@link AgentState} over the same values (the state constructor
 * copies the map), the cheapest clone LangGraph4j accepts. It never writes bytes: the benchmarks use no
 * checkpoint saver.
 */
final class ShallowCloneSerializer extends StateSerializer<AgentState> {

    ShallowCloneSerializer() {
        super(AgentState::new);
    }

    @Override
    public AgentState cloneObject(AgentState state) {
        return new AgentState(state.data());
    }

    @Override
    public void writeData(Map<String, Object> data, ObjectOutput out) {
        throw new UnsupportedOperationException("benchmark serializer clones in memory only");
    }

    @Override
    public Map<String, Object> readData(ObjectInput in) {
        throw new UnsupportedOperationException("benchmark serializer clones in memory only");
    }
}
