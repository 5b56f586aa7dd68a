package dev.orchestra4j.metrics;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Prints a compact human summary of a collector's meters: runs by status, active sessions and branches, steps per agent
 * with their mean time, retries, timeouts, tokens and checkpoint statistics. Lines with nothing to say are left out.
 *
 * <pre>{@code
 * ConsoleReporter.of(collector).print(System.out);
 * }</pre>
 */
public final class ConsoleReporter {

    private final MeterRegistry registry;

    private ConsoleReporter(MeterRegistry registry) {
        this.registry = registry;
    }

    public static ConsoleReporter of(MetricsCollector collector) {
        return new ConsoleReporter(requireNonNull(collector, "collector").registry());
    }

    /** Writes {@link #report()} to {@code out}. */
    public void print(PrintStream out) {
        out.print(report());
        out.flush();
    }

    /** The summary as text, one line per topic, ending with a newline. */
    public String report() {
        StringBuilder text = new StringBuilder("Orchestra4j metrics\n");
        line(text, "runs", runs());
        line(text, "active", active());
        Map<String, String> steps = steps();
        int width = steps.keySet().stream().mapToInt(String::length).max().orElse(0);
        String topic = "steps";
        for (Map.Entry<String, String> agent : steps.entrySet()) {
            line(text, topic, String.format(Locale.ROOT, "%-" + width + "s  %s", agent.getKey(), agent.getValue()));
            topic = "";
        }
        line(text, "retries", countsByTag(MetricNames.RETRIES, MetricNames.TAG_CATEGORY));
        line(text, "timeouts", countsByTag(MetricNames.TIMEOUTS, MetricNames.TAG_KIND));
        line(text, "tokens", tokens());
        line(text, "checkpoints", checkpoints());
        return text.toString();
    }

    /** A one-line summary of a single result's own counters (no registry needed). */
    public static String summary(OrchestraResult result) {
        RunMetrics m = result.metrics();
        return String.format(
                Locale.ROOT,
                "session %s %s in %s: %d steps, %d branches, %d retries, %d timeouts, tokens %d in / %d out%s",
                result.sessionId(),
                result.status().name().toLowerCase(Locale.ROOT),
                millis(result.totalDuration()),
                m.steps(),
                m.branches(),
                m.retries(),
                m.timeouts(),
                m.inputTokens(),
                m.outputTokens(),
                new TreeMap<>(m.invocations())
                        .entrySet().stream()
                                .map(e -> e.getKey() + " x" + e.getValue())
                                .collect(
                                        Collectors.joining(", ", m.invocations().isEmpty() ? "" : "; ", "")));
    }

    private String runs() {
        double total = registry.find(MetricNames.RUNS).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        if (total == 0) {
            return "";
        }
        Timer duration = registry.find(MetricNames.RUN_DURATION).timer();
        String mean = duration == null ? "" : ", mean " + millis(duration.mean(TimeUnit.NANOSECONDS));
        return count(total) + " (" + countsByTag(MetricNames.RUNS, MetricNames.TAG_STATUS) + ")" + mean;
    }

    private String active() {
        Gauge sessions = registry.find(MetricNames.SESSIONS_ACTIVE).gauge();
        Gauge branches = registry.find(MetricNames.BRANCHES_ACTIVE).gauge();
        if (sessions == null || branches == null || sessions.value() == 0 && branches.value() == 0) {
            return "";
        }
        return count(sessions.value()) + " sessions, " + count(branches.value()) + " branches";
    }

    private Map<String, String> steps() {
        Map<String, String> byAgent = new TreeMap<>();
        Map<String, Double> ok = agentCounts(MetricNames.STEPS, MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_SUCCESS);
        Map<String, Double> failed =
                agentCounts(MetricNames.STEPS, MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_FAILURE);
        for (Timer timer : registry.find(MetricNames.STEP_DURATION).timers()) {
            String agent = timer.getId().getTag(MetricNames.TAG_AGENT);
            if (agent != null && timer.count() > 0) {
                byAgent.put(
                        agent,
                        String.format(
                                Locale.ROOT,
                                "ok %s  failed %s  mean %s",
                                count(ok.getOrDefault(agent, 0.0)),
                                count(failed.getOrDefault(agent, 0.0)),
                                millis(timer.mean(TimeUnit.NANOSECONDS))));
            }
        }
        return byAgent;
    }

    private String tokens() {
        Map<String, Double> in =
                agentCounts(MetricNames.TOKENS, MetricNames.TAG_DIRECTION, MetricNames.DIRECTION_INPUT);
        Map<String, Double> out =
                agentCounts(MetricNames.TOKENS, MetricNames.TAG_DIRECTION, MetricNames.DIRECTION_OUTPUT);
        Set<String> agents = new TreeSet<>(in.keySet());
        agents.addAll(out.keySet());
        return agents.stream()
                .map(agent -> agent + " in " + count(in.getOrDefault(agent, 0.0)) + " out "
                        + count(out.getOrDefault(agent, 0.0)))
                .collect(Collectors.joining(", "));
    }

    private String checkpoints() {
        DistributionSummary bytes = registry.find(MetricNames.CHECKPOINT_BYTES).summary();
        if (bytes == null || bytes.count() == 0) {
            return "";
        }
        double nanos = 0;
        long writes = 0;
        for (Timer timer : registry.find(MetricNames.CHECKPOINT_DURATION).timers()) {
            nanos += timer.totalTime(TimeUnit.NANOSECONDS);
            writes += timer.count();
        }
        return String.format(
                Locale.ROOT,
                "%d saved (%s), mean %s, mean %s, max %s",
                bytes.count(),
                countsByTag(MetricNames.CHECKPOINT_DURATION, MetricNames.TAG_BACKEND),
                millis(writes == 0 ? 0 : nanos / writes),
                bytes(bytes.mean()),
                bytes(bytes.max()));
    }

    /** "completed 2, failed 1": non-zero counts (or timer counts) per value of {@code tagKey}. */
    private String countsByTag(String name, String tagKey) {
        Map<String, Double> counts = new TreeMap<>();
        for (Meter meter : registry.find(name).meters()) {
            double n = meter instanceof Counter c ? c.count() : meter instanceof Timer t ? t.count() : 0;
            String value = meter.getId().getTag(tagKey);
            if (value != null && n > 0) {
                counts.merge(value, n, Double::sum);
            }
        }
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + count(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** Non-zero counts of the counters {@code name} whose tag {@code key} is {@code value}, per agent. */
    private Map<String, Double> agentCounts(String name, String key, String value) {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : registry.find(name).tag(key, value).counters()) {
            String agent = counter.getId().getTag(MetricNames.TAG_AGENT);
            if (agent != null && counter.count() > 0) {
                counts.merge(agent, counter.count(), Double::sum);
            }
        }
        return counts;
    }

    /** Appends one line; control characters in names (newlines in an agent name) cannot break the layout. */
    private static void line(StringBuilder text, String topic, String content) {
        if (!content.isEmpty()) {
            String printable = content.replaceAll("\\p{Cntrl}", "?");
            text.append(String.format(Locale.ROOT, "  %-12s %s\n", topic, printable));
        }
    }

    private static String count(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : String.format(Locale.ROOT, "%.1f", n);
    }

    private static String millis(Duration duration) {
        return millis((double) duration.toNanos());
    }

    private static String millis(double nanos) {
        double ms = nanos / 1_000_000.0;
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String bytes(double n) {
        return n >= 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024) : String.format(Locale.ROOT, "%.0f B", n);
    }
}
