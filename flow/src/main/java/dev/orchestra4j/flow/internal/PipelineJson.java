package dev.orchestra4j.flow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.orchestra4j.flow.FlowException;
import dev.orchestra4j.flow.OnMaxCycles;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.PipelineCatalog;
import dev.orchestra4j.flow.Route;
import dev.orchestra4j.flow.Score;
import dev.orchestra4j.flow.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A pipeline as JSON naming its steps and gates, and back through a {@link PipelineCatalog}. */
public final class PipelineJson {

    private PipelineJson() {}

    public static Map<String, Object> write(Pipeline pipeline) {
        List<String> problems = new ArrayList<>();
        List<Object> blocks = new ArrayList<>();
        int index = 0;
        for (Score.Block block : pipeline.blocks()) {
            index++;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", block.type());
            switch (block) {
                case Score.Block.Serial s -> out.put("step", s.step().id());
                case Score.Block.Ensemble e -> {
                    out.put("steps", e.members().stream().map(Step::id).toList());
                    out.put("collect_errors", e.collectErrors());
                }
                case Score.Block.Fork f -> {
                    List<Object> routes = new ArrayList<>();
                    for (Route r : f.routes()) {
                        if (r.name().isEmpty()) {
                            problems.add("block " + index + " (fork): the gate of step '"
                                    + r.step().id() + "' has no name; use Route.when(name, gate, step)");
                        }
                        routes.add(Map.of(
                                "gate", r.name().orElse(""), "step", r.step().id()));
                    }
                    out.put("routes", routes);
                    f.otherwise().ifPresent(o -> out.put("otherwise", o.id()));
                    out.put("strict", f.strict());
                }
                case Score.Block.Cycle c -> {
                    if (c.gateName().isEmpty()) {
                        problems.add("block " + index + " (cycle): its gate has no name; use cycle(name, gate, step)");
                    }
                    out.put("gate", c.gateName().orElse(""));
                    out.put("step", c.step().id());
                    out.put("max_cycles", c.maxCycles());
                    out.put("on_max_cycles", c.onMax().name().toLowerCase(Locale.ROOT));
                }
            }
            blocks.add(out);
        }
        if (!problems.isEmpty()) {
            throw new FlowException("pipeline '" + pipeline.id() + "' cannot be written as JSON", problems);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", pipeline.id());
        out.put("description", pipeline.description());
        out.put("metadata", pipeline.metadata());
        out.put("blocks", blocks);
        return out;
    }

    public static Pipeline read(String json, PipelineCatalog catalog) {
        Map<?, ?> map;
        try {
            map = FlowJson.MAPPER.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new FlowException("pipeline JSON is not valid", List.of(e.getOriginalMessage()));
        }
        if (map == null) {
            throw new FlowException("pipeline JSON is not valid", List.of("it is null, not an object"));
        }
        List<String> problems = new ArrayList<>();
        Optional<String> givenId = Fields.optText(map, "id", "pipeline", problems);
        if (givenId.isEmpty() || givenId.get().isBlank()) {
            throw new FlowException("pipeline JSON is not valid", List.of("id is required (a non-blank string)"));
        }
        String id = givenId.get();
        Pipeline.Builder builder = Pipeline.builder(id);
        Fields.optText(map, "description", "pipeline", problems).ifPresent(builder::description);
        Fields.optMap(map, "metadata", "pipeline", problems).forEach((k, v) -> builder.annotate(String.valueOf(k), v));
        List<?> blocks = Fields.optList(map, "blocks", "pipeline", problems);
        if (blocks.isEmpty()) {
            problems.add("blocks is missing or empty");
        }
        for (int i = 0; i < blocks.size(); i++) {
            Map<?, ?> block = Fields.object(blocks.get(i), "blocks[" + i + "]", problems);
            if (block != null) {
                block(builder, block, "blocks[" + i + "]", catalog, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new FlowException("pipeline '" + id + "' cannot be read", problems);
        }
        return builder.seal();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void block(
            Pipeline.Builder b, Map<?, ?> block, String at, PipelineCatalog catalog, List<String> problems) {
        String type = String.valueOf(block.get("type"));
        switch (type) {
            case "serial" -> step(block.get("step"), at, catalog, problems).ifPresent(b::pipe);
            case "ensemble" -> {
                List<Step<?, ?>> members = new ArrayList<>();
                for (Object s : Fields.optList(block, "steps", at, problems)) {
                    step(s, at, catalog, problems).ifPresent(members::add);
                }
                if (!members.isEmpty()) {
                    b.ensemble(members.toArray(Step[]::new));
                    if (Fields.optBool(block, "collect_errors", at, problems)) {
                        b.collectErrors();
                    }
                }
            }
            case "fork" -> {
                List<Route> routes = new ArrayList<>();
                List<?> given = Fields.optList(block, "routes", at, problems);
                for (int i = 0; i < given.size(); i++) {
                    Map<?, ?> route = Fields.object(given.get(i), at + ".routes[" + i + "]", problems);
                    if (route == null) {
                        continue;
                    }
                    Optional<Step<?, ?>> step = step(route.get("step"), at, catalog, problems);
                    Optional<Predicate<Object>> gate = gate(route.get("gate"), at, catalog, problems);
                    if (step.isPresent() && gate.isPresent()) {
                        routes.add(new Route(Optional.of(String.valueOf(route.get("gate"))), gate.get(), step.get()));
                    }
                }
                if (!routes.isEmpty()) {
                    b.fork(routes.toArray(Route[]::new));
                    if (block.get("otherwise") != null) {
                        step(block.get("otherwise"), at, catalog, problems).ifPresent(b::otherwise);
                    }
                    if (Fields.optBool(block, "strict", at, problems)) {
                        b.strict();
                    }
                }
            }
            case "cycle" -> {
                Optional<Step<?, ?>> step = step(block.get("step"), at, catalog, problems);
                Optional<Predicate<Object>> gate = gate(block.get("gate"), at, catalog, problems);
                if (step.isPresent() && gate.isPresent()) {
                    b.cycle(String.valueOf(block.get("gate")), gate.get(), (Step) step.get());
                    if (block.get("max_cycles") != null) {
                        int before = problems.size();
                        int max = Fields.optInt(block, "max_cycles", 0, at, problems);
                        if (problems.size() == before && max < 1) {
                            problems.add(at + ".max_cycles must be at least 1, was " + max);
                        } else if (problems.size() == before) {
                            b.maxCycles(max);
                        }
                    }
                    Optional<String> onMax = Fields.optText(block, "on_max_cycles", at, problems);
                    if (onMax.isPresent()) {
                        try {
                            b.onMaxCycles(OnMaxCycles.valueOf(onMax.get().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            problems.add(at + ".on_max_cycles must be one of "
                                    + java.util.Arrays.stream(OnMaxCycles.values())
                                            .map(v -> v.name().toLowerCase(Locale.ROOT))
                                            .toList()
                                    + ", was '" + onMax.get() + "'");
                        }
                    }
                }
            }
            default -> problems.add(at + ".type must be serial, ensemble, fork or cycle, was '" + type + "'");
        }
    }

    private static Optional<Step<?, ?>> step(Object id, String at, PipelineCatalog catalog, List<String> problems) {
        Optional<Step<?, ?>> step = catalog.step(String.valueOf(id));
        if (step.isEmpty()) {
            problems.add(at + ": unknown step '" + id + "' (register it in the PipelineCatalog)");
        }
        return step;
    }

    private static Optional<Predicate<Object>> gate(
            Object name, String at, PipelineCatalog catalog, List<String> problems) {
        Optional<Predicate<Object>> gate = catalog.gate(String.valueOf(name));
        if (gate.isEmpty()) {
            problems.add(at + ": unknown gate '" + name + "' (register it in the PipelineCatalog)");
        }
        return gate;
    }
}
