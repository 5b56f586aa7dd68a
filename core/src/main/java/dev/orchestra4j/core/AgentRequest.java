package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.data.message.ChatMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything one agent step sees.
 *
 * @param sessionId the session this step belongs to
 * @param branchId the branch running the step (unique within the session)
 * @param agent the node name of the agent being called
 * @param task the session's task, as given to {@code Orchestra.run}
 * @param input what the caller sent; after a barrier fired, a {@code List<Arrival>} with one entry per source
 * @param from who sent the input (an agent name, {@code "Start"}, {@code "User"}), or {@code null}
 * @param context the session context, read-only
 * @param memory this agent's messages in this branch: a working copy the agent may append to; what it holds when the
 *     step returns normally becomes the agent's memory for the next step on this branch, a failed step leaves the
 *     memory untouched
 * @param peers the agents this node may invoke (its successors in the topology, End and User excluded)
 * @param canFinish whether this node has an edge to End
 * @param canAskUser whether this node has an edge to User
 * @param step the session-wide step number (1-based)
 * @param attempt the attempt of this step (1 unless retried)
 * @param error why the previous attempt failed, or why this handler was reached over an error edge
 * @param config the session's execution settings (timeouts, steering limits)
 * @param recorder where to report token usage and tool calls
 */
public record AgentRequest(
        String sessionId,
        String branchId,
        String agent,
        Object task,
        Object input,
        @Nullable String from,
        Map<String, Object> context,
        List<ChatMessage> memory,
        List<String> peers,
        boolean canFinish,
        boolean canAskUser,
        int step,
        int attempt,
        Optional<ErrorContext> error,
        ExecutionConfig config,
        StepRecorder recorder) {

    public AgentRequest {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(branchId, "branchId");
        requireNonNull(agent, "agent");
        requireNonNull(task, "task");
        requireNonNull(input, "input");
        requireNonNull(context, "context");
        requireNonNull(memory, "memory");
        requireNonNull(peers, "peers");
        requireNonNull(error, "error");
        requireNonNull(config, "config");
        requireNonNull(recorder, "recorder");
    }

    /** The input as text: strings as they are, barrier aggregates as {@code [from Agent]} blocks, else {@code toString}. */
    public String inputText() {
        return Values.asText(input);
    }

    /** The arrivals after a barrier fired, or an empty list when the input is a single value. */
    public List<Arrival> arrivals() {
        if (input instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Arrival) {
            return list.stream().map(Arrival.class::cast).toList();
        }
        return List.of();
    }

    /** A minimal request for unit-testing an agent outside a session. */
    public static AgentRequest of(String agent, Object input) {
        return new AgentRequest(
                "test-session",
                "b1",
                agent,
                input,
                input,
                null,
                Map.of(),
                new java.util.ArrayList<>(),
                List.of(),
                true,
                false,
                1,
                1,
                Optional.empty(),
                ExecutionConfig.defaults(),
                StepRecorder.none());
    }
}
