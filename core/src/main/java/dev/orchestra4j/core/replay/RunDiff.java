package dev.orchestra4j.core.replay;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.state.StateManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * How two recorded sessions differ, step by step (say a run and its fork): the first step where they diverge, and for
 * every step number either has, who ran it, whether input and output differ, and the tokens and time each spent.
 *
 * <pre>{@code
 * RunDiff diff = RunDiff.between(stateManager, "run-1", "run-1-terse");
 * diff.firstDivergingStep();   // Optional[6]
 * System.out.println(diff);    // a table of the steps
 * }</pre>
 */
public final class RunDiff {

    /**
     * One step number in both runs.
     *
     * @param step the step number
     * @param left the first run's step, empty when it has no such step
     * @param right the second run's step, empty when it has no such step
     */
    public record StepDiff(int step, Optional<RecordedStep> left, Optional<RecordedStep> right) {

        public StepDiff {
            requireNonNull(left, "left");
            requireNonNull(right, "right");
        }

        /** Whether the same agent ran on the same branch. */
        public boolean sameAgent() {
            return left.isPresent()
                    && right.isPresent()
                    && left.get().agent().equals(right.get().agent())
                    && left.get().branchId().equals(right.get().branchId());
        }

        public boolean inputDiffers() {
            return !sameAgent()
                    || !Objects.equals(left.get().input(), right.get().input());
        }

        /** Whether the decision (action, targets or output) differs. */
        public boolean outputDiffers() {
            return !sameAgent()
                    || !left.get().action().equals(right.get().action())
                    || !left.get().targets().equals(right.get().targets())
                    || !Objects.equals(left.get().output(), right.get().output());
        }

        public boolean differs() {
            return inputDiffers() || outputDiffers();
        }

        public long leftTokens() {
            return left.map(s -> s.inputTokens() + s.outputTokens()).orElse(0L);
        }

        public long rightTokens() {
            return right.map(s -> s.inputTokens() + s.outputTokens()).orElse(0L);
        }

        public Duration leftDuration() {
            return left.map(RecordedStep::duration).orElse(Duration.ZERO);
        }

        public Duration rightDuration() {
            return right.map(RecordedStep::duration).orElse(Duration.ZERO);
        }
    }

    private final Recording left;
    private final Recording right;
    private final List<StepDiff> steps;

    private RunDiff(Recording left, Recording right) {
        this.left = left;
        this.right = right;
        TreeSet<Integer> numbers = new TreeSet<>();
        left.steps().forEach(s -> numbers.add(s.step()));
        right.steps().forEach(s -> numbers.add(s.step()));
        List<StepDiff> out = new ArrayList<>();
        numbers.forEach(n -> out.add(new StepDiff(n, left.step(n), right.step(n))));
        this.steps = List.copyOf(out);
    }

    /** The difference between two recordings. */
    public static RunDiff between(Recording left, Recording right) {
        return new RunDiff(requireNonNull(left, "left"), requireNonNull(right, "right"));
    }

    /**
     * The difference between the recordings of two sessions in {@code manager}.
     *
     * @throws IllegalArgumentException naming a session that has no recording
     */
    public static RunDiff between(StateManager manager, String leftSessionId, String rightSessionId) {
        return between(Recording.read(manager, leftSessionId), Recording.read(manager, rightSessionId));
    }

    public Recording left() {
        return left;
    }

    public Recording right() {
        return right;
    }

    /** Every step number of either run, in order. */
    public List<StepDiff> steps() {
        return steps;
    }

    /** The first step whose agent, input or output differs; empty when the runs took the same steps. */
    public Optional<Integer> firstDivergingStep() {
        return steps.stream().filter(StepDiff::differs).map(StepDiff::step).findFirst();
    }

    /** The steps that differ. */
    public List<StepDiff> differences() {
        return steps.stream().filter(StepDiff::differs).toList();
    }

    /** A table: one line per step with agents, what differs, tokens and milliseconds of each run, then totals. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%-5s %-24s %-24s %-14s %15s %15s%n",
                "step",
                left.sessionId(),
                right.sessionId(),
                "differs",
                "tokens",
                "ms"));
        for (StepDiff d : steps) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-5d %-24s %-24s %-14s %7d/%-7d %7d/%-7d%n",
                    d.step(),
                    agent(d.left().orElse(null)),
                    agent(d.right().orElse(null)),
                    what(d),
                    d.leftTokens(),
                    d.rightTokens(),
                    d.leftDuration().toMillis(),
                    d.rightDuration().toMillis()));
        }
        out.append(String.format(
                Locale.ROOT,
                "total tokens %d/%d, step time %d/%d ms; first diverging step: %s%n",
                left.totalTokens(),
                right.totalTokens(),
                left.totalDuration().toMillis(),
                right.totalDuration().toMillis(),
                firstDivergingStep().map(String::valueOf).orElse("none")));
        return out.toString();
    }

    private static String agent(@Nullable RecordedStep step) {
        return step == null ? "-" : step.agent() + " " + step.action();
    }

    private static String what(StepDiff d) {
        if (!d.sameAgent()) {
            return d.left().isPresent() && d.right().isPresent() ? "agent" : "only one run";
        }
        if (d.inputDiffers() && d.outputDiffers()) {
            return "input+output";
        }
        return d.inputDiffers() ? "input" : d.outputDiffers() ? "output" : "";
    }
}
