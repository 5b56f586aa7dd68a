package dev.orchestra4j.metrics.internal;

import dev.orchestra4j.metrics.MetricNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one number from a registry by a MARSYS-style name ({@code total_tokens}, {@code api_calls}, ...) or by a
 * meter name ({@code orchestra.steps}), summed over every tagged series: counters and function counters by count,
 * timers and summaries by number of events, gauges by value.
 */
public final class MetricLookup {
    private record Query(String meter, Tags tags, String meaning) {}

    private static final Map<String, Query> NAMES = names();

    private MetricLookup() {}

    private static Map<String, Query> names() {
        Map<String, Query> names = new LinkedHashMap<>();
        names.put("total_tokens", new Query(MetricNames.TOKENS, Tags.empty(), "tokens in and out"));
        names.put(
                "input_tokens",
                new Query(MetricNames.TOKENS, Tags.of(MetricNames.TAG_DIRECTION, MetricNames.DIRECTION_INPUT), ""));
        names.put(
                "output_tokens",
                new Query(MetricNames.TOKENS, Tags.of(MetricNames.TAG_DIRECTION, MetricNames.DIRECTION_OUTPUT), ""));
        names.put("api_calls", new Query(MetricNames.STEPS, Tags.empty(), "agent calls, every outcome"));
        names.put("total_steps", new Query(MetricNames.STEPS, Tags.empty(), "agent steps"));
        names.put(
                "failed_steps",
                new Query(MetricNames.STEPS, Tags.of(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_FAILURE), ""));
        names.put("total_runs", new Query(MetricNames.RUNS, Tags.empty(), "finished run legs"));
        names.put("retries", new Query(MetricNames.RETRIES, Tags.empty(), ""));
        names.put("timeouts", new Query(MetricNames.TIMEOUTS, Tags.empty(), ""));
        names.put("active_branches", new Query(MetricNames.BRANCHES_ACTIVE, Tags.empty(), ""));
        names.put("active_sessions", new Query(MetricNames.SESSIONS_ACTIVE, Tags.empty(), ""));
        return Map.copyOf(names);
    }

    /** The names {@link #value} understands besides meter names, sorted. */
    public static java.util.List<String> knownNames() {
        return NAMES.keySet().stream().sorted().toList();
    }

    /**
     * The current value of {@code name}; 0 for a known name nothing was recorded under yet.
     *
     * @throws IllegalArgumentException for a name that is neither known nor a meter in the registry
     */
    public static double value(MeterRegistry registry, String name) {
        Query query = NAMES.get(name);
        if (query == null) {
            if (registry.find(name).meters().isEmpty()) {
                throw new IllegalArgumentException("unknown metric '" + name + "': use one of " + knownNames()
                        + " or a meter name such as '" + MetricNames.STEPS + "'");
            }
            query = new Query(name, Tags.empty(), "");
        }
        double sum = 0;
        for (Meter meter : registry.find(query.meter()).tags(query.tags()).meters()) {
            sum += meter.match(
                    gauge -> gauge.value(),
                    counter -> counter.count(),
                    timer -> (double) timer.count(),
                    summary -> (double) summary.count(),
                    longTask -> (double) longTask.activeTasks(),
                    timeGauge -> timeGauge.value(),
                    functionCounter -> functionCounter.count(),
                    functionTimer -> functionTimer.count(),
                    other -> 0.0);
        }
        return sum;
    }
}
