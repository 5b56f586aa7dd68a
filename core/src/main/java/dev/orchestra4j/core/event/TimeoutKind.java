package dev.orchestra4j.core.event;

/** Which limit of SPEC §4.5 fired. */
public enum TimeoutKind {
    STEP,
    TOOL,
    BRANCH,
    CONVERGENCE,
    USER_INTERACTION,
    RUN
}
