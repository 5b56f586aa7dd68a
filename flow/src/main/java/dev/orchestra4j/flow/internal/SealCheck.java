package dev.orchestra4j.flow.internal;

import dev.orchestra4j.flow.Route;
import dev.orchestra4j.flow.Score;
import dev.orchestra4j.flow.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@code seal()} checks, all at once: ids, duplicates in an ensemble, and contracts of adjacent steps. */
public final class SealCheck {

    private SealCheck() {}

    public static List<String> problems(List<Score.Block> blocks) {
        List<String> problems = new ArrayList<>();
        if (blocks.isEmpty()) {
            problems.add("Pipeline must have at least one step");
            return problems;
        }
        Set<String> badIds = new HashSet<>();
        for (Score.Block block : blocks) {
            for (Step<?, ?> step : block.steps()) {
                NodeNames.problem(step.id())
                        .filter(p -> badIds.add(step.id()))
                        .ifPresent(p -> problems.add("step id " + p));
            }
            if (block instanceof Score.Block.Ensemble ensemble) {
                Set<String> seen = new HashSet<>();
                for (Step<?, ?> member : ensemble.members()) {
                    if (!seen.add(member.id())) {
                        problems.add("ensemble has step id '" + member.id() + "' twice (its outputs are keyed by id)");
                    }
                }
            }
        }
        checkTypes(blocks, problems);
        return problems;
    }

    private static void checkTypes(List<Score.Block> blocks, List<String> problems) {
        Set<Typed> current = new LinkedHashSet<>();
        for (Score.Block block : blocks) {
            switch (block) {
                case Score.Block.Serial serial -> current = feed(current, serial.step(), problems);
                case Score.Block.Ensemble ensemble -> {
                    for (Step<?, ?> member : ensemble.members()) {
                        feed(current, member, problems);
                    }
                    current = Set.of(new Typed("ensemble of " + ids(ensemble.members()), Map.class));
                }
                case Score.Block.Fork fork -> {
                    Set<Typed> before = current;
                    Set<Typed> next = new LinkedHashSet<>();
                    for (Route route : fork.routes()) {
                        next.addAll(feed(before, route.step(), problems));
                    }
                    fork.otherwise().ifPresent(s -> next.addAll(feed(before, s, problems)));
                    if (fork.otherwise().isEmpty() && !fork.strict()) {
                        next.addAll(current);
                    }
                    current = next;
                }
                case Score.Block.Cycle cycle -> {
                    Set<Typed> body = feed(current, cycle.step(), problems);
                    feed(body, cycle.step(), problems);
                    Set<Typed> next = new LinkedHashSet<>(current);
                    next.addAll(body);
                    current = next;
                }
            }
        }
    }

    private static Set<Typed> feed(Set<Typed> sources, Step<?, ?> step, List<String> problems) {
        for (Typed source : sources) {
            Contracts.mismatch(source.type(), step.inputType())
                    .ifPresent(p -> problems.add(
                            source.what() + " outputs " + source.type().getSimpleName() + " but step '" + step.id()
                                    + "' takes " + step.inputType().getSimpleName() + ": " + p));
        }
        return Set.of(new Typed("step '" + step.id() + "'", step.outputType()));
    }

    private static String ids(List<Step<?, ?>> steps) {
        return steps.stream().map(Step::id).toList().toString();
    }

    /** The output type of the last block (a Map for an ensemble; Object when a fork may pass through). */
    public static Class<?> outputType(List<Score.Block> blocks) {
        Score.Block last = blocks.getLast();
        return switch (last) {
            case Score.Block.Serial serial -> serial.step().outputType();
            case Score.Block.Ensemble ensemble -> Map.class;
            case Score.Block.Fork fork -> {
                Set<Class<?>> types = new HashSet<>();
                fork.routes().forEach(r -> types.add(r.step().outputType()));
                fork.otherwise().ifPresent(s -> types.add(s.outputType()));
                yield types.size() == 1 && (fork.strict() || fork.otherwise().isPresent())
                        ? types.iterator().next()
                        : Object.class;
            }
            case Score.Block.Cycle cycle -> cycle.step().outputType();
        };
    }

    private record Typed(String what, Class<?> type) {}
}
