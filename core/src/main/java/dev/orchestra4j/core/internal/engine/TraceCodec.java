package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.ToolCallRecord;
import dev.orchestra4j.core.TraceStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The execution trace in snapshots. */
final class TraceCodec {

    private TraceCodec() {}

    static ArrayNode encode(List<TraceStep> trace) {
        ArrayNode out = SnapshotValues.MAPPER.createArrayNode();
        for (TraceStep s : trace) {
            ObjectNode n = out.addObject();
            n.put("index", s.index()).put("branchId", s.branchId()).put("agent", s.agent());
            n.set("input", SnapshotValues.encode(s.input()));
            n.put("action", s.action().name());
            n.set("targets", SnapshotValues.MAPPER.valueToTree(s.targets()));
            n.set("output", SnapshotValues.encode(s.output()));
            n.put("start", s.start().toString())
                    .put("durationNanos", s.duration().toNanos());
            n.put("attempt", s.attempt()).put("error", s.error().orElse(null));
            ArrayNode tools = n.putArray("toolCalls");
            s.toolCalls().forEach(t -> tools.addObject()
                    .put("name", t.name())
                    .put("arguments", t.arguments())
                    .put("result", t.result())
                    .put("durationNanos", t.duration().toNanos())
                    .put("failed", t.failed()));
            n.put("inputTokens", s.inputTokens()).put("outputTokens", s.outputTokens());
        }
        return out;
    }

    /** One trace entry in a journal entry; the field names are those {@link #encode} writes. */
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

    static List<TraceStep> decode(SnapshotReader r, JsonNode array) {
        List<TraceStep> trace = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            List<String> targets = new ArrayList<>();
            r.array(n, "targets").forEach(t -> targets.add(t.asText()));
            List<ToolCallRecord> tools = new ArrayList<>();
            r.array(n, "toolCalls")
                    .forEach(t -> tools.add(new ToolCallRecord(
                            t.path("name").asText(),
                            t.path("arguments").asText(),
                            t.path("result").asText(),
                            Duration.ofNanos(t.path("durationNanos").asLong()),
                            t.path("failed").asBoolean())));
            trace.add(TraceStep.builder()
                    .index(r.integer(n, "index"))
                    .branchId(r.text(n, "branchId"))
                    .agent(r.text(n, "agent"))
                    .input(SnapshotValues.decode(r.field(n, "input")))
                    .action(r.enumValue(n, "action", TraceStep.Action.class))
                    .targets(targets)
                    .output(SnapshotValues.decode(r.field(n, "output")))
                    .start(Instant.parse(r.text(n, "start")))
                    .duration(Duration.ofNanos(n.path("durationNanos").asLong()))
                    .attempt(r.integer(n, "attempt"))
                    .error(Optional.ofNullable(r.optText(n, "error")))
                    .toolCalls(tools)
                    .inputTokens(n.path("inputTokens").asLong())
                    .outputTokens(n.path("outputTokens").asLong())
                    .build());
        }
        return trace;
    }
}
