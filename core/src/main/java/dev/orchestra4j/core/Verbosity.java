package dev.orchestra4j.core;

/** How much live progress {@link StatusConfig} prints. */
public enum Verbosity {
    /** Run start and end, and errors. */
    QUIET,
    /** Every step with its agent prefix, parallel groups, timings. */
    NORMAL,
    /** Also branch settlements, retries and checkpoints (events carry no inputs or outputs, by design). */
    VERBOSE
}
