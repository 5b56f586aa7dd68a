package dev.orchestra4j.core;

/** How much live progress {@link StatusConfig} prints. */
public enum Verbosity {
    /** Run start and end, and errors. */
    QUIET,
    /** Every step with its agent prefix, parallel groups, timings. */
    NORMAL,
    /** Also inputs and outputs (shortened), barrier fires, retries and timeouts. */
    VERBOSE
}
