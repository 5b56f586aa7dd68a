package dev.orchestra4j.server.internal.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.Score;
import dev.orchestra4j.flow.Step;
import dev.orchestra4j.server.internal.http.Json;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * Symphony Stage's {@code StepInfo}: one entry per step (every ensemble member and fork route) with its block type
 * and a flat {@code {field: type}} schema read from the step's record types (exact types, not a name heuristic).
 */
final class PipelineSchema {

    private PipelineSchema() {}

    static ObjectNode summary(Pipeline p) {
        ObjectNode n = Json.object();
        n.put("id", p.id());
        n.put("description", p.description());
        n.set("steps", steps(p));
        return n;
    }

    static ObjectNode detail(Pipeline p) {
        ObjectNode n = summary(p);
        n.set("metadata", Json.tree(p.metadata()));
        n.set("steps", steps(p));
        return n;
    }

    private static ArrayNode steps(Pipeline p) {
        ArrayNode steps = Json.array();
        for (Score.Block block : p.blocks()) {
            for (Step<?, ?> step : block.steps()) {
                ObjectNode s = steps.addObject();
                s.put("id", step.id());
                s.put("description", step.description());
                s.put("type", block.type());
                s.set("input_schema", schema(step.inputType()));
                s.set("output_schema", schema(step.outputType()));
            }
        }
        return steps;
    }

    private static com.fasterxml.jackson.databind.JsonNode schema(Class<?> type) {
        if (!type.isRecord()) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode fields = Json.object();
        for (RecordComponent c : type.getRecordComponents()) {
            fields.put(c.getName(), typeName(c.getType()));
        }
        return fields;
    }

    static String typeName(Class<?> t) {
        if (t == int.class
                || t == long.class
                || t == short.class
                || t == byte.class
                || t == Integer.class
                || t == Long.class
                || t == Short.class
                || t == java.math.BigInteger.class) {
            return "int";
        }
        if (t == double.class
                || t == float.class
                || t == Double.class
                || t == Float.class
                || t == java.math.BigDecimal.class) {
            return "float";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "boolean";
        }
        if (CharSequence.class.isAssignableFrom(t) || t == char.class || t.isEnum()) {
            return "string";
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "array";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord() || t == Object.class) {
            return "object";
        }
        return t.getSimpleName();
    }
}
