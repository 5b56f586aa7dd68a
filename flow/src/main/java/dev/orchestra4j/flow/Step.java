package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One unit of work in a {@link Pipeline}: an id, a handler and its contract. The input is converted to and checked
 * against {@code inputType} before the handler runs, the output against {@code outputType} after it returns (with
 * Jackson: missing properties are {@code VALIDATION} failures naming them). Immutable.
 *
 * @param <I> what the handler takes
 * @param <O> what the handler gives
 */
public final class Step<I, O> {

    private final String id;
    private final String description;
    private final Class<I> handlerInput;
    private final Class<?> inputType;
    private final Class<?> outputType;
    private final StepHandler<I, O> handler;
    private final boolean lenientOutput;
    private final Optional<Duration> timeout;
    private final int maxRetries;

    private Step(Builder<I, O> b) {
        this.id = b.id;
        this.description = b.description == null ? "Step " + b.id : b.description;
        this.handlerInput = b.handlerInput;
        this.inputType = b.inputType;
        this.outputType = b.outputType;
        this.handler = b.handler;
        this.lenientOutput = b.lenientOutput;
        this.timeout = b.timeout;
        this.maxRetries = b.maxRetries;
    }

    /** A typed step: the handler takes {@code In} and gives {@code Out}; both are the step's contract. */
    public static <I, O> Step<I, O> of(String id, Class<I> input, Class<O> output, StepHandler<I, O> handler) {
        return builder(id, input, output, handler).build();
    }

    /** A step on maps without a contract (the seed's dictionaries). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Step<Map<String, Object>, Map<String, Object>> untyped(
            String id, StepHandler<Map<String, Object>, Map<String, Object>> handler) {
        return new Builder<Map<String, Object>, Map<String, Object>>(id, (Class) Map.class, Map.class, handler).build();
    }

    /**
     * A step on maps whose input and output are still checked against {@code input} and {@code output} (the seed's
     * pydantic schemas, enforced).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Step<Map<String, Object>, Map<String, Object>> untyped(
            String id, Class<?> input, Class<?> output, StepHandler<Map<String, Object>, Map<String, Object>> handler) {
        Builder<Map<String, Object>, Map<String, Object>> b = new Builder<>(id, (Class) Map.class, output, handler);
        b.inputType = requireNonNull(input, "input");
        return b.build();
    }

    /** A builder for a typed step with a description, timeout, retries or a lenient output check. */
    public static <I, O> Builder<I, O> builder(String id, Class<I> input, Class<O> output, StepHandler<I, O> handler) {
        return new Builder<>(id, input, output, handler);
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The input contract. */
    public Class<?> inputType() {
        return inputType;
    }

    /** The output contract. */
    public Class<?> outputType() {
        return outputType;
    }

    /** What the handler itself takes (the contract type, or {@code Map} for untyped steps). */
    public Class<I> handlerInput() {
        return handlerInput;
    }

    public StepHandler<I, O> handler() {
        return handler;
    }

    /** Whether the output is taken as returned, without the contract check. */
    public boolean lenientOutput() {
        return lenientOutput;
    }

    /** This step's own timeout (node metadata {@code step_timeout}), if any. */
    public Optional<Duration> timeout() {
        return timeout;
    }

    /** This step's own retry budget (node metadata {@code max_retries}); -1 means the run's setting. */
    public int maxRetries() {
        return maxRetries;
    }

    @Override
    public String toString() {
        return "Step[" + id + ": " + inputType.getSimpleName() + " -> " + outputType.getSimpleName() + "]";
    }

    /** Builds a {@link Step}. */
    public static final class Builder<I, O> {
        private final String id;
        private final Class<I> handlerInput;
        private Class<?> inputType;
        private final Class<?> outputType;
        private final StepHandler<I, O> handler;
        private @org.jspecify.annotations.Nullable String description;
        private boolean lenientOutput;
        private Optional<Duration> timeout = Optional.empty();
        private int maxRetries = -1;

        private Builder(String id, Class<I> input, Class<?> output, StepHandler<I, O> handler) {
            this.id = requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("step id must not be blank");
            }
            this.handlerInput = requireNonNull(input, "input");
            this.inputType = input;
            this.outputType = requireNonNull(output, "output");
            this.handler = requireNonNull(handler, "handler");
        }

        public Builder<I, O> description(String value) {
            description = requireNonNull(value, "description");
            return this;
        }

        /** Takes the output as returned (no contract check after the handler). */
        public Builder<I, O> lenientOutput() {
            lenientOutput = true;
            return this;
        }

        /** How long one attempt may take before it is interrupted (a retryable TIMEOUT). */
        public Builder<I, O> timeout(Duration value) {
            requireNonNull(value, "timeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + value);
            }
            timeout = Optional.of(value);
            return this;
        }

        /** How often a retryable failure of this step is retried (instead of the run's {@code maxRetries}). */
        public Builder<I, O> retry(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("retry must not be negative, was " + value);
            }
            maxRetries = value;
            return this;
        }

        public Step<I, O> build() {
            return new Step<>(this);
        }
    }
}
