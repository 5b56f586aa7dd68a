package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.flow.internal.FlowJson;
import dev.orchestra4j.flow.internal.PipelineCompiler;
import dev.orchestra4j.flow.internal.PipelineHistory;
import dev.orchestra4j.flow.internal.PipelineJson;
import dev.orchestra4j.flow.internal.SealCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A sealed, typed pipeline of steps (the Symphony pipeline): {@code pipe} (serial), {@code ensemble} (concurrent
 * members, merged into a map by step id), {@code fork} (first matching route) and {@code cycle} (pre-tested loop).
 * Build it with {@link #builder(String)} and {@link Builder#seal()}; it compiles to a topology and runs on the engine,
 * so every step gets timeouts, retries, traces and durable checkpoints.
 *
 * <pre>{@code
 * Pipeline p = Pipeline.builder("math").pipe(addOne).pipe(doubler).seal();
 * PipelineResult<Out> r = p.perform(new In(3));   // r.output() == new Out(8)
 * }</pre>
 */
public final class Pipeline {

    private final String id;
    private final String description;
    private final Map<String, Object> metadata;
    private final List<Score.Block> blocks;
    private final CompiledFlow compiled;

    private Pipeline(Builder b) {
        this.id = b.id;
        this.description = b.description == null ? "Pipeline " + b.id : b.description;
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.blocks = List.copyOf(b.blocks);
        this.compiled = PipelineCompiler.compile(this);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /**
     * Reads a pipeline written by {@link #toJson()}; steps and gates are looked up by name in {@code catalog}.
     *
     * @throws FlowException naming every unknown step or gate and every malformed block
     */
    public static Pipeline fromJson(String json, PipelineCatalog catalog) {
        return PipelineJson.read(json, catalog);
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public List<Score.Block> blocks() {
        return blocks;
    }

    /** The compiled topology and the blocks. */
    public Score score() {
        return new Score(compiled.topology(), blocks);
    }

    /** The topology and agents this pipeline runs as (through {@code Orchestra.run} or any instance). */
    public CompiledFlow compile() {
        return compiled;
    }

    /** The type the pipeline's output is converted to: the output type of its last block. */
    public Class<?> outputType() {
        return SealCheck.outputType(blocks);
    }

    /** Runs the pipeline on {@code input} (a record, a Map or a String) and waits for the result. */
    public <O> PipelineResult<O> perform(Object input) {
        return perform(input, UnaryOperator.identity());
    }

    /** Runs with options added (listeners, a state manager, error or execution configs). */
    public <O> PipelineResult<O> perform(Object input, UnaryOperator<RunOptions.Builder> options) {
        return result(compiled.run(task(input), options));
    }

    /** Runs on a virtual thread. */
    public <O> CompletableFuture<PipelineResult<O>> performAsync(Object input) {
        Object task = task(input);
        CompletableFuture<PipelineResult<O>> future = new CompletableFuture<>();
        Thread.ofVirtual().name("pipeline-" + id).start(() -> {
            try {
                future.complete(result(compiled.run(task)));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    /** A pipeline result from an engine result of this pipeline's compiled flow (after a resume, for example). */
    public <O> PipelineResult<O> result(OrchestraResult result) {
        return new PipelineResult<>(id, outputType(), PipelineHistory.performance(this, result), result);
    }

    /** What the engine is given for {@code input}: a String or Map as is, anything else as a JSON map. */
    public static Object task(Object input) {
        requireNonNull(input, "input");
        if (input instanceof String || input instanceof Map<?, ?>) {
            return input;
        }
        Object plain = FlowJson.plain(input);
        if (plain instanceof Map<?, ?>) {
            return plain;
        }
        throw new IllegalArgumentException(
                "a pipeline input must be a String, a Map or an object with properties, was " + input);
    }

    /** The pipeline as JSON naming its steps and gates (every gate must be named). */
    public String toJson() {
        return FlowJson.writePretty(PipelineJson.write(this));
    }

    @Override
    public String toString() {
        return "Pipeline[" + id + ", " + blocks.size() + " blocks]";
    }

    /** Builds and seals a {@link Pipeline}. After {@link #seal()} every call fails. */
    public static final class Builder {
        private final String id;
        private @org.jspecify.annotations.Nullable String description;
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private final List<Score.Block> blocks = new ArrayList<>();
        private boolean sealed;

        private Builder(String id) {
            this.id = requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("pipeline id must not be blank");
            }
        }

        public Builder description(String value) {
            open();
            description = requireNonNull(value, "description");
            return this;
        }

        public Builder annotate(String key, Object value) {
            open();
            metadata.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        /** Appends a serial step. */
        public Builder pipe(Step<?, ?> step) {
            open();
            if (step == null) {
                throw new IllegalArgumentException("step must not be null (pipe of pipeline '" + id + "')");
            }
            blocks.add(new Score.Block.Serial(step));
            return this;
        }

        /** Appends an ensemble: every member runs on the same input at once. Fails fast by default. */
        public Builder ensemble(Step<?, ?>... steps) {
            open();
            List<Step<?, ?>> members = nonNull("ensemble", steps);
            blocks.add(new Score.Block.Ensemble(members, false));
            return this;
        }

        /** Appends a fork: the first route whose gate holds runs; with none, the data passes through. */
        public Builder fork(Route... routes) {
            open();
            if (routes == null || routes.length == 0) {
                throw new IllegalArgumentException("fork needs at least one route (pipeline '" + id + "')");
            }
            for (Route r : routes) {
                if (r == null) {
                    throw new IllegalArgumentException("fork route must not be null (pipeline '" + id + "')");
                }
            }
            blocks.add(new Score.Block.Fork(List.of(routes), Optional.empty(), false));
            return this;
        }

        /** The last fork runs {@code step} when no route matches. */
        public Builder otherwise(Step<?, ?> step) {
            Score.Block.Fork fork = last(Score.Block.Fork.class, "otherwise");
            if (step == null) {
                throw new IllegalArgumentException("otherwise step must not be null (pipeline '" + id + "')");
            }
            replaceLast(new Score.Block.Fork(fork.routes(), Optional.of(step), fork.strict()));
            return this;
        }

        /** The last fork fails with a VALIDATION error when no route matches. */
        public Builder strict() {
            Score.Block.Fork fork = last(Score.Block.Fork.class, "strict");
            replaceLast(new Score.Block.Fork(fork.routes(), fork.otherwise(), true));
            return this;
        }

        /** Appends a cycle: while {@code gate} holds (checked first), {@code step} runs on its own output. */
        public <T> Builder cycle(Predicate<? super T> gate, Step<T, ?> step) {
            return cycle(Optional.empty(), gate, step);
        }

        /** A cycle whose gate has a name (needed for {@link Pipeline#toJson()}). */
        public <T> Builder cycle(String gateName, Predicate<? super T> gate, Step<T, ?> step) {
            return cycle(Optional.of(requireNonNull(gateName, "gateName")), gate, step);
        }

        @SuppressWarnings("unchecked")
        private <T> Builder cycle(Optional<String> name, Predicate<? super T> gate, Step<T, ?> step) {
            open();
            if (gate == null || step == null) {
                throw new IllegalArgumentException(
                        (gate == null ? "gate" : "step") + " must not be null (cycle of pipeline '" + id + "')");
            }
            Predicate<Object> g = v -> ((Predicate<Object>) gate).test(v);
            blocks.add(new Score.Block.Cycle(name, g, step, 100, OnMaxCycles.EXIT));
            return this;
        }

        /** The last cycle runs at most {@code value} times (default 100). */
        public Builder maxCycles(int value) {
            Score.Block.Cycle cycle = last(Score.Block.Cycle.class, "maxCycles");
            if (value < 1) {
                throw new IllegalArgumentException("maxCycles must be at least 1, was " + value);
            }
            replaceLast(cycle.with(value, cycle.onMax()));
            return this;
        }

        /** What the last cycle does at its cap (default {@link OnMaxCycles#EXIT}). */
        public Builder onMaxCycles(OnMaxCycles value) {
            Score.Block.Cycle cycle = last(Score.Block.Cycle.class, "onMaxCycles");
            replaceLast(cycle.with(cycle.maxCycles(), requireNonNull(value, "onMaxCycles")));
            return this;
        }

        /** The last ensemble waits for every member and reports all failures, instead of failing fast. */
        public Builder collectErrors() {
            Score.Block.Ensemble ensemble = last(Score.Block.Ensemble.class, "collectErrors");
            replaceLast(new Score.Block.Ensemble(ensemble.members(), true));
            return this;
        }

        /**
         * Validates and freezes the pipeline.
         *
         * @throws FlowException listing every problem: no steps, reserved or forbidden step ids, duplicate ids in an
         *     ensemble, adjacent steps whose output does not fit the next input
         */
        public Pipeline seal() {
            open();
            List<String> problems = SealCheck.problems(blocks);
            if (!problems.isEmpty()) {
                throw new FlowException("pipeline '" + id + "' cannot be sealed", problems);
            }
            sealed = true;
            return new Pipeline(this);
        }

        private void open() {
            if (sealed) {
                throw new IllegalStateException("Cannot add steps after sealing: pipeline '" + id + "' is sealed");
            }
        }

        private <B extends Score.Block> B last(Class<B> type, String call) {
            open();
            if (blocks.isEmpty() || !type.isInstance(blocks.getLast())) {
                throw new IllegalStateException(
                        call + "() applies to the " + type.getSimpleName().toLowerCase()
                                + " just added, but the last block of pipeline '" + id + "' is "
                                + (blocks.isEmpty() ? "none" : blocks.getLast().type()));
            }
            return type.cast(blocks.getLast());
        }

        private void replaceLast(Score.Block block) {
            blocks.set(blocks.size() - 1, block);
        }

        private List<Step<?, ?>> nonNull(String block, Step<?, ?>[] steps) {
            if (steps == null || steps.length == 0) {
                throw new IllegalArgumentException(block + " needs at least one step (pipeline '" + id + "')");
            }
            for (Step<?, ?> s : steps) {
                if (s == null) {
                    throw new IllegalArgumentException(block + " step must not be null (pipeline '" + id + "')");
                }
            }
            return List.of(steps);
        }
    }
}
