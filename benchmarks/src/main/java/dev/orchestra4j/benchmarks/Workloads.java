package dev.orchestra4j.benchmarks;

import java.util.Map;

/**
 * The workloads every benchmark in this module runs, so that each engine (raw JDK, LangGraph4j,
 * LangChain4j-agentic, Orchestra4j) does exactly the same work and only its coordination overhead differs.
 *
 * <ul>
 *   <li><b>Pipeline</b>: {@code steps} no-op agents in a line. Agent {@code i} ignores its input and returns
 *       {@link #stepOutput(int)}, the one-entry map {@code {"k": i}}; each step overwrites the same key, so
 *       the state stays tiny whatever the length. Measured at {@value #SHORT_PIPELINE} and {@value
 *       #LONG_PIPELINE} steps; the marginal cost per step is {@link #marginalPerStep(double, double)}.
 *   <li><b>Fan-out/fan-in</b>: {@code width} no-op branches forked at once and joined at one barrier. Branch
 *       {@code i} returns {@link #branchOutput(int)}, the one-entry map {@code {"p<i>": i}}; the join holds
 *       one entry per branch. Measured at {@value #NARROW_FAN_OUT}, {@value #WIDE_FAN_OUT} and {@value
 *       #HUGE_FAN_OUT} branches (peers at the first two).
 * </ul>
 *
 * <p>Every run starts from {@link #INPUT}. Every benchmark checks in its {@code @Setup} that one invocation
 * ran all its steps or branches, through {@link #requireAll(String, int, int)}.
 */
public final class Workloads {

    /** Length of the short pipeline, and the headline "10-agent sequential pipeline". */
    public static final String SHORT_PIPELINE = "10";

    /** Length of the long pipeline used for the marginal per-step cost. */
    public static final String LONG_PIPELINE = "100";

    /** Fan-out widths. */
    public static final String NARROW_FAN_OUT = "10";

    public static final String WIDE_FAN_OUT = "100";
    public static final String HUGE_FAN_OUT = "1000";

    /** The key every pipeline step writes. */
    public static final String STEP_KEY = "k";

    /** The input every run starts from. */
    public static final Map<String, Object> INPUT = Map.of("task", "go");

    private static final int MAX_WIDTH = Integer.parseInt(HUGE_FAN_OUT);
    private static final String[] BRANCH_KEYS = branchKeys(MAX_WIDTH);

    private Workloads() {}

    /** What pipeline agent {@code step} returns: {@code {"k": step}}. */
    public static Map<String, Object> stepOutput(int step) {
        return Map.of(STEP_KEY, step);
    }

    /** The key fan-out branch {@code branch} writes: {@code "p<branch>"} (precomputed, no concatenation). */
    public static String branchKey(int branch) {
        return BRANCH_KEYS[branch];
    }

    /** What fan-out branch {@code branch} returns: {@code {"p<branch>": branch}}. */
    public static Map<String, Object> branchOutput(int branch) {
        return Map.of(BRANCH_KEYS[branch], branch);
    }

    /** Marginal cost of one step: {@code (T100 - T10) / 90} from the two pipeline lengths. */
    public static double marginalPerStep(double shortPipelineMicros, double longPipelineMicros) {
        int extraSteps = Integer.parseInt(LONG_PIPELINE) - Integer.parseInt(SHORT_PIPELINE);
        return (longPipelineMicros - shortPipelineMicros) / extraSteps;
    }

    /**
     * Fails a benchmark's setup unless its workload ran completely.
     *
     * @throws IllegalStateException if {@code actual != expected}
     */
    public static void requireAll(String benchmark, int expected, int actual) {
        if (actual != expected) {
            throw new IllegalStateException("'" + benchmark + "' ran " + actual + " of " + expected
                    + " steps or branches; its numbers" + " would not measure the workload");
        }
    }

    private static String[] branchKeys(int count) {
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = "p" + i;
        }
        return keys;
    }
}
