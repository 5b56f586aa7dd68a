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
                    toolParts(s.toolCalls()),
                    s.inputTokens(),
                    s.outputTokens());
        }

        TraceStep toStep() {
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
                    .toolCalls(toolRecords(toolCalls))
                    .inputTokens(inputTokens)
                    .outputTokens(outputTokens)
                    .build();
        }
    }

    /** One tool call of a trace entry (or of a journaled step outcome, {@link OutcomePart}). */
    record ToolPart(String name, String arguments, String result, long durationNanos, boolean failed) {}

    /** {@code calls} as parts. */
    static List<ToolPart> toolParts(List<ToolCallRecord> calls) {
        List<ToolPart> parts = new ArrayList<>(calls.size());
        calls.forEach(t -> parts.add(
                new ToolPart(t.name(), t.arguments(), t.result(), t.duration().toNanos(), t.failed())));
        return parts;
    }

    /** The tool calls {@code parts} hold. */
    static List<ToolCallRecord> toolRecords(List<ToolPart> parts) {
        List<ToolCallRecord> calls = new ArrayList<>(parts.size());
        parts.forEach(t -> calls.add(new ToolCallRecord(
                t.name(), t.arguments(), t.result(), Duration.ofNanos(t.durationNanos()), t.failed())));
        return calls;
    }

    /** The journal's parts of {@code trace}. */
    static List<Part> parts(List<TraceStep> trace) {
        List<Part> parts = new ArrayList<>(trace.size());
        trace.forEach(s -> parts.add(Part.of(s)));
        return parts;
    }
}
