package dev.orchestra4j.topology;

/** The kind of an {@link Edge}. */
public enum EdgeKind {
    /** A normal hand-off the source may choose (or that routes a reply). */
    INVOKE,
    /** Taken only when the source fails: written {@code "A -> B [on error]"}. */
    ERROR
}
