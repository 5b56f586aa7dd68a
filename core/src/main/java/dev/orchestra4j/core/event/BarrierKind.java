package dev.orchestra4j.core.event;

/** The three shapes of barrier (SPEC §4.1); also tells where a branch came from. */
public enum BarrierKind {
    /** The run's sink. Root branches deliver here. */
    ROOT,
    /** Opened by a parallel invoke; resolved by the invoking branch. */
    FORK,
    /** Opened at a rendezvous node; resolved by a new branch at that node. */
    RENDEZVOUS
}
