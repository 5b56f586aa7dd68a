package dev.orchestra4j.core.internal.status;

import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.Verbosity;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Prints a session's progress: one line per step with a {@code [branch Agent]} prefix, parallel groups as they open
 * and join, timeouts, retries and questions; QUIET prints only the start, the end and failures.
 */
public final class StatusPrinter implements OrchestraListener {

    private final PrintStream out;
    private final Verbosity verbosity;

    public StatusPrinter(StatusConfig config) {
        this.out = config.out();
        this.verbosity = config.verbosity().orElse(Verbosity.QUIET);
    }

    @Override
    public void onEvent(OrchestraEvent event) {
        String line = format(event);
        if (line != null) {
            out.println(line);
            out.flush();
        }
    }

    private @org.jspecify.annotations.Nullable String format(OrchestraEvent event) {
        boolean normal = verbosity != Verbosity.QUIET;
        boolean verbose = verbosity == Verbosity.VERBOSE;
        return switch (event) {
            case OrchestraEvent.RunStarted e -> "▶ session " + e.sessionId() + " started (" + e.nodes() + " nodes)";
            case OrchestraEvent.RunResumed e -> "▶ session " + e.sessionId() + " resumed";
            case OrchestraEvent.RunPaused e -> "⏸ session " + e.sessionId() + " paused: " + e.reason();
            case OrchestraEvent.RunCompleted e ->
                mark(e) + " session " + e.sessionId() + " " + e.status() + " after " + e.steps() + " steps in "
                        + ms(e.duration()) + (e.error() == null ? "" : ": " + e.error());
            case OrchestraEvent.StepStarted e -> null;
            case OrchestraEvent.StepCompleted e ->
                normal
                        ? values(e.sessionId(), e.branchId(), e.step())
                                + prefix(e.branchId(), e.agent())
                                + "step " + e.step() + " → " + e.action() + " (" + ms(e.duration())
                                + tokens(e.inputTokens(), e.outputTokens()) + ")"
                        : null;
            case OrchestraEvent.StepFailed e ->
                values(e.sessionId(), e.branchId(), e.step())
                        + prefix(e.branchId(), e.agent()) + "✗ " + e.category() + ": " + e.message()
                        + (e.willRetry() ? " (will retry)" : "");
            case OrchestraEvent.RetryScheduled e ->
                verbose
                        ? prefix(e.branchId(), e.agent()) + "↻ attempt " + e.nextAttempt() + " in " + ms(e.delay())
                        : null;
            case OrchestraEvent.BranchSpawned e ->
                normal && e.origin() != BarrierKind.ROOT
                        ? prefix(e.branchId(), e.agent())
                                + (e.origin() == BarrierKind.FORK ? "⇉ forked from " : "⇶ joins at ")
                                + (e.parentBranchId() == null ? "the run" : e.parentBranchId())
                        : null;
            case OrchestraEvent.BranchSettled e ->
                verbose
                        ? prefix(e.branchId(), e.agent()) + "settled " + e.status() + " after " + e.steps() + " steps"
                        : null;
            case OrchestraEvent.BarrierFired e ->
                normal && e.kind() != BarrierKind.ROOT
                        ? "  " + (e.success() ? "⇶ " : "✗ ") + e.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                                + e.barrierId() + " at " + e.node() + ": " + e.arrived() + " arrived, " + e.failed()
                                + " failed, waited " + ms(e.waited())
                        : null;
            case OrchestraEvent.StepAbandoned e ->
                normal
                        ? prefix(e.branchId(), e.agent()) + "⚠ step " + e.step() + " abandoned (" + e.reason()
                                + "); its late result will be discarded"
                        : null;
            case OrchestraEvent.TimeoutFired e ->
                "  ⏱ " + e.kind() + " timeout: " + e.subject() + " after " + e.limit();
            case OrchestraEvent.UserQuestionAsked e -> prefix(e.branchId(), e.agent()) + "? " + e.question();
            case OrchestraEvent.UserAnswered e -> verbose ? "  ✎ answer to " + e.interactionId() : null;
            case OrchestraEvent.CheckpointSaved e ->
                verbose ? "  ⛁ saved " + e.bytes() + " bytes to " + e.backend() + " in " + ms(e.duration()) : null;
        };
    }

    /** VERBOSE: the step's input and decision lines noted by the {@link ValuePrinter}, each ending a line. */
    private String values(String sessionId, @org.jspecify.annotations.Nullable String branchId, int step) {
        String noted = ValuePrinter.take(sessionId, branchId, step);
        return noted == null || verbosity != Verbosity.VERBOSE ? "" : noted + "\n";
    }

    private static String mark(OrchestraEvent.RunCompleted e) {
        return switch (e.status()) {
            case COMPLETED -> "✔";
            case WAITING_FOR_USER, PAUSED -> "⏸";
            case FAILED, TIMED_OUT, CANCELLED -> "✘";
        };
    }

    private static String prefix(@org.jspecify.annotations.Nullable String branch, String agent) {
        return "  [" + (branch == null ? "-" : branch) + " " + agent + "] ";
    }

    private static String tokens(long in, long out) {
        return in + out == 0 ? "" : ", " + in + "→" + out + " tokens";
    }

    private static String ms(Duration d) {
        long micros = d.toNanos() / 1_000;
        return micros < 10_000 ? String.format("%.2f ms", micros / 1000.0) : (micros / 1000) + " ms";
    }
}
