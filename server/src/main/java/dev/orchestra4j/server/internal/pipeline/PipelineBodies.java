package dev.orchestra4j.server.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.flow.Performance;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.PipelineResult;
import dev.orchestra4j.server.internal.http.Json;
import java.time.Duration;
import java.time.Instant;

/** The JSON bodies of a perform: Stage's success body, and {@code status: failed} with the error and category. */
final class PipelineBodies {

    private PipelineBodies() {}

    static ObjectNode outcome(Pipeline p, PipelineResult<Object> result, Instant start, Instant end, boolean trace) {
        ObjectNode body = Json.object();
        body.put("pipeline_id", p.id());
        if (result.success()) {
            body.put("status", "success");
            body.set("result", Json.tree(result.output()));
        } else {
            body.put("status", "failed");
            ObjectNode error = body.putObject("error");
            error.put("message", result.error().orElse(result.status().name()));
            error.put("category", category(result));
        }
        body.put("duration_ms", millis(start, end));
        body.put("timestamp", end.toString());
        if (trace) {
            body.putObject("performance").set("history", history(result.performance()));
        }
        return body;
    }

    static ObjectNode crashed(Pipeline p, RuntimeException e, Instant start, Instant end) {
        ObjectNode body = Json.object();
        body.put("pipeline_id", p.id());
        body.put("status", "failed");
        ObjectNode error = body.putObject("error");
        error.put("message", String.valueOf(e.getMessage()));
        error.put("category", "UNKNOWN");
        body.put("duration_ms", millis(start, end));
        body.put("timestamp", end.toString());
        return body;
    }

    private static String category(PipelineResult<Object> result) {
        return result.performance().history().stream()
                .flatMap(h -> h.error().stream())
                .findFirst()
                .map(e -> e.contains("VALIDATION") || e.contains("contract") ? "VALIDATION" : "AGENT")
                .orElse(result.status().name());
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode history(Performance performance) {
        var list = Json.array();
        for (Performance.Entry e : performance.history()) {
            ObjectNode n = list.addObject();
            n.put("step_number", e.stepNumber());
            n.put("step_id", e.stepId());
            n.set("input", Json.tree(e.input()));
            n.set("output", Json.tree(e.output()));
            n.put("start", e.start().toString());
            n.put("duration_ms", e.duration().toNanos() / 1e6);
            n.put("attempt", e.attempt());
            n.set("error", Json.tree(e.error().orElse(null)));
        }
        return list;
    }

    static double millis(Instant start, Instant end) {
        return Math.round(Duration.between(start, end).toNanos() / 100.0) / 10_000.0;
    }
}
