package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

/**
 * When a barrier (fork or rendezvous) fires and what happens when too few sources arrived (SPEC §4.3).
 *
 * <p>A barrier fires once no candidate is pending. If {@code arrived / (arrived + failed) < minRatio} it applies
 * {@link #onInsufficient()}. With {@code terminateOrphans} a barrier whose outcome is already decided (a failure
 * under {@link #STRICT}, a convergence timeout) abandons its stragglers at once; without it, it waits for them.
 */
public record ConvergencePolicy(double minRatio, OnInsufficient onInsufficient, boolean terminateOrphans) {

    /** All sources must arrive; one failure fails the barrier. The default. */
    public static final ConvergencePolicy STRICT = new ConvergencePolicy(1.0, OnInsufficient.FAIL, true);

    /**
     * All sources must arrive, and the first failure cancels the siblings at once (their steps are interrupted): the
     * same rule as {@link #STRICT}, named for front ends that ask for fail-fast explicitly (node metadata {@code
     * convergence_policy: fail_fast}).
     */
    public static final ConvergencePolicy FAIL_FAST = STRICT;

    /** More than half of the sources must arrive. */
    public static final ConvergencePolicy MAJORITY = new ConvergencePolicy(0.51, OnInsufficient.FAIL, true);

    /** Proceed with whatever arrived. */
    public static final ConvergencePolicy ANY = new ConvergencePolicy(0.0, OnInsufficient.PROCEED, true);

    public ConvergencePolicy {
        requireNonNull(onInsufficient, "onInsufficient");
        if (!(minRatio >= 0.0 && minRatio <= 1.0)) {
            throw new IllegalArgumentException("minRatio must be within [0, 1], was " + minRatio);
        }
    }

    /**
     * Parses {@code strict}, {@code fail_fast} (the same as strict), {@code majority}, {@code any} (as used in node
     * metadata {@code convergence_policy}).
     */
    public static ConvergencePolicy named(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "strict", "fail_fast" -> STRICT;
            case "majority" -> MAJORITY;
            case "any" -> ANY;
            default ->
                throw new IllegalArgumentException(
                        "unknown convergence policy '" + name + "' (expected strict, fail_fast, majority or any)");
        };
    }

    public ConvergencePolicy withTerminateOrphans(boolean terminate) {
        return new ConvergencePolicy(minRatio, onInsufficient, terminate);
    }

    /** What a barrier does when fewer sources arrived than {@link #minRatio()} demands. */
    public enum OnInsufficient {
        /** The barrier fails; its resolver fails with an error naming the failed sources. */
        FAIL,
        /** The barrier fires with what arrived. */
        PROCEED,
        /**
         * Once every source has settled, the barrier's resolver asks the user whether to proceed with the partial
         * results ({@code proceed} / {@code fail}), on the live channel or durably ({@code WAITING_FOR_USER} until
         * {@code respond}); no answer within {@code userInteractionTimeout} fails. Where there is no resolver to ask
         * on (the run's sink, a rendezvous that never started its resolver) it acts as FAIL.
         */
        ASK_USER
    }
}
