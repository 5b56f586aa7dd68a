package dev.orchestra4j.topology;

/** Whether a node is a rendezvous, where concurrent branches wait for each other (SPEC §2.5). */
public enum ConvergenceMode {
    /** A rendezvous when at least two incoming edges have no reverse edge. */
    AUTO,
    /** Always a rendezvous (same as a {@code convergence_point(X)} rule). */
    FORCE,
    /** Never a rendezvous. */
    DISABLED
}
