package dev.orchestra4j.flow;

/** What a pipeline cycle does when it reaches {@code maxCycles} with its gate still true. */
public enum OnMaxCycles {
    /** Leave the cycle with the data as it is and record a warning (the seed's behaviour; the default). */
    EXIT,
    /** Fail the step with a {@code VALIDATION} error naming the cycle and its cap. */
    FAIL
}
