package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.topology.Node;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-node overrides read from node metadata, in one place: {@code step_timeout} (ISO-8601 {@code PT30S}, or {@code
 * 30s}/{@code 100ms}/{@code 2m}/{@code 1h}, or a {@link Duration}) replaces {@code ExecutionConfig.stepTimeout} for
 * the node's steps; {@code max_retries} (an int ≥ 0) replaces {@code ErrorHandlingConfig.maxRetries}; {@code
 * max_concurrency} (an int ≥ 1) caps how many children of a fork opened at this node run at once (the others wait,
 * none is dropped).
 *
 * @param stepTimeout the node's own step timeout
 * @param maxRetries the node's own retry budget, or -1
 * @param maxConcurrency the most children of one of this node's forks running at once, or {@code Integer.MAX_VALUE}
 */
record NodeLimits(Optional<Duration> stepTimeout, int maxRetries, int maxConcurrency) {

    static final String STEP_TIMEOUT = "step_timeout";
    static final String MAX_RETRIES = "max_retries";
    static final String MAX_CONCURRENCY = "max_concurrency";
    static final NodeLimits NONE = new NodeLimits(Optional.empty(), -1, Integer.MAX_VALUE);

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    static NodeLimits of(Node node) {
        Object timeout = node.metadata().get(STEP_TIMEOUT);
        Object retries = node.metadata().get(MAX_RETRIES);
        Object concurrency = node.metadata().get(MAX_CONCURRENCY);
        if (timeout == null && retries == null && concurrency == null) {
            return NONE;
        }
        return new NodeLimits(
                timeout == null ? Optional.empty() : Optional.of(duration(node.name(), timeout)),
                retries == null ? -1 : integer(node.name(), MAX_RETRIES, retries, 0),
                concurrency == null ? Integer.MAX_VALUE : integer(node.name(), MAX_CONCURRENCY, concurrency, 1));
    }

    private static Duration duration(String node, Object value) {
        Duration d;
        if (value instanceof Duration given) {
            d = given;
        } else {
            String text = String.valueOf(value).trim();
            Matcher m = SHORT.matcher(text.toLowerCase(Locale.ROOT));
            try {
                d = m.matches() ? shortForm(Long.parseLong(m.group(1)), m.group(2)) : Duration.parse(text);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new IllegalArgumentException("node '" + node + "': " + STEP_TIMEOUT + " must be a duration"
                        + " (PT30S, 30s, 100ms, 2m, 1h), was '" + value + "'");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(
                    "node '" + node + "': " + STEP_TIMEOUT + " must be positive, was " + value);
        }
        return d;
    }

    private static Duration shortForm(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static int integer(String node, String key, Object value, int min) {
        if (value instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= min) {
            return n.intValue();
        }
        throw new IllegalArgumentException(
                "node '" + node + "': " + key + " must be an integer of at least " + min + ", was '" + value + "'");
    }

    /** The step timeout of this node's steps. */
    Duration stepTimeout(Duration fallback) {
        return stepTimeout.orElse(fallback);
    }
}
