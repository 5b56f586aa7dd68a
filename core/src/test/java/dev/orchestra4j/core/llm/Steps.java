package dev.orchestra4j.core.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.StepRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/** Test fixture: builds {@link AgentRequest}s for one agent step and records what the step reported. */
final class Steps {

    private String agent = "Hub";
    private Object task = "Plan a trip";
    private Object input = "Plan a trip";
    private @Nullable String from;
    private List<String> peers = List.of();
    private boolean canFinish;
    private boolean canAskUser;
    private List<ChatMessage> memory = new ArrayList<>();
    private Optional<ErrorContext> error = Optional.empty();
    private ExecutionConfig config = ExecutionConfig.defaults();
    final Recorder recorder = new Recorder();

    static Steps of(String agent) {
        Steps steps = new Steps();
        steps.agent = agent;
        return steps;
    }

    Steps peers(String... names) {
        peers = List.of(names);
        return this;
    }

    Steps canFinish() {
        canFinish = true;
        return this;
    }

    Steps canAskUser() {
        canAskUser = true;
        return this;
    }

    Steps input(Object value, @Nullable String sender) {
        input = value;
        from = sender;
        return this;
    }

    Steps task(Object value) {
        task = value;
        input = value;
        return this;
    }

    Steps memory(List<ChatMessage> messages) {
        memory = messages;
        return this;
    }

    Steps error(ErrorContext context) {
        error = Optional.of(context);
        return this;
    }

    Steps config(ExecutionConfig value) {
        config = value;
        return this;
    }

    Steps toolTimeout(Duration timeout) {
        return config(config.toBuilder().toolTimeout(timeout).build());
    }

    AgentRequest request() {
        return AgentRequest.builder()
                .sessionId("s-1")
                .branchId("b1")
                .agent(agent)
                .task(task)
                .input(input)
                .from(from)
                .memory(memory)
                .peers(peers)
                .canFinish(canFinish)
                .canAskUser(canAskUser)
                .error(error)
                .config(config)
                .recorder(recorder)
                .build();
    }

    /** A {@link StepRecorder} that keeps everything. */
    static final class Recorder implements StepRecorder {
        final List<long[]> tokens = new ArrayList<>();
        final ConcurrentLinkedQueue<ToolCall> toolCalls = new ConcurrentLinkedQueue<>();

        @Override
        public void tokens(long in, long out) {
            tokens.add(new long[] {in, out});
        }

        @Override
        public void toolCall(String name, String arguments, String result, Duration duration, boolean failed) {
            toolCalls.add(new ToolCall(name, arguments, result, failed));
        }
    }

    record ToolCall(String name, String arguments, String result, boolean failed) {}
}
