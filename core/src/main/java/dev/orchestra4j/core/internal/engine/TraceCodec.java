package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.ToolCallRecord;
import dev.orchestra4j.core.TraceStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The execution trace in snapshots and journal entries, as records Jackson writes and reads. */
final class TraceCodec {

    private TraceCodec() {}

    /** One trace entry; the field names are the stored format's. */
    record Part(
            int index,
            String branchId,
            String agent,
            JsonNode input,
            TraceStep.Action action,
            List<String> targets,
            JsonNode output,
            String start,
            long durationNanos,
            int attempt,
            @Nullable String error,
            List<ToolPart> toolCalls,
            long inputTokens,
            long outputTokens) {

        Part {
            if (branchId == null
                    || agent == null
                    || input == null
                    || action == null
                    || targets == null
                    || output == null
                    || start == null
                    || toolCalls == null) {
                throw new IllegalArgumentException("a trace entry must have branchId, agent, input, action, targets,"
                        + " output, start and toolCalls");
            }
        }

        static Part of(TraceStep s) {
            List<ToolPart> tools = new ArrayList<>(s.toolCalls().size());
            s.toolCalls()
                    .forEach(t -> tools.add(new ToolPart(
                            t.name(), t.arguments(), t.result(), t.duration().toNanos(), t.failed())));
            return new Part(
                    s.index(),
                    s.branchId(),
                    s.agent(),
                    SnapshotValues.encode(s.input()),
                    s.action(),
                    s.targets(),
                    SnapshotValues.encode(s.output()),
                    s.start().toString(),
                    s.duration().toNanos(),
                    s.attempt(),
                    s.error().orElse(null),
                    tools,
                    s.inputTokens(),
                    s.outputTokens());
        }

        TraceStep toStep() {
            List<ToolCallRecord> tools = new ArrayList<>(toolCalls.size());
            toolCalls.forEach(t -> tools.add(new ToolCallRecord(
                    t.name(), t.arguments(), t.result(), Duration.ofNanos(t.durationNanos()), t.failed())));
            return TraceStep.builder()
                    .index(index)
                    .branchId(branchId)
                    .agent(agent)
                    .input(SnapshotValues.decode(input))
                    .action(action)
                    .targets(targets)
                    .output(SnapshotValues.decode(output))
                    .start(Instant.parse(start))
                    .duration(Duration.ofNanos(durationNanos))
                    .attempt(attempt)
                    .error(Optional.ofNullable(error))
                    .toolCalls(tools)
                    .inputTokens(inputTokens)
                    .outputTokens(outputTokens)
                    .build();
        }
    }

    /** One tool call of a trace entry. */
    record ToolPart(String name, String arguments, String result, long durationNanos, boolean failed) {}

    /** The journal's parts of {@code trace}. */
    static List<Part> parts(List<TraceStep> trace) {
        List<Part> parts = new ArrayList<>(trace.size());
        trace.forEach(s -> parts.add(Part.of(s)));
        return parts;
    }
}
