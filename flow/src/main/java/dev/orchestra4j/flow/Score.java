package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A sealed pipeline's execution plan: its blocks and the topology they compile to ({@code
 * score.topology().toMermaid()} draws it).
 *
 * @param topology the compiled topology
 * @param blocks the blocks in order
 */
public record Score(Topology topology, List<Block> blocks) {

    public Score {
        requireNonNull(topology, "topology");
        blocks = List.copyOf(blocks);
    }

    /** One block of a pipeline. */
    public sealed interface Block {

        /** The wire name: serial, ensemble, fork or cycle. */
        String type();

        /** Every step of the block, in declaration order. */
        List<Step<?, ?>> steps();

        /** One step after the other. */
        record Serial(Step<?, ?> step) implements Block {
            public Serial {
                requireNonNull(step, "step");
            }

            @Override
            public String type() {
                return "serial";
            }

            @Override
            public List<Step<?, ?>> steps() {
                return List.of(step);
            }
        }

        /**
         * Every member on the same input at once; the output maps member ids to outputs, in declaration order.
         *
         * @param members the members
         * @param collectErrors wait for every member and report all failures instead of cancelling the siblings at
         *     the first one
         */
        record Ensemble(List<Step<?, ?>> members, boolean collectErrors) implements Block {
            public Ensemble {
                members = List.copyOf(members);
            }

            @Override
            public String type() {
                return "ensemble";
            }

            @Override
            public List<Step<?, ?>> steps() {
                return members;
            }
        }

        /**
         * The first route whose gate holds runs; with none, {@code otherwise} runs, or (strict) the step fails, or
         * the data passes through unchanged.
         */
        record Fork(List<Route> routes, Optional<Step<?, ?>> otherwise, boolean strict) implements Block {
            public Fork {
                routes = List.copyOf(routes);
                requireNonNull(otherwise, "otherwise");
            }

            @Override
            public String type() {
                return "fork";
            }

            @Override
            public List<Step<?, ?>> steps() {
                java.util.List<Step<?, ?>> out = new java.util.ArrayList<>();
                routes.forEach(r -> out.add(r.step()));
                otherwise.ifPresent(out::add);
                return List.copyOf(out);
            }
        }

        /** While the gate holds (checked before each iteration), the step runs on its own output. */
        record Cycle(
                Optional<String> gateName, Predicate<Object> gate, Step<?, ?> step, int maxCycles, OnMaxCycles onMax)
                implements Block {
            public Cycle {
                requireNonNull(gateName, "gateName");
                requireNonNull(gate, "gate");
                requireNonNull(step, "step");
                requireNonNull(onMax, "onMax");
                if (maxCycles < 1) {
                    throw new IllegalArgumentException("maxCycles must be at least 1, was " + maxCycles);
                }
            }

            @Override
            public String type() {
                return "cycle";
            }

            @Override
            public List<Step<?, ?>> steps() {
                return List.of(step);
            }

            Cycle with(int newMax, OnMaxCycles newOnMax) {
                return new Cycle(gateName, gate, step, newMax, newOnMax);
            }
        }
    }
}
